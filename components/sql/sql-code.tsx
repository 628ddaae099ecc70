'use client';

import { useEffect, useState } from 'react';
import { cn } from '@/components/ui/cn';
import { highlightSql } from './highlight-sql';

// shiki's CSS variables: the light theme by default, the dark one under html.dark
const THEME =
  '[&_pre]:!bg-transparent [&_.shiki_span]:[color:var(--shiki-light)] dark:[&_.shiki_span]:[color:var(--shiki-dark)]';
const BLOCK =
  'overflow-x-auto p-4 font-mono text-xs leading-relaxed text-zinc-800 dark:text-zinc-200 [&_pre]:font-mono';

/**
 * A block of SQL: plain text at once, syntax-highlighted as soon as shiki has loaded. The
 * highlighted HTML is only shown for the text it was made from, so an update never shows
 * stale colours over new text.
 */
export function SqlCode({
  code,
  label,
  className,
}: {
  code: string;
  /** names the block for screen readers */
  label: string;
  className?: string;
}) {
  const [highlighted, setHighlighted] = useState<{ code: string; html: string } | null>(null);
  useEffect(() => {
    let live = true;
    highlightSql(code)
      .then((html) => {
        if (live) setHighlighted({ code, html });
      })
      // highlighting is decoration: the plain text stays
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [code]);

  const html = highlighted?.code === code ? highlighted.html : null;
  return (
    <div role="region" aria-label={label} className={cn(BLOCK, THEME, className)}>
      {html ? (
        <div dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <pre>
          <code>{code}</code>
        </pre>
      )}
    </div>
  );
}
