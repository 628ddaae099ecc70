'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import type { LatencyRun } from '@/lib/latency/latency-views';
import { buttonClass } from '@/components/ui/button-class';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { inputClass } from '@/components/ui/input-class';
import { Panel } from '@/components/ui/panel';
import { TableSkeleton } from '@/components/ui/skeleton';
import { formatMs } from './format-latency';
import { LatencyBarChart } from './latency-bar-chart';
import { LatencyHistoryChart } from './latency-history-chart';
import { PlansSideBySide } from './plans-side-by-side';
import { latencyKeys, latencyRunQuery, latencyRunsQuery, startLatencyRun } from './queries';
import { WriteOverheadTable } from './write-overhead-table';

/** The Latency tab of a summary: start a run, watch it, chart the latest and the history. */
export function LatencyLab({ name, canWrite }: { name: string; canWrite: boolean }) {
  const runs = useQuery(latencyRunsQuery(name));
  const [activeId, setActiveId] = useState<number | null>(null);
  const active = useQuery({ ...latencyRunQuery(name, activeId ?? 0), enabled: activeId !== null });
  const client = useQueryClient();
  const activeStatus = active.data?.status;
  useEffect(() => {
    if (activeStatus && activeStatus !== 'running')
      void client.invalidateQueries({ queryKey: latencyKeys.all });
  }, [activeStatus, client]);

  if (runs.isPending) return <TableSkeleton label="Loading latency runs" rows={4} />;
  if (runs.isError)
    return (
      <ErrorPanel
        title="Could not read the latency runs"
        error={runs.error}
        onRetry={() => void runs.refetch()}
      />
    );

  const going =
    active.data?.status === 'running' ? active.data : runs.data.find((r) => r.status === 'running');
  const shown =
    active.data && active.data.status !== 'running'
      ? active.data
      : runs.data.find((r) => r.status !== 'running');
  return (
    <div className="space-y-6">
      {canWrite && <StartForm name={name} disabled={Boolean(going)} onStarted={setActiveId} />}
      {going && <Progress run={going} />}
      {!shown ? (
        !going && (
          <Panel>
            <EmptyState title="No latency runs yet">
              <p>
                A run times the defining query against the summary table, interleaved, and stores
                the figures here.
              </p>
            </EmptyState>
          </Panel>
        )
      ) : (
        <RunView run={shown} />
      )}
      {runs.data.length > 0 && (
        <Panel
          id="latency-history"
          title="History"
          count={runs.data.filter((r) => r.status === 'done').length}
        >
          <LatencyHistoryChart runs={runs.data} />
        </Panel>
      )}
    </div>
  );
}

