'use client';

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  resultOf,
  speedupOf,
  type LatencyRun,
  type LatencyQueryId,
} from '@/lib/latency/latency-views';
import { formatFactor, formatMs } from './format-latency';

interface Point {
  readonly label: string;
  readonly view: number;
  readonly table: number;
  readonly viewCut: boolean;
  readonly tableCut: boolean;
}

const PAIRS: readonly { title: string; view: LatencyQueryId; table: LatencyQueryId }[] = [
  { title: 'per-key', view: 'per_key_view', table: 'per_key_table' },
  { title: 'dashboard', view: 'dashboard_view', table: 'dashboard_table' },
  { title: 'your query', view: 'user_before', table: 'user_after' },
];

/** p50/p95/p99 of each pair; a timed-out percentile is drawn at the timeout and flagged. */
export function toBars(run: LatencyRun): Point[] {
  const out: Point[] = [];
  for (const p of PAIRS) {
    const v = resultOf(run.results, p.view)?.stats;
    const t = resultOf(run.results, p.table)?.stats;
    if (!v || !t) continue;
    for (const k of ['p50', 'p95', 'p99'] as const)
      out.push({
        label: `${p.title} ${k}`,
        view: v[k] ?? run.timeoutMs,
        table: t[k] ?? run.timeoutMs,
        viewCut: v[k] === null,
        tableCut: t[k] === null,
      });
  }
  return out;
}

/** "View" (the defining query) against "table" (the summary), log scale, with the speed-ups. */
export function LatencyBarChart({ run }: { run: LatencyRun }) {
  const points = toBars(run);
  const s = (view: LatencyQueryId, table: LatencyQueryId) =>
    speedupOf(
      resultOf(run.results, view)?.stats,
      resultOf(run.results, table)?.stats,
      run.timeoutMs,
    );
  const perKey = s('per_key_view', 'per_key_table');
  const dash = s('dashboard_view', 'dashboard_table');
  const min = Math.max(1e-3, Math.min(...points.flatMap((p) => [p.view, p.table])) / 2);
  return (
    <figure aria-label="Read latency, defining query vs summary table" className="px-2 pb-2 pt-4">
      <div className="flex flex-wrap gap-6 px-2 pb-3 text-sm">
        <p>
          Per-key read:{' '}
          <strong data-testid="speedup-per-key">
            {formatFactor(perKey.factor, perKey.lowerBound)}
          </strong>{' '}
          faster
        </p>
        <p>
          Dashboard (top 50):{' '}
          <strong data-testid="speedup-dashboard">
            {formatFactor(dash.factor, dash.lowerBound)}
          </strong>{' '}
          faster
        </p>
      </div>
      <div className="h-72 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={points} margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-zinc-200 dark:stroke-zinc-800" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} />
            <YAxis
              scale="log"
              domain={[min, 'auto']}
              allowDataOverflow
              tickFormatter={(v: number) => formatMs(v)}
              tick={{ fontSize: 11 }}
              width={64}
            />
            <Tooltip
              formatter={(v, key, item) => {
                const p = item.payload as Point;
                const cut = key === 'view' ? p.viewCut : p.tableCut;
                return [
                  cut ? `> ${formatMs(Number(v))} (timed out)` : formatMs(Number(v)),
                  key === 'view' ? 'defining query' : 'summary table',
                ];
              }}
            />
            <Legend
              formatter={(v: string) =>
                v === 'view' ? 'defining query ("view")' : 'summary table'
              }
            />
            <Bar dataKey="view" fill="#f59e0b" isAnimationActive={false} />
            <Bar dataKey="table" fill="#0284c7" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="px-2 text-xs text-zinc-500 dark:text-zinc-400">
        Client wall time of {run.runs} interleaved runs each, log scale; each run in a READ ONLY
        transaction with statement_timeout {formatMs(run.timeoutMs)}.
      </figcaption>
    </figure>
  );
}
