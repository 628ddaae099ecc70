import type { Command } from 'commander';
import { openDatabase } from '../../lib/db/database';
import { createSummary, DEFAULT_LOCK_TIMEOUT_MS } from '../../lib/summary/create-summary';
import { startBackfill } from '../../lib/backfill/backfill-control';
import { backfillInForeground } from './backfill';
import { getSummaryStatus } from '../../lib/summary/summary-status';
import { getSummary } from '../../lib/summary/registry';
import { cliActor } from '../actor';
import { addDefinitionOptions, readDefinition, type DefinitionOptions } from '../definition-input';
import { formatTable } from '../format-table';
import { parseMilliseconds } from '../option-parsers';
import { objectLabel } from '../object-label';

/** `tally create`: install a summary (one transaction, bounded by lock_timeout) and register it. */
export function registerCreate(program: Command): void {
  addDefinitionOptions(
    program
      .command('create')
      .description(
        'install a summary: table, guard, triggers and catalog row in one transaction, then fill it',
      ),
  )
    .option('--no-backfill', 'install it empty (triggers live, existing rows not counted yet)')
    .option(
      '--lock-timeout <ms>',
      `lock_timeout of the install transaction (default ${DEFAULT_LOCK_TIMEOUT_MS})`,
      parseMilliseconds,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ tally create --name calls_by_user \\
      --sql "SELECT user_id, sum(duration) FILTER (WHERE duration > 0), count(*)
             FROM crm.admin_user_call_log GROUP BY user_id"
  $ tally create --file calls_by_user.json --lock-timeout 2000
  $ tally create --name daily --file slow_query.sql --no-backfill

Review first with \`tally generate\` (same options): it prints exactly what create runs.
Any source index the recompute path needs is built CONCURRENTLY before the transaction.
The summary is installed empty with its triggers live, then backfilled in short batches
with a progress bar (as \`tally backfill\` does; Ctrl-C pauses it); --no-backfill skips that.`,
    )
    .action(async (opts: DefinitionOptions & { backfill: boolean; lockTimeout?: number }) => {
      const definition = await readDefinition(opts);
      const db = await openDatabase({ log: (l) => console.error(l) });
      try {
        const started = performance.now();
        const installed = await createSummary(db.pool, definition, {
          actor: cliActor(),
          populate: false,
          ...(opts.lockTimeout !== undefined ? { lockTimeoutMs: opts.lockTimeout } : {}),
        });
        // installed empty, triggers live; then the batched backfill (progress on a terminal)
        const outcome = opts.backfill
          ? await backfillInForeground(db.pool, await startBackfill(db.pool, installed.name, { actor: cliActor() }), {
              quiet: true,
            })
          : null;
        const record = opts.backfill ? await getSummary(db.pool, installed.name) : installed;
        const status = await getSummaryStatus(db.pool, record);
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        console.log(
          `created summary "${record.name}" in ${seconds}s: status ${record.status}, ${status.rows ?? 0} rows`,
        );
        console.log(
          formatTable(
            ['object', 'name', 'on', 'role'],
            status.objects.map((o) => [o.kind, objectLabel(o), o.on ?? '', o.role]),
          ),
        );
        if (!opts.backfill)
          console.log(
            'installed empty: the triggers are live, but rows that existed before are not counted until a backfill runs',
          );
        if (outcome === 'failed' || outcome === 'cancelled' || outcome === 'lost' || outcome === 'paused') {
          console.log(`the backfill is ${outcome}: see \`tally backfill ${record.name}\``);
          if (outcome !== 'paused') process.exitCode = 1;
        }
      } finally {
        await db.close();
      }
    });
}
