import { describe, expect, test } from 'vitest';
import { latencyStatsOf } from '../lib/latency/latency-stats';
import { speedupOf } from '../lib/latency/latency-views';

const ok = (ms: number) => ({ ms, timedOut: false });
const cut = (ms: number) => ({ ms, timedOut: true });

describe('latencyStatsOf', () => {
  test('nearest-rank percentiles over 100 samples', () => {
    const s = latencyStatsOf(Array.from({ length: 100 }, (_, i) => ok(100 - i)));
    expect(s).toEqual({
      n: 100,
      timedOut: 0,
      p50: 50,
      p95: 95,
      p99: 99,
      max: 100,
      mean: 50.5,
      min: 1,
    });
  });

  test('timed-out runs sort last and make what depends on them unknown (> timeout)', () => {
    const s = latencyStatsOf([ok(1), ok(2), ok(3), cut(500)]);
    expect(s).toEqual({
      n: 4,
      timedOut: 1,
      p50: 2,
      p95: null,
      p99: null,
      max: null,
      mean: null,
      min: 1,
    });
    expect(latencyStatsOf([cut(5), cut(5)])).toMatchObject({ p50: null, min: null, timedOut: 2 });
  });

  test('no samples', () => {
    expect(latencyStatsOf([])).toMatchObject({ n: 0, p50: null, mean: null });
  });
});

describe('speedupOf', () => {
  test('view p50 over table p50; a timed-out view gives a lower bound from the timeout', () => {
    const table = latencyStatsOf([ok(0.5)]);
    expect(speedupOf(latencyStatsOf([ok(50)]), table, 1000)).toEqual({
      factor: 100,
      lowerBound: false,
    });
    expect(speedupOf(latencyStatsOf([cut(1000)]), table, 1000)).toEqual({
      factor: 2000,
      lowerBound: true,
    });
    expect(speedupOf(undefined, table, 1000)).toEqual({ factor: null, lowerBound: false });
  });
});
