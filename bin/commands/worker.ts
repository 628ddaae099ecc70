import type { Command } from 'commander';
import { openDatabase } from '../../lib/db/database';
import { DEFAULT_LEASE_MS, runnerId } from '../../lib/backfill/lease';
import { runBackfillWorker } from '../../lib/worker/backfill-worker';
import { parseMilliseconds } from '../option-parsers';

/** `tally worker`: the backfill runner without the console, until SIGINT/SIGTERM. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run backfills (the same loop the console runs), until interrupted')
    .option(
      '--lease-ms <ms>',
      `a run whose runner has not been heard of for this long is taken over (default ${DEFAULT_LEASE_MS})`,
      parseMilliseconds,
    )
    .option(
      '--poll-ms <ms>',
      'how often to look for work when idle (default 1000)',
      parseMilliseconds,
    )
    .addHelpText(
      'after',
      `
Any number of workers (and consoles) may run against one database: each run is claimed by
one of them with a lease. On SIGINT/SIGTERM the run in flight finishes its batch and is
handed back; if a worker dies, another resumes its run from the cursor once the lease lapses.`,
    )
    .action(async (opts: { leaseMs?: number; pollMs?: number }) => {
      const db = await openDatabase({ log: (l) => console.error(l), poolSize: 4 });
      const controller = new AbortController();
      const stop = () => {
        console.error('stopping: finishing the batch in flight');
        controller.abort();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const owner = runnerId('worker');
      console.error(`worker ${owner} started`);
      try {
        await runBackfillWorker(db.pool, {
          owner,
          signal: controller.signal,
          ...(opts.leaseMs !== undefined ? { leaseMs: opts.leaseMs } : {}),
          ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}),
          log: (l) => console.log(`${new Date().toISOString()} ${l}`),
          onBatch: (run, b) => {
            if (process.env.TALLY_WORKER_LOG_BATCHES)
              console.log(
                `batch ${run.id}:${b.batchNo} rows=${b.rows} groups=${b.groups} done=${run.rowsDone} ms=${b.durationMs.toFixed(1)}`,
              );
          },
        });
      } finally {
        await db.close();
      }
    });
}
