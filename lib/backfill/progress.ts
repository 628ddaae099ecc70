import type { BackfillRun } from './backfill-run';

/**
 * What a progress bar shows, computed from the state row and its recent batches, the same way
 * for the terminal and the console: percent of the estimated rows (refined by the runner after
 * every batch), the recent rate, and the time left at that rate.
 */
export interface BackfillProgress {
  /** 0–100; null while nothing is known about the total */
  readonly percent: number | null;
  /** source rows per second over the recent batches */
  readonly rowsPerSec: number | null;
  readonly etaSeconds: number | null;
  /** from the first claim to the end (or now), in ms */
  readonly elapsedMs: number | null;
}

export interface BatchPoint {
  readonly finishedAt: Date;
  readonly rows: number;
  readonly durationMs: number;
}

/** The rate window: batches that finished in the last RATE_WINDOW_MS (at least the last 3). */
export const RATE_WINDOW_MS = 10_000;

export function recentRate(batches: readonly BatchPoint[], now: number): number | null {
  if (!batches.length) return null;
  const sorted = [...batches].sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime());
  let window = sorted.filter((b) => now - b.finishedAt.getTime() <= RATE_WINDOW_MS);
  if (window.length < 3) window = sorted.slice(-3);
  const rows = window.reduce((a, b) => a + b.rows, 0);
  // from the start of the window's first batch to the end of its last
  const start = window[0]!.finishedAt.getTime() - window[0]!.durationMs;
  const span = window[window.length - 1]!.finishedAt.getTime() - start;
  return span > 0 ? (rows * 1000) / span : null;
}

export function progressOf(
  run: BackfillRun,
  batches: readonly BatchPoint[],
  now = Date.now(),
): BackfillProgress {
  const live = run.status === 'running' || run.status === 'pending';
  const percent =
    run.status === 'done'
      ? 100
      : run.estimatedRows && run.estimatedRows > 0
        ? Math.min(99.9, (100 * run.rowsDone) / run.estimatedRows)
        : null;
  const rowsPerSec = run.status === 'running' ? recentRate(batches, now) : null;
  const left = run.estimatedRows !== null ? Math.max(0, run.estimatedRows - run.rowsDone) : null;
  const etaSeconds = live && rowsPerSec && left !== null ? left / rowsPerSec : null;
  const end = run.finishedAt?.getTime() ?? (live ? now : run.updatedAt.getTime());
  const elapsedMs = run.startedAt ? Math.max(0, end - run.startedAt.getTime()) : null;
  return { percent, rowsPerSec, etaSeconds, elapsedMs };
}

/** 1:05:09, 4:07, 0:09 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** 950, 12.3k, 4.56M */
export function formatCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 2 : 1)}M`;
}
