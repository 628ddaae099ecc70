'use client';

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { resultOf, type LatencyRun } from '@/lib/latency/latency-views';
import { formatMs } from './format-latency';

const SERIES = [
  { id: 'dashboard_view', name: 'dashboard, defining query', color: '#f59e0b' },
  { id: 'dashboard_table', name: 'dashboard, summary table', color: '#0284c7' },
  { id: 'per_key_view', name: 'per-key, defining query', color: '#fb7185' },
  { id: 'per_key_table', name: 'per-key, summary table', color: '#10b981' },
] as const;

/** p50 of each read across finished runs, oldest first, log scale. */
export function LatencyHistoryChart({ runs }: { runs: readonly LatencyRun[] }) {
  const done = runs.filter((r) => r.status === 'done').reverse();
  if (done.length < 2)
    return (
      <p className="px-4 py-6 text-sm text-zinc-500 dark:text-zinc-400">
        The history appears after two finished runs.
      </p>
    );
  const points = done.map((r) => ({
    run: `#${r.id}`,
    ...Object.fromEntries(
      SERIES.map((s) => [s.id, resultOf(r.results, s.id)?.stats.p50 ?? r.timeoutMs]),
    ),
  }));
  return (
    <figure aria-label="Latency history" className="px-2 pb-2 pt-4">
      <div className="h-56 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-zinc-200 dark:stroke-zinc-800" />
            <XAxis dataKey="run" tick={{ fontSize: 11 }} />
            <YAxis
              scale="log"
              domain={['auto', 'auto']}
              tickFormatter={(v: number) => formatMs(v)}
              tick={{ fontSize: 11 }}
              width={64}
            />
            <Tooltip formatter={(v) => formatMs(Number(v))} />
            <Legend />
            {SERIES.map((s) => (
              <Line
                key={s.id}
                dataKey={s.id}
                name={s.name}
                stroke={s.color}
                dot
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="px-2 text-xs text-zinc-500 dark:text-zinc-400">
        p50 client time of each finished run.
      </figcaption>
    </figure>
  );
}
