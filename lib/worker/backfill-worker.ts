import type pg from 'pg';
import { formatError } from '../errors';
import { claimRun, DEFAULT_LEASE_MS, runnerId } from '../backfill/lease';
import { driveRun, type DriveOptions, type RunOutcome } from '../backfill/run-backfill';
import { sleep } from '../backfill/sleep';

/**
 * The loop that runs backfills: claim the oldest claimable run (lease.ts), drive it batch by
 * batch until it ends or is paused, repeat; poll when there is nothing to do. It runs inside
 * the console server (instrumentation.ts) and alone (`tally worker`); any number of them may
 * run against one database.
 */
export interface WorkerOptions extends Pick<DriveOptions, 'lockTimeoutMs' | 'onBatch'> {
  readonly owner?: string;
  /** stop: the run in flight finishes its batch and goes back to pending for another runner */
  readonly signal: AbortSignal;
  readonly leaseMs?: number;
  /** how often to look for work when idle (default 1000 ms) */
  readonly pollMs?: number;
  readonly log?: (line: string) => void;
  readonly onRun?: (runId: number, outcome: RunOutcome) => void;
}

export async function runBackfillWorker(pool: pg.Pool, opts: WorkerOptions): Promise<void> {
  const owner = opts.owner ?? runnerId('worker');
  const log = opts.log ?? (() => undefined);
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  let failures = 0;
  while (!opts.signal.aborted) {
    try {
      const run = await claimRun(pool, owner, { leaseMs });
      failures = 0;
      if (!run) {
        await sleep(opts.pollMs ?? 1000, opts.signal);
        continue;
      }
      log(
        `claimed backfill #${run.id} of "${run.summaryName}" (${run.batchesDone ? `resuming after batch ${run.batchesDone}` : 'from the start'})`,
      );
      const outcome = await driveRun(pool, run.id, {
        owner,
        signal: opts.signal,
        onAbort: 'release',
        leaseMs,
        ...(opts.lockTimeoutMs !== undefined ? { lockTimeoutMs: opts.lockTimeoutMs } : {}),
        ...(opts.onBatch ? { onBatch: opts.onBatch } : {}),
        log,
      });
      log(`backfill #${run.id} of "${run.summaryName}": ${outcome}`);
      opts.onRun?.(run.id, outcome);
    } catch (e) {
      // the database is unreachable, or the catalog is not migrated yet: back off and retry
      failures++;
      log(`backfill worker: ${formatError(e)}`);
      await sleep(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)), opts.signal);
    }
  }
}
