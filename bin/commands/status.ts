import type { Command } from 'commander';
import { openDatabase } from '../../lib/db/database';
import { qualify } from '../../lib/db/ident';
import { getSummary } from '../../lib/summary/registry';
import { getSummaryStatus } from '../../lib/summary/summary-status';
import { formatTable } from '../format-table';
import { objectLabel } from '../object-label';
import { formatTime } from './list';

/** `tally status`: one summary's definition and what is really installed, from pg_catalog. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description(
      "a summary's defining query, its installed objects (present? triggers firing?), rows and size",
    )
    .argument('<name>', 'the summary')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tally status calls_by_user
  $ tally status calls_by_user --json

Exit code 1 when an object is missing or a trigger does not fire (the summary would drift).`,
    )
    .action(async (name: string, opts: { json?: boolean }) => {
      const db = await openDatabase({ log: (l) => console.error(l) });
      try {
        const s = await getSummary(db.pool, name);
        const st = await getSummaryStatus(db.pool, s);
        if (!st.healthy) process.exitCode = 1;
        if (opts.json) {
          console.log(
            JSON.stringify(
              {
                name: s.name,
                shape: s.shape,
                status: s.status,
                healthy: st.healthy,
                version: s.version,
                source: { schema: s.sourceSchema, table: s.sourceTable },
                target: { schema: s.targetSchema, table: s.targetTable },
                definingQuery: s.definingQuery,
                definition: s.definition,
                rows: st.rows,
                totalBytes: st.totalBytes,
                size: st.size,
                objects: st.objects,
                createdBy: s.createdBy,
                createdAt: s.createdAt.toISOString(),
                updatedAt: s.updatedAt.toISOString(),
              },
              null,
              2,
            ),
          );
          return;
        }
        const problems = st.objects.filter((o) => !o.ok);
        const lines = [
          `summary  ${s.name} (${s.shape}, version ${s.version})`,
          `status   ${s.status}${st.healthy ? '' : ` — BROKEN: ${problems.length} problem${problems.length === 1 ? '' : 's'}, the summary will drift`}`,
          `table    ${qualify(s.targetSchema, s.targetTable)}: ${st.rows === null ? 'missing' : `${st.rows.toLocaleString('en-US')} rows, ${st.size}`}`,
          `source   ${qualify(s.sourceSchema, s.sourceTable)}`,
          `created  ${formatTime(s.createdAt)} by ${s.createdBy}`,
          '',
          'defining query:',
          ...s.definingQuery.split('\n').map((l) => `  ${l}`),
          '',
          'installed objects:',
          formatTable(
            ['state', 'kind', 'name', 'on', 'role'],
            st.objects.map((o) => [
              o.ok ? (o.triggerState ?? 'ok') : o.exists ? `${o.triggerState} !` : 'MISSING',
              o.kind,
              objectLabel(o),
              o.on ?? '',
              o.role,
            ]),
          ),
        ];
        for (const p of problems) lines.push(`problem: ${p.role} ${objectLabel(p)}: ${p.problem}`);
        console.log(lines.join('\n'));
      } finally {
        await db.close();
      }
    });
}
