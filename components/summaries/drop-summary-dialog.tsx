'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { z } from 'zod';
import type { SummaryDetail } from '@/lib/summary/summary-views';
import { SqlCode } from '@/components/sql/sql-code';
import { buttonClass } from '@/components/ui/button-class';
import { cn } from '@/components/ui/cn';
import { Dialog } from '@/components/ui/dialog';
import { inputClass } from '@/components/ui/input-class';
import { labelClass } from './field-issues';
import { sendJson, summaryKeys, summaryPath } from './queries';

const droppedSchema = z.object({ dropped: z.string() });

/**
 * Dropping is destructive: the uninstall script is shown first, and the button only works
 * once the summary's name has been typed exactly.
 */
export function DropSummaryDialog({
  summary,
  open,
  onClose,
}: {
  summary: SummaryDetail;
  open: boolean;
  onClose: () => void;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const inputId = useId();
  const drop = useMutation({
    mutationFn: () => sendJson(`/api${summaryPath(summary.name)}`, 'DELETE', droppedSchema),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: summaryKeys.detail(summary.name) });
      await queryClient.invalidateQueries({ queryKey: summaryKeys.list() });
      await queryClient.invalidateQueries({ queryKey: ['audit'] });
      router.push('/summaries');
    },
  });
  const confirmed = typed === summary.name;

  return (
    <Dialog
      open={open}
      onClose={() => {
        if (!drop.isPending) onClose();
      }}
      title={`Drop summary ${summary.name}`}
      description="This runs the uninstall script below in one transaction: the triggers stop, the summary table and its functions are dropped, and the summary is unregistered."
      footer={
        <>
          <button
            type="button"
            className={buttonClass('secondary')}
            onClick={onClose}
            disabled={drop.isPending}
          >
            Cancel
          </button>
          <button
            type="button"
            disabled={!confirmed || drop.isPending}
            onClick={() => drop.mutate()}
            className={buttonClass(
              'primary',
              'bg-red-700 hover:bg-red-600 disabled:bg-red-300 dark:bg-red-600 dark:text-white dark:hover:bg-red-500 dark:disabled:bg-red-900',
            )}
          >
            {drop.isPending ? 'Dropping…' : 'Drop summary'}
          </button>
        </>
      }
    >
      <div className="space-y-4 text-sm">
        <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
          <SqlCode code={summary.uninstallSql} label="Uninstall script" className="max-h-72" />
        </div>
        {summary.usedBy.length > 0 && (
          <p className="text-amber-800 dark:text-amber-300">
            {summary.usedBy.join(', ')} {summary.usedBy.length === 1 ? 'reads' : 'read'} from this
            summary: drop {summary.usedBy.length === 1 ? 'it' : 'them'} first.
          </p>
        )}
        <div>
          <label htmlFor={inputId} className={labelClass}>
            Type{' '}
            <span className="font-mono font-semibold text-zinc-900 dark:text-zinc-100">
              {summary.name}
            </span>{' '}
            to confirm
          </label>
          <input
            id={inputId}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            className={cn(inputClass, 'w-full font-mono')}
          />
        </div>
        {drop.error && (
          <div
            role="alert"
            className="rounded-lg border border-red-200 bg-red-50 p-3 text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
          >
            <p className="font-semibold">The drop failed: nothing was changed.</p>
            <pre className="mt-2 whitespace-pre-wrap break-words font-mono text-xs">
              {drop.error.message}
            </pre>
          </div>
        )}
      </div>
    </Dialog>
  );
}
