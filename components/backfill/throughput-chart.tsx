'use client';

import {
  Area,
  AreaChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { BackfillBatchView } from '@/lib/backfill/backfill-view';
import { formatCount, formatDuration } from '@/lib/backfill/progress';

interface Point {
  readonly t: number;
  readonly rate: number;
  readonly ms: number;
  readonly batch: number;
}

/** Rows per second of each batch (its rows over its transaction time), against run time. */
export function toPoints(batches: readonly BackfillBatchView[]): Point[] {
  if (!batches.length) return [];
  const first = batches[0]!;
  const t0 = Date.parse(first.finishedAt) - first.durationMs;
  return batches.map((b) => ({
    t: (Date.parse(b.finishedAt) - t0) / 1000,
    rate: b.durationMs > 0 ? (b.rows * 1000) / b.durationMs : 0,
    ms: b.durationMs,
    batch: b.batchNo,
  }));
}

export function ThroughputChart({ batches }: { batches: readonly BackfillBatchView[] }) {
  const points = toPoints(batches);
  if (points.length < 2)
    return (
      <p className="px-4 py-6 text-sm text-zinc-500 dark:text-zinc-400">
        The chart appears after a few batches.
      </p>
    );
  const longest = Math.max(...points.map((p) => p.ms));
  const span = points[points.length - 1]!.t;
  return (
    <figure className="px-2 pb-2 pt-4" aria-label="Backfill throughput over time">
      <div className="h-48 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={points} margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-zinc-200 dark:stroke-zinc-800" />
            <XAxis
              dataKey="t"
              type="number"
              domain={['dataMin', 'dataMax']}
              tickFormatter={(t: number) => (span < 120 ? `${Math.round(t)}s` : formatDuration(t))}
              tick={{ fontSize: 11 }}
            />
            <YAxis
              tickFormatter={(v: number) => formatCount(v)}
              tick={{ fontSize: 11 }}
              width={48}
            />
            <Tooltip
              formatter={(v) => [`${formatCount(Number(v))} rows/s`, 'throughput']}
              labelFormatter={(t) => `at ${formatDuration(Number(t))}`}
            />
            <Area
              type="monotone"
              dataKey="rate"
              stroke="#0284c7"
              fill="#0284c7"
              fillOpacity={0.15}
              isAnimationActive={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="px-2 text-xs text-zinc-500 dark:text-zinc-400">
        Rows per second of each batch over the last {points.length} batches; the longest transaction
        took {longest.toFixed(0)} ms.
      </figcaption>
    </figure>
  );
}
