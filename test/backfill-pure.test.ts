import { describe, expect, test } from 'vitest';
import { clampBatchSize, MAX_BATCH_SIZE, nextBatchSize } from '../lib/backfill/batch-size';
import type { BackfillRun } from '../lib/backfill/backfill-run';
import { formatCount, formatDuration, progressOf, recentRate } from '../lib/backfill/progress';

/** The pure parts of the backfill: batch size control and the progress a bar shows. */

describe('batch size', () => {
  test('moves toward the target, at most doubling or halving per batch, within bounds', () => {
    expect(nextBatchSize(1, 5, 100)).toBe(2);
    expect(nextBatchSize(10, 50, 100)).toBe(20);
    expect(nextBatchSize(10, 80, 100)).toBe(13);
    expect(nextBatchSize(10, 1000, 100)).toBe(5);
    expect(nextBatchSize(1, 5000, 100)).toBe(1);
    expect(nextBatchSize(200, 1, 100)).toBe(MAX_BATCH_SIZE);
    expect(clampBatchSize(0)).toBe(1);
    expect(clampBatchSize(1e9)).toBe(MAX_BATCH_SIZE);
  });
});

const base: BackfillRun = {
  id: 1,
  summaryId: 1,
  summaryName: 's',
  status: 'running',
  protocol: 'key_order',
  protocolReason: '',
  walk: { prefix: 1, keys: ['k'], index: 'i', correlation: 0 },
  cursor: { phase: 'walk', after: ['5'] },
  rowsDone: 2500,
  groupsDone: 10,
  batchesDone: 5,
  estimatedRows: 10_000,
  estimatedGroups: 40,
  batchSize: 4,
  adaptive: true,
  targetBatchMs: 100,
  throttleMs: 0,
  createdAt: new Date(0),
  createdBy: 't',
  startedAt: new Date(1_000),
  updatedAt: new Date(20_000),
  finishedAt: null,
  heartbeatAt: new Date(20_000),
  owner: 'w',
  attempts: 1,
  retries: 0,
  lastError: null,
};

describe('progress', () => {
  const now = 21_000;
  const batches = [
    { finishedAt: new Date(19_000), rows: 500, durationMs: 1000 },
    { finishedAt: new Date(20_000), rows: 500, durationMs: 1000 },
    { finishedAt: new Date(21_000), rows: 500, durationMs: 1000 },
  ];

  test('percent of the estimate, the recent rate and the time left at that rate', () => {
    const p = progressOf(base, batches, now);
    expect(p.percent).toBe(25);
    expect(p.rowsPerSec).toBeCloseTo(500);
    expect(p.etaSeconds).toBeCloseTo(15);
    expect(p.elapsedMs).toBe(20_000);
  });

  test('done is 100%; a paused run has no rate or ETA; an unknown total has no percent', () => {
    expect(progressOf({ ...base, status: 'done', finishedAt: new Date(30_000) }, batches, now)).toMatchObject({
      percent: 100,
      etaSeconds: null,
      elapsedMs: 29_000,
    });
    expect(progressOf({ ...base, status: 'paused' }, batches, now)).toMatchObject({ rowsPerSec: null, etaSeconds: null });
    expect(progressOf({ ...base, estimatedRows: null }, batches, now).percent).toBeNull();
    // the estimate can be low while it runs: never 100% before it is done
    expect(progressOf({ ...base, rowsDone: 12_000 }, batches, now).percent).toBe(99.9);
  });

  test('the rate covers the last 10 seconds, at least 3 batches', () => {
    expect(recentRate([], now)).toBeNull();
    const old = [{ finishedAt: new Date(1_000), rows: 100, durationMs: 100 }, ...batches];
    expect(recentRate(old, now)).toBeCloseTo(500);
  });

  test('formats', () => {
    expect(formatDuration(9)).toBe('0:09');
    expect(formatDuration(247)).toBe('4:07');
    expect(formatDuration(3909)).toBe('1:05:09');
    expect(formatCount(950)).toBe('950');
    expect(formatCount(12_345)).toBe('12k');
    expect(formatCount(4_560_000)).toBe('4.56M');
  });
});
