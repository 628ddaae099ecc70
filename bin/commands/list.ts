import type { Command } from 'commander';
import { openDatabase } from '../../lib/db/database';
import { qualify } from '../../lib/db/ident';
import { listSummaries } from '../../lib/summary/registry';
import { getSummaryStatus } from '../../lib/summary/summary-status';
import { formatTable } from '../format-table';

/** `tally list`: every summary, with its row count and whether all its objects are in place. */
export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the summaries: source, shape, status, rows, created')
    .option('--json', 'print JSON instead of a table')
    .addHelpText(
      'after',
      `
Examples:
  $ tally list
  $ tally list --json | jq '.[] | select(.healthy | not) | .name'

A status marked "broken" has a missing object or a trigger that does not fire: see tally status <name>.`,
    )
    .action(async (opts: { json?: boolean }) => {
      const db = await openDatabase({ log: (l) => console.error(l) });
      try {
        const summaries = await listSummaries(db.pool);
        const rows = await Promise.all(
          summaries.map(async (s) => ({ summary: s, status: await getSummaryStatus(db.pool, s) })),
        );
        if (opts.json) {
          console.log(
            JSON.stringify(
              rows.map(({ summary: s, status }) => ({
                name: s.name,
                shape: s.shape,
                source: { schema: s.sourceSchema, table: s.sourceTable },
                target: { schema: s.targetSchema, table: s.targetTable },
                status: s.status,
                healthy: status.healthy,
                rows: status.rows,
                version: s.version,
                createdBy: s.createdBy,
                createdAt: s.createdAt.toISOString(),
              })),
              null,
              2,
            ),
          );
          return;
        }
        if (rows.length === 0) {
          console.log(
            'no summaries yet: create one with tally create --name <name> --sql "SELECT …"',
          );
          return;
        }
        console.log(
          formatTable(
            ['name', 'source', 'shape', 'status', 'rows', 'created'],
            rows.map(({ summary: s, status }) => [
              s.name,
              qualify(s.sourceSchema, s.sourceTable),
              s.shape,
              status.healthy ? s.status : `${s.status} (broken)`,
              status.rows === null ? '—' : status.rows.toLocaleString('en-US'),
              formatTime(s.createdAt),
            ]),
          ),
        );
      } finally {
        await db.close();
      }
    });
}

export function formatTime(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
