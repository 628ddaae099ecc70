/**
 * Batch size control: each batch's transaction should take about `targetMs`. The next size
 * scales the current one by target / measured, within [½×, 2×] per step so one odd batch (a
 * huge group, a checkpoint) does not swing it, and within the bounds.
 *
 * The upper bound also bounds the lock table: with the whole key as walk prefix a batch of K
 * prefixes takes at most K slot locks (plus the shared summary-wide one). A batch whose range
 * holds more slots than MAX_SLOT_LOCKS (a walk over a key prefix with many groups per prefix)
 * takes the summary-wide lock exclusively instead, as a bulk statement does (locks.ts).
 */
export const MIN_BATCH_SIZE = 1;
export const MAX_BATCH_SIZE = 256;
export const MAX_SLOT_LOCKS = 256;
/**
 * The first batch takes one key and the size at most doubles per batch ("slow start"): keys
 * are often skewed, with the biggest groups first (ids of the oldest, busiest tenants), and a
 * first batch of 16 keys measured 4.8 s on the large demo.
 */
export const DEFAULT_BATCH_SIZE = 1;

/**
 * Default transaction target. DESIGN.md suggests ≈ 200 ms; a writer whose group is in the
 * batch waits for the rest of it, so the target bounds that wait, and 100 ms keeps a concurrent
 * writer's p99 under the 100 ms bar (lib/bench/backfill.ts: 41 ms and 91 ms on the large demo,
 * writes skewed like the data) for a few more batches' overhead.
 */
export const DEFAULT_TARGET_BATCH_MS = 100;

export function nextBatchSize(current: number, elapsedMs: number, targetMs: number): number {
  const factor = Math.min(2, Math.max(0.5, targetMs / Math.max(elapsedMs, 1)));
  return clampBatchSize(Math.round(current * factor));
}

export function clampBatchSize(k: number): number {
  return Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Math.floor(k)));
}
