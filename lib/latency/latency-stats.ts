import type { LatencyStats } from './latency-views';

export interface Sample {
  readonly ms: number;
  readonly timedOut: boolean;
}

/**
 * Nearest-rank percentiles of client wall time. A timed-out run sorts after every finished one
 * and is kept, not dropped: a percentile, max or mean that depends on it is null ("> timeout").
 */
export function latencyStatsOf(samples: readonly Sample[]): LatencyStats {
  const values = samples.map((s) => (s.timedOut ? Infinity : s.ms)).sort((a, b) => a - b);
  const n = values.length;
  const timedOut = samples.filter((s) => s.timedOut).length;
  const finite = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);
  const rank = (p: number) => finite(values[Math.max(0, Math.ceil((p / 100) * n) - 1)]);
  return {
    n,
    timedOut,
    p50: n ? rank(50) : null,
    p95: n ? rank(95) : null,
    p99: n ? rank(99) : null,
    max: n ? finite(values[n - 1]) : null,
    mean: n && !timedOut ? values.reduce((a, b) => a + b, 0) / n : null,
    min: n ? finite(values[0]) : null,
  };
}

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}
