'use client';

import { useMemo } from 'react';
import { diffHunks, diffLines, diffStats } from '@/lib/summary/line-diff';
import { cn } from '@/components/ui/cn';

/** A unified diff of two SQL texts: removed lines red, added green, unchanged context grey. */
export function SqlDiffView({
  before,
  after,
  label,
}: {
  before: string;
  after: string;
  label: string;
}) {
  const { hunks, stats } = useMemo(() => {
    const lines = diffLines(before, after);
    return { hunks: diffHunks(lines, 3), stats: diffStats(lines) };
  }, [before, after]);

  return (
    <section
      aria-label={label}
      className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800"
    >
      <header className="flex items-center justify-between gap-2 border-b border-zinc-200 bg-zinc-50/80 px-3 py-2 text-xs dark:border-zinc-800 dark:bg-zinc-900/60">
        <span className="font-semibold text-zinc-800 dark:text-zinc-200">{label}</span>
        <span className="tabular-nums">
          <span className="text-emerald-700 dark:text-emerald-400">+{stats.added}</span>{' '}
          <span className="text-red-700 dark:text-red-400">−{stats.removed}</span>
        </span>
      </header>
      {hunks.length === 0 ? (
        <p className="px-3 py-2 text-sm text-zinc-500 dark:text-zinc-400">No change.</p>
      ) : (
        <div className="max-h-[28rem] overflow-auto bg-white font-mono text-xs leading-relaxed dark:bg-zinc-900">
          {hunks.map((h, k) => (
            <div key={k}>
              <div className="bg-sky-50 px-3 py-0.5 text-sky-800 dark:bg-sky-950/40 dark:text-sky-300">
                @@ −{h.oldStart},{h.oldLines} +{h.newStart},{h.newLines} @@
              </div>
              {h.lines.map((l, j) => (
                <div
                  key={j}
                  className={cn(
                    'whitespace-pre px-3',
                    l.kind === 'add' &&
                      'bg-emerald-50 text-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200',
                    l.kind === 'del' &&
                      'bg-red-50 text-red-900 dark:bg-red-950/40 dark:text-red-200',
                    l.kind === 'same' && 'text-zinc-600 dark:text-zinc-400',
                  )}
                >
                  <span className="select-none" aria-hidden="true">
                    {l.kind === 'add' ? '+ ' : l.kind === 'del' ? '- ' : '  '}
                  </span>
                  <span className="sr-only">
                    {l.kind === 'add' ? 'added: ' : l.kind === 'del' ? 'removed: ' : ''}
                  </span>
                  {l.text}
                </div>
              ))}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
