'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { BackfillAction, BackfillRunView, BackfillState } from '@/lib/backfill/backfill-view';
import { isLiveStatus } from '@/lib/backfill/backfill-status';
import { summaryKeys } from '@/components/summaries/queries';
import { buttonClass } from '@/components/ui/button-class';
import { cn } from '@/components/ui/cn';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { inputClass } from '@/components/ui/input-class';
import { Panel } from '@/components/ui/panel';
import { TableSkeleton } from '@/components/ui/skeleton';
import { BackfillProgress } from './backfill-progress';
import { PartialMarker } from './partial-marker';
import { backfillKeys, backfillStateQuery, sendBackfillAction } from './queries';
import { RunHistory, RunStatusBadge } from './run-history';
import { ThroughputChart } from './throughput-chart';

/**
 * A summary's backfill in the console: the live (or latest) run's progress bar, polled every
 * second while it is live, its throughput chart, the controls, and the history of runs. When a
 * run ends, the summary's own queries are refreshed (its status and row count change).
 */
export function BackfillPanel({
  name,
  canWrite,
  variant = 'tab',
}: {
  name: string;
  canWrite: boolean;
  /** after-apply: just the bar and a start button, inside the "created" notice */
  variant?: 'tab' | 'after-apply';
}) {
  const query = useQuery(backfillStateQuery(name));
  const queryClient = useQueryClient();
  const status = query.data?.current?.status;
  const batches = query.data?.current?.batchesDone;
  const lastStatus = useRef(status);
  const lastRefresh = useRef(0);
  useEffect(() => {
    // a run that ended changed the summary's status and rows: refresh what shows them
    if (lastStatus.current && isLiveStatus(lastStatus.current) && status && !isLiveStatus(status)) {
      void queryClient.invalidateQueries({ queryKey: summaryKeys.all });
      void queryClient.invalidateQueries({ queryKey: backfillKeys.list() });
    }
    lastStatus.current = status;
  }, [status, queryClient]);
  useEffect(() => {
    // while it runs, the summary's row count grows: refresh it now and then, not every second
    if (status !== 'running' || Date.now() - lastRefresh.current < 5000) return;
    lastRefresh.current = Date.now();
    void queryClient.invalidateQueries({ queryKey: summaryKeys.detail(name) });
  }, [batches, status, name, queryClient]);

  if (query.isPending) return <TableSkeleton label="Loading the backfill" rows={3} />;
  if (query.isError)
    return (
      <ErrorPanel
        title="Could not read the backfill"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  const state = query.data;
  if (variant === 'after-apply') return <AfterApply state={state} canWrite={canWrite} />;
  return <FullPanel state={state} canWrite={canWrite} />;
}

function useBackfillAction(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: BackfillAction) => sendBackfillAction(name, action),
    onSuccess: (state) => {
      queryClient.setQueryData(backfillKeys.state(name), state);
      void queryClient.invalidateQueries({ queryKey: summaryKeys.all });
      void queryClient.invalidateQueries({ queryKey: backfillKeys.list() });
    },
  });
}

function AfterApply({ state, canWrite }: { state: BackfillState; canWrite: boolean }) {
  const action = useBackfillAction(state.summaryName);
  const run = state.current;
  if (run && (isLiveStatus(run.status) || run.status === 'done'))
    return (
      <div className="space-y-1">
        <p>
          Backfill <RunStatusBadge run={run} />
        </p>
        <BackfillProgress run={run} />
      </div>
    );
  return (
    <div className="flex flex-wrap items-center gap-3">
      <PartialMarker status={state.summaryStatus} />
      {canWrite && state.summaryStatus !== 'ready' && (
        <button
          type="button"
          className={buttonClass('primary')}
          disabled={action.isPending}
          onClick={() => action.mutate({ action: 'start' })}
        >
          Start the backfill
        </button>
      )}
      {action.isError && <ActionError error={action.error} />}
    </div>
  );
}

function ActionError({ error }: { error: Error }) {
  return (
    <pre
      role="alert"
      className="w-full whitespace-pre-wrap break-words rounded-md bg-red-50 p-2 font-mono text-xs text-red-800 dark:bg-red-950/40 dark:text-red-200"
    >
      {error.message}
    </pre>
  );
}

