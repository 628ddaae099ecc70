'use client';

import { useId, useState, type ReactNode } from 'react';
import { cn } from '@/components/ui/cn';
import { CopyButton } from './copy-button';
import { SqlCode } from './sql-code';

/**
 * One titled block of generated SQL: a disclosure (long function bodies start closed) with a
 * Copy button that copies the block whether it is open or not.
 */
export function SqlSection({
  title,
  code,
  defaultOpen = true,
  meta,
}: {
  title: string;
  code: string;
  defaultOpen?: boolean;
  meta?: ReactNode;
}) {
  const [open, setOpen] = useState(defaultOpen);
  const bodyId = useId();
  return (
    <section
      aria-label={title}
      className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex items-center gap-2 border-b border-zinc-200 bg-zinc-50/80 px-2 py-1 dark:border-zinc-800 dark:bg-zinc-900/60">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={() => setOpen((o) => !o)}
          className="flex min-w-0 flex-1 items-center gap-2 rounded px-1 py-1 text-left text-xs font-semibold text-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-600 dark:text-zinc-200"
        >
          <svg
            viewBox="0 0 16 16"
            className={cn('size-3 shrink-0 transition-transform', open && 'rotate-90')}
            fill="currentColor"
            aria-hidden="true"
          >
            <path d="M6 4l4 4-4 4z" />
          </svg>
          <span className="truncate">{title}</span>
          {meta && (
            <span className="shrink-0 font-normal text-zinc-500 dark:text-zinc-400">{meta}</span>
          )}
        </button>
        <CopyButton text={code} label={`Copy: ${title}`} />
      </div>
      <div id={bodyId} hidden={!open}>
        {open && <SqlCode code={code} label={`SQL: ${title}`} />}
      </div>
    </section>
  );
}
