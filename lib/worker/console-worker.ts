import { getPool } from '../db/pool';
import { runnerId } from '../backfill/lease';
import { runBackfillWorker } from './backfill-worker';

/**
 * The worker inside the console server, started by instrumentation.ts. Once per process: Next
 * may evaluate the instrumentation hook more than once (dev reloads), so the handle lives on
 * globalThis. TALLY_WORKER=0 turns it off (e.g. when `tally worker` runs elsewhere).
 */
const g = globalThis as unknown as { tallyConsoleWorker?: { stop(): Promise<void> } };

export function startConsoleWorker(): void {
  if (g.tallyConsoleWorker) return;
  if (process.env.TALLY_WORKER === '0') return;
  if (!process.env.DATABASE_URL) {
    console.warn('[tally] DATABASE_URL is not set: the backfill worker is not started');
    return;
  }
  const controller = new AbortController();
  const owner = runnerId('console');
  const done = runBackfillWorker(getPool(), {
    owner,
    signal: controller.signal,
    log: (line) => console.log(`[tally worker] ${line}`),
  }).catch((e: unknown) => console.error('[tally worker] stopped:', e));
  g.tallyConsoleWorker = {
    async stop() {
      controller.abort();
      await done;
    },
  };
  // No signal handlers of our own: they would replace Node's default exit on SIGTERM. When
  // the server stops mid-run, the run's lease lapses and the next runner resumes its cursor.
}