function FullPanel({ state, canWrite }: { state: BackfillState; canWrite: boolean }) {
  const run = state.current;
  return (
    <div className="space-y-6">
      <Panel
        id="backfill-run"
        title={
          <>
            {run ? `Backfill #${run.id}` : 'Backfill'}
            {run && <RunStatusBadge run={run} />}
            <PartialMarker status={state.summaryStatus} />
          </>
        }
        description={run?.protocolReason}
      >
        <div className="space-y-4 p-4">
          {run ? (
            <BackfillProgress run={run} />
          ) : (
            <EmptyState title="Never backfilled">
              <p>
                Rows that existed before the summary was installed are counted by a backfill: short
                batches in key order, exact while writes go on.
              </p>
            </EmptyState>
          )}
          {run?.lastError && (
            <div>
              <p className="text-xs font-medium text-zinc-600 dark:text-zinc-300">
                {run.status === 'failed' ? 'It failed with:' : 'Last retried error:'}
              </p>
              <pre
                className={cn(
                  'mt-1 whitespace-pre-wrap break-words rounded-md p-2 font-mono text-xs',
                  run.status === 'failed'
                    ? 'bg-red-50 text-red-800 dark:bg-red-950/40 dark:text-red-200'
                    : 'bg-zinc-50 text-zinc-700 dark:bg-zinc-800/60 dark:text-zinc-300',
                )}
              >
                {run.lastError}
              </pre>
            </div>
          )}
          {canWrite && <Controls name={state.summaryName} run={run} />}
        </div>
      </Panel>

      {run && state.batches.length > 0 && (
        <Panel
          id="backfill-throughput"
          title="Throughput"
          description="Each batch is one transaction: its rows over its duration."
        >
          <ThroughputChart batches={state.batches} />
        </Panel>
      )}

      {state.history.length > 0 && (
        <Panel id="backfill-history" title="Runs" count={state.history.length}>
          <RunHistory runs={state.history} />
        </Panel>
      )}
    </div>
  );
}

function Controls({ name, run }: { name: string; run: BackfillRunView | null }) {
  const action = useBackfillAction(name);
  const throttleId = useId();
  const batchId = useId();
  const [throttle, setThrottle] = useState<string>(run ? String(run.throttleMs) : '0');
  const [batch, setBatch] = useState<string>('');
  const [confirmCancel, setConfirmCancel] = useState(false);
  const live = run !== null && isLiveStatus(run.status);
  const go = (a: BackfillAction) => {
    setConfirmCancel(false);
    action.mutate(a);
  };
  const throttleMs = Math.max(0, Math.min(3_600_000, Math.floor(Number(throttle) || 0)));
  // empty: the batch size adapts to the target transaction time
  const batchSize = batch.trim()
    ? Math.max(1, Math.min(100_000, Math.floor(Number(batch) || 1)))
    : undefined;
  const sizing = { throttleMs, ...(batchSize !== undefined ? { batchSize } : {}) };
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        {!live && (
          <button
            type="button"
            className={buttonClass('primary')}
            disabled={action.isPending}
            onClick={() => go({ action: run ? 'restart' : 'start', ...sizing })}
          >
            {run ? 'Backfill again from scratch' : 'Start the backfill'}
          </button>
        )}
        {run && (run.status === 'failed' || run.status === 'paused') && (
          <button
            type="button"
            className={buttonClass(run.status === 'paused' ? 'primary' : 'secondary')}
            disabled={action.isPending}
            onClick={() => go({ action: 'resume' })}
          >
            Resume
          </button>
        )}
        {live && run.status !== 'paused' && (
          <button
            type="button"
            className={buttonClass('secondary')}
            disabled={action.isPending}
            onClick={() => go({ action: 'pause' })}
          >
            Pause
          </button>
        )}
        {live &&
          (confirmCancel ? (
            <button
              type="button"
              className={buttonClass('secondary', 'text-red-700 dark:text-red-400')}
              disabled={action.isPending}
              onClick={() => go({ action: 'cancel' })}
            >
              Confirm: cancel, leave it partial
            </button>
          ) : (
            <button
              type="button"
              className={buttonClass('ghost')}
              disabled={action.isPending}
              onClick={() => setConfirmCancel(true)}
            >
              Cancel…
            </button>
          ))}
        <div className="ml-auto flex items-end gap-2">
          <div>
            <label
              htmlFor={batchId}
              className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400"
            >
              Batch size (keys)
            </label>
            <input
              id={batchId}
              type="number"
              min={1}
              placeholder="adaptive"
              value={batch}
              onChange={(e) => setBatch(e.target.value)}
              className={cn(inputClass, 'w-28 tabular-nums')}
            />
          </div>
          <div>
            <label
              htmlFor={throttleId}
              className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400"
            >
              Throttle (ms between batches)
            </label>
            <input
              id={throttleId}
              type="number"
              min={0}
              step={10}
              value={throttle}
              onChange={(e) => setThrottle(e.target.value)}
              className={cn(inputClass, 'w-28 tabular-nums')}
            />
          </div>
          {live && (
            <button
              type="button"
              className={buttonClass('secondary')}
              disabled={
                action.isPending || (throttleMs === run.throttleMs && batchSize === undefined)
              }
              onClick={() => go({ action: 'adjust', ...sizing })}
            >
              Apply
            </button>
          )}
        </div>
      </div>
      {action.isError && <ActionError error={action.error} />}
    </div>
  );
}
