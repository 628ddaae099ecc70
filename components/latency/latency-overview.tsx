'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Panel } from '@/components/ui/panel';
import { formatFactor } from './format-latency';
import { latencyOverviewQuery } from './queries';

/** Best speed-ups across summaries, from each one's latest finished latency run. */
export function LatencyOverview() {
  const q = useQuery(latencyOverviewQuery());
  if (!q.data?.length) return null;
  return (
    <Panel
      id="latency-overview"
      title="Best speed-ups"
      description="Latest latency run of each summary: p50 of the defining query over p50 of the summary table."
    >
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-zinc-500 dark:text-zinc-400">
            <th className="px-4 py-2 font-medium">Summary</th>
            <th className="px-4 py-2 text-right font-medium">Dashboard (top 50)</th>
            <th className="px-4 py-2 text-right font-medium">Per-key read</th>
          </tr>
        </thead>
        <tbody>
          {q.data.map((r) => (
            <tr key={r.summaryName} className="border-t border-zinc-100 dark:border-zinc-800">
              <td className="px-4 py-1.5 font-mono">
                <Link
                  href={`/summaries/${encodeURIComponent(r.summaryName)}`}
                  className="text-sky-700 hover:underline dark:text-sky-400"
                >
                  {r.summaryName}
                </Link>
              </td>
              <td className="px-4 py-1.5 text-right font-semibold tabular-nums">
                {formatFactor(r.dashboard.factor, r.dashboard.lowerBound)}
              </td>
              <td className="px-4 py-1.5 text-right tabular-nums">
                {formatFactor(r.perKey.factor, r.perKey.lowerBound)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