function Progress({ run }: { run: LatencyRun }) {
  const pct = run.total ? Math.round((run.done / run.total) * 100) : 0;
  return (
    <div
      className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm dark:border-sky-900/60 dark:bg-sky-950/40"
      role="status"
    >
      <p className="font-medium text-sky-900 dark:text-sky-200">
        Run #{run.id} is going: {run.done} of {run.total || '…'} steps
      </p>
      <div
        role="progressbar"
        aria-label="Latency run progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        className="mt-2 h-2 w-full overflow-hidden rounded-full bg-sky-100 dark:bg-sky-900"
      >
        <div className="h-full bg-sky-600 transition-all" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

function RunView({ run }: { run: LatencyRun }) {
  if (run.status === 'failed')
    return (
      <ErrorPanel
        title={`Latency run #${run.id} failed`}
        error={new Error(run.error ?? 'unknown error')}
      />
    );
  return (
    <>
      <Panel
        id="latency-chart"
        title={`Run #${run.id}`}
        description={`${new Date(run.finishedAt ?? run.createdAt).toUTCString()} · ${run.runs} runs · source ≈ ${run.sourceRows?.toLocaleString('en-US') ?? '?'} rows`}
      >
        <LatencyBarChart run={run} />
        <table className="mx-4 mb-4 text-xs">
          <caption className="sr-only">Statistics per read</caption>
          <thead>
            <tr className="text-left text-zinc-500">
              <th className="pr-4 font-medium">Read</th>
              {['p50', 'p95', 'p99', 'max', 'mean', 'server', 'rows'].map((h) => (
                <th key={h} className="pr-4 text-right font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {run.results.map((r) => (
              <tr key={r.id} className="border-t border-zinc-100 dark:border-zinc-800">
                <td className="pr-4">{r.label}</td>
                {(['p50', 'p95', 'p99', 'max', 'mean'] as const).map((k) => (
                  <td key={k} className="pr-4 text-right tabular-nums">
                    {formatMs(r.stats[k], run.timeoutMs)}
                  </td>
                ))}
                <td className="pr-4 text-right tabular-nums">
                  {r.plan?.timedOut
                    ? `> ${formatMs(run.timeoutMs)}`
                    : formatMs(r.plan?.executionMs ?? null)}
                </td>
                <td className="pr-4 text-right tabular-nums">{r.rows ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel
        id="latency-plans"
        title="Plans"
        description="EXPLAIN (ANALYZE, BUFFERS), run apart from the timed runs."
      >
        <PlansSideBySide run={run} />
      </Panel>
      {run.writeOverhead && (
        <Panel
          id="latency-writes"
          title="Write overhead"
          description="The same writes with this source table's triggers on and bypassed."
        >
          <WriteOverheadTable overhead={run.writeOverhead} />
        </Panel>
      )}
    </>
  );
}

function StartForm({
  name,
  disabled,
  onStarted,
}: {
  name: string;
  disabled: boolean;
  onStarted: (id: number) => void;
}) {
  const [runs, setRuns] = useState('20');
  const [timeoutMs, setTimeoutMs] = useState('30000');
  const [writes, setWrites] = useState(true);
  const [beforeSql, setBeforeSql] = useState('');
  const [afterSql, setAfterSql] = useState('');
  const client = useQueryClient();
  const start = useMutation({
    mutationFn: () =>
      startLatencyRun(name, {
        runs: Number(runs),
        timeoutMs: Number(timeoutMs),
        writes,
        ...(beforeSql.trim() ? { beforeSql } : {}),
        ...(afterSql.trim() ? { afterSql } : {}),
      }),
    onSuccess: ({ runId }) => {
      onStarted(runId);
      void client.invalidateQueries({ queryKey: latencyKeys.runs(name) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };
  return (
    <Panel
      id="latency-start"
      title="Run a benchmark"
      description="Reads run in READ ONLY transactions with a statement_timeout."
    >
      <form onSubmit={submit} className="space-y-3 p-4">
        <div className="flex flex-wrap items-end gap-4">
          <label className="text-sm">
            <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">
              Runs of each read
            </span>
            <input
              type="number"
              min={1}
              max={1000}
              value={runs}
              onChange={(e) => setRuns(e.target.value)}
              className={`${inputClass} w-28`}
            />
          </label>
          <label className="text-sm">
            <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">
              statement_timeout (ms)
            </span>
            <input
              type="number"
              min={1}
              value={timeoutMs}
              onChange={(e) => setTimeoutMs(e.target.value)}
              className={`${inputClass} w-32`}
            />
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={writes} onChange={(e) => setWrites(e.target.checked)} />
            Measure write overhead (rolled back; holds the source rows&apos; locks while it runs)
          </label>
        </div>
        <details className="text-sm">
          <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">
            Your own before / after queries (optional)
          </summary>
          <div className="mt-2 grid gap-3 lg:grid-cols-2">
            <label>
              <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">
                Before (e.g. the slow dashboard query)
              </span>
              <textarea
                value={beforeSql}
                onChange={(e) => setBeforeSql(e.target.value)}
                rows={5}
                className={`${inputClass} w-full font-mono`}
              />
            </label>
            <label>
              <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">
                After (the same read joining the summary)
              </span>
              <textarea
                value={afterSql}
                onChange={(e) => setAfterSql(e.target.value)}
                rows={5}
                className={`${inputClass} w-full font-mono`}
              />
            </label>
          </div>
        </details>
        {start.isError && (
          <p role="alert" className="whitespace-pre-wrap text-sm text-red-700 dark:text-red-400">
            {start.error.message}
          </p>
        )}
        <button
          type="submit"
          className={buttonClass('primary')}
          disabled={disabled || start.isPending}
        >
          {start.isPending ? 'Starting…' : 'Run benchmark'}
        </button>
      </form>
    </Panel>
  );
}
