import type { BackfillRunView } from '@/lib/backfill/backfill-view';
import { formatCount, formatDuration } from '@/lib/backfill/progress';
import { cn } from '@/components/ui/cn';
import { formatInteger } from '@/components/ui/format';

const BAR_TONE: Record<BackfillRunView['status'], string> = {
  pending: 'bg-sky-400',
  running: 'bg-sky-600 dark:bg-sky-500',
  paused: 'bg-amber-500',
  cancelled: 'bg-zinc-400 dark:bg-zinc-600',
  failed: 'bg-red-600',
  done: 'bg-emerald-600 dark:bg-emerald-500',
};

/** The bar alone: an accessible progressbar whose value is the percent of estimated rows done. */
export function ProgressTrack({
  run,
  compact = false,
}: {
  run: BackfillRunView;
  compact?: boolean;
}) {
  const pct = run.percent ?? 0;
  return (
    <div
      role="progressbar"
      aria-label={`Backfill of ${run.summaryName}`}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.floor(pct)}
      aria-valuetext={`${pct.toFixed(1)}% (${run.status})`}
      className={cn(
        'w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800',
        compact ? 'h-1.5' : 'h-3',
      )}
    >
      <div
        className={cn(
          'h-full rounded-full transition-[width] duration-700 ease-out',
          BAR_TONE[run.status],
          run.status === 'running' && 'animate-pulse',
        )}
        style={{ width: `${Math.max(pct, run.status === 'done' ? 100 : 0.5)}%` }}
      />
    </div>
  );
}

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div title={hint}>
      <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="font-mono text-sm tabular-nums text-zinc-900 dark:text-zinc-100">{value}</dd>
    </div>
  );
}

/** Bar plus the numbers: percent, rows done of the estimate, rate, ETA, current batch size. */
export function BackfillProgress({ run }: { run: BackfillRunView }) {
  const live = run.status === 'running' || run.status === 'pending';
  return (
    <div className="space-y-3">
      <div className="flex items-center gap-3">
        <ProgressTrack run={run} />
        <span className="w-16 shrink-0 text-right font-mono text-sm font-semibold tabular-nums text-zinc-900 dark:text-zinc-100">
          {run.percent === null ? '—' : `${run.percent.toFixed(1)}%`}
        </span>
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 sm:grid-cols-3 lg:grid-cols-6">
        <Figure
          label="Rows"
          value={`${formatInteger(run.rowsDone)}${run.estimatedRows !== null ? ` / ${formatCount(run.estimatedRows)}` : ''}`}
          hint="source rows counted so far / the estimate, refined after every batch"
        />
        <Figure label="Groups" value={formatInteger(run.groupsDone)} />
        <Figure
          label="Rate"
          value={live && run.rowsPerSec !== null ? `${formatCount(run.rowsPerSec)} rows/s` : '—'}
          hint="over the last 10 seconds of batches"
        />
        <Figure
          label="ETA"
          value={live && run.etaSeconds !== null ? formatDuration(run.etaSeconds) : '—'}
        />
        <Figure
          label="Batch size"
          value={`${run.batchSize}${run.adaptive ? '' : ' (fixed)'}`}
          hint={
            run.adaptive
              ? `keys per batch, adapting toward ${run.targetBatchMs} ms per transaction`
              : 'keys per batch, fixed'
          }
        />
        <Figure
          label="Elapsed"
          value={run.elapsedMs !== null ? formatDuration(run.elapsedMs / 1000) : '—'}
          hint={`${run.batchesDone} batches`}
        />
      </dl>
    </div>
  );
}
