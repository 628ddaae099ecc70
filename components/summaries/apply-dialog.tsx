'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import {
  summaryDetailSchema,
  type PreviewSuccess,
  type SummaryDetail,
} from '@/lib/summary/summary-views';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button-class';
import { cn } from '@/components/ui/cn';
import { Dialog } from '@/components/ui/dialog';
import { formatEstimate } from '@/components/ui/format';
import { inputClass } from '@/components/ui/input-class';
import { labelClass } from './field-issues';
import { MutationError, sendJson, summaryKeys, summaryPath } from './queries';

/** Above this many source rows, filling inside the install transaction is not the default. */
const POPULATE_DEFAULT_MAX_ROWS = 200_000;

/**
 * The confirmation before anything runs: every step in order, the locks and how long they may
 * be waited for, and the options. Apply runs createSummary (or, editing, rebuildSummary): one
 * transaction, so a failure leaves nothing behind; the psql-style error is shown here.
 */
export function ApplyDialog({
  open,
  onClose,
  preview,
  replacing,
  lockTimeoutMs,
  onLockTimeoutMs,
  onApplied,
}: {
  open: boolean;
  onClose: () => void;
  preview: PreviewSuccess;
  /** editing: the installed version this replaces */
  replacing?: SummaryDetail;
  lockTimeoutMs: number;
  onLockTimeoutMs: (ms: number) => void;
  onApplied: (s: SummaryDetail) => void;
}) {
  const queryClient = useQueryClient();
  const rows = preview.estimate.sourceRows;
  const [populate, setPopulate] = useState(rows !== null && rows <= POPULATE_DEFAULT_MAX_ROWS);
  const [started, setStarted] = useState<number | null>(null);
  const [now, setNow] = useState(0);
  const populateId = useId();
  const timeoutId = useId();
  const name = preview.definition.name;

  const apply = useMutation({
    mutationFn: () =>
      replacing
        ? sendJson(`/api${summaryPath(name)}`, 'PUT', summaryDetailSchema, {
            definition: preview.definition,
            populate,
            lockTimeoutMs,
          })
        : sendJson('/api/summaries', 'POST', summaryDetailSchema, {
            definition: preview.definition,
            populate,
            lockTimeoutMs,
          }),
    onSuccess: async (detail) => {
      queryClient.setQueryData(summaryKeys.detail(detail.name), detail);
      await queryClient.invalidateQueries({ queryKey: summaryKeys.list() });
      await queryClient.invalidateQueries({ queryKey: ['audit'] });
      onApplied(detail);
    },
  });

  // elapsed time while the transaction runs (it may wait up to lock_timeout for its lock)
  useEffect(() => {
    if (started === null || !apply.isPending) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [started, apply.isPending]);

  const install = preview.sections.filter((s) => s.phase === 'install');
  const fill = preview.sections.filter((s) => s.phase === 'populate');
  const count = (xs: typeof install) => xs.reduce((n, s) => n + s.statements.length, 0);
  const error = apply.error;

  return (
    <Dialog
      open={open}
      onClose={() => {
        if (!apply.isPending) onClose();
      }}
      title={replacing ? `Rebuild summary ${name}` : `Apply summary ${name}`}
      description={
        replacing
          ? `Version ${replacing.version} is removed and version ${replacing.version + 1} installed in one transaction: readers see one or the other.`
          : 'Nothing has run yet. This is everything that will, in this order.'
      }
      footer={
        <>
          <button
            type="button"
            className={buttonClass('secondary')}
            onClick={onClose}
            disabled={apply.isPending}
          >
            Cancel
          </button>
          <button
            type="button"
            className={buttonClass('primary')}
            disabled={apply.isPending}
            onClick={() => {
              setStarted(Date.now());
              setNow(Date.now());
              apply.mutate();
            }}
          >
            {apply.isPending ? 'Applying…' : replacing ? 'Rebuild' : 'Apply'}
          </button>
        </>
      }
    >
      <div className="space-y-5 text-sm">
        <ol className="list-decimal space-y-1.5 pl-5 marker:text-zinc-400">
          {preview.concurrentIndexes.length > 0 && (
            <li>
              <span className="font-medium">Before the transaction:</span>{' '}
              {preview.concurrentIndexes.length} ×{' '}
              <code className="font-mono text-xs">CREATE INDEX CONCURRENTLY</code> on the source
              (writes continue while it builds).
            </li>
          )}
          <li>
            <code className="font-mono text-xs">
              BEGIN; SET LOCAL lock_timeout = {lockTimeoutMs}
            </code>
          </li>
          {replacing && (
            <li>
              The uninstall script of version {replacing.version}: its triggers, table and
              functions.
            </li>
          )}
          {install.map((s) => (
            <li key={s.id}>
              {s.title}{' '}
              <span className="text-zinc-500 dark:text-zinc-400">
                ({s.statements.length} statements)
              </span>
            </li>
          ))}
          {populate &&
            fill.map((s) => (
              <li key={s.id}>
                Fill from the source{' '}
                <span className="text-zinc-500 dark:text-zinc-400">({count(fill)} statements)</span>
              </li>
            ))}
          <li>
            {replacing ? 'Update' : 'Register'} the summary in{' '}
            <code className="font-mono text-xs">tally.summaries</code> and write every statement to
            the audit log; <code className="font-mono text-xs">COMMIT</code>
          </li>
        </ol>

        <div>
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
            Locks
          </h3>
          <ul className="space-y-2">
            {preview.locks.map((l, k) => (
              <li
                key={k}
                className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800"
              >
                <div className="flex flex-wrap items-center gap-2">
                  <Badge
                    tone={
                      l.mode === 'ACCESS EXCLUSIVE'
                        ? 'red'
                        : l.phase === 'concurrent'
                          ? 'neutral'
                          : 'amber'
                    }
                  >
                    {l.mode}
                  </Badge>
                  <span className="font-mono text-xs">{l.table}</span>
                  <span className="text-xs text-zinc-500 dark:text-zinc-400">by {l.by}</span>
                </div>
                <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-300">{l.effect}</p>
              </li>
            ))}
            {populate && (
              <li className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-200">
                Filling runs inside the transaction, so writers of the source wait while it reads
                {rows !== null ? ` about ${formatEstimate(rows)} rows` : ' the whole table'}.
              </li>
            )}
          </ul>
        </div>

        <div className="flex flex-wrap items-end gap-6">
          <div>
            <label htmlFor={timeoutId} className={labelClass}>
              lock_timeout (ms)
            </label>
            <input
              id={timeoutId}
              type="number"
              min={0}
              max={600000}
              step={500}
              value={lockTimeoutMs}
              onChange={(e) =>
                onLockTimeoutMs(Math.max(0, Math.min(600_000, Number(e.target.value) || 0)))
              }
              className={cn(inputClass, 'w-32 tabular-nums')}
            />
          </div>
          <div className="flex items-start gap-2 pb-1.5">
            <input
              id={populateId}
              type="checkbox"
              checked={populate}
              onChange={(e) => setPopulate(e.target.checked)}
              className="mt-0.5 size-4 accent-zinc-900 dark:accent-zinc-100"
            />
            <label htmlFor={populateId} className="text-sm text-zinc-700 dark:text-zinc-300">
              Fill it now, in the install transaction
              <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                Otherwise it is installed empty with live triggers, ready for a backfill.
              </span>
            </label>
          </div>
        </div>

        {apply.isPending && started !== null && (
          <p role="status" className="flex items-center gap-2 text-zinc-600 dark:text-zinc-300">
            <span
              className="size-3 animate-spin rounded-full border-2 border-zinc-300 border-t-zinc-800 dark:border-zinc-600 dark:border-t-zinc-100"
              aria-hidden="true"
            />
            Running in one transaction… {((now - started) / 1000).toFixed(1)} s
          </p>
        )}
        {error && (
          <div
            role="alert"
            className="rounded-lg border border-red-200 bg-red-50 p-3 text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
          >
            <p className="font-semibold">
              {replacing ? 'The rebuild failed' : 'The apply failed'}: nothing was changed (the
              transaction was rolled back).
            </p>
            <pre className="mt-2 whitespace-pre-wrap break-words font-mono text-xs">
              {error.message}
            </pre>
            {error instanceof MutationError && error.status === 403 && (
              <p className="mt-2 text-xs">Only the admin role can apply summaries.</p>
            )}
          </div>
        )}
      </div>
    </Dialog>
  );
}
