'use client';

import { useQuery } from '@tanstack/react-query';
import { isLiveStatus } from '@/lib/backfill/backfill-status';
import { formatDuration } from '@/lib/backfill/progress';
import { ProgressTrack } from './backfill-progress';
import { backfillListQuery } from './queries';

/**
 * A summary's live backfill in one line of the summaries list: a thin bar, the percent and the
 * ETA. Every row reads the same list query (one request, polled while any run is live).
 */
export function ListProgress({ name }: { name: string }) {
  const query = useQuery(backfillListQuery());
  const run = query.data?.runs.find((r) => r.summaryName === name);
  if (!run || !isLiveStatus(run.status)) return null;
  return (
    <div className="mt-1.5 w-40 space-y-0.5">
      <ProgressTrack run={run} compact />
      <p className="font-mono text-[11px] tabular-nums text-zinc-500 dark:text-zinc-400">
        {run.percent === null ? '…' : `${run.percent.toFixed(0)}%`}
        {run.status === 'paused'
          ? ' paused'
          : run.etaSeconds !== null
            ? ` · ETA ${formatDuration(run.etaSeconds)}`
            : ''}
      </p>
    </div>
  );
}
