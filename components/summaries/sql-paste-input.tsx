'use client';

import { useId } from 'react';
import type { FieldIssueView } from '@/lib/summary/summary-views';
import { cn } from '@/components/ui/cn';
import { inputClass } from '@/components/ui/input-class';
import { invalidRing, labelClass } from './field-issues';

/** The token at a 1-based character position: a word, a quoted name or string, or one character. */
function tokenAt(sql: string, position: number): [number, number] {
  const start = Math.max(0, Math.min(sql.length, position - 1));
  const rest = sql.slice(start);
  const m = /^(?:[\p{L}_][\p{L}\p{N}_$]*|"(?:[^"]|"")*"|'(?:[^']|'')*'|\S)/u.exec(rest);
  return [start, start + (m ? m[0].length : 1)];
}

interface Marked {
  readonly line: number;
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

function markLine(sql: string, position: number): Marked {
  const [from, to] = tokenAt(sql, position);
  const lineStart = sql.lastIndexOf('\n', from - 1) + 1;
  const lineEndRaw = sql.indexOf('\n', from);
  const lineEnd = lineEndRaw < 0 ? sql.length : lineEndRaw;
  return {
    line: sql.slice(0, lineStart).split('\n').length,
    text: sql.slice(lineStart, lineEnd),
    from: from - lineStart,
    to: Math.min(to, lineEnd) - lineStart,
  };
}

/**
 * Paste the slow query: Tally parses it with PostgreSQL's parser and fills the form. What it
 * cannot maintain is shown under the text, each on its own line of the query with the
 * construct marked, the reason and a hint.
 */
export function SqlPasteInput({
  value,
  onChange,
  issues,
}: {
  value: string;
  onChange: (sql: string) => void;
  /** issues on field `sql` (the others are shown by the review panel) */
  issues: readonly FieldIssueView[];
}) {
  const id = useId();
  const problemsId = `${id}-problems`;
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        Defining query
      </label>
      <textarea
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={10}
        spellCheck={false}
        autoComplete="off"
        placeholder={
          'SELECT user_id, sum(duration) FILTER (WHERE duration > 0), count(*)\nFROM crm.admin_user_call_log\nGROUP BY user_id'
        }
        aria-invalid={issues.length > 0}
        aria-describedby={issues.length ? problemsId : undefined}
        className={cn(
          inputClass,
          'w-full resize-y font-mono text-[13px] leading-relaxed',
          invalidRing(issues.length > 0),
        )}
      />
      {issues.length > 0 && (
        <ul id={problemsId} aria-label="Problems in the query" className="mt-3 space-y-3">
          {issues.map((issue, k) => {
            const mark =
              issue.position !== undefined && value ? markLine(value, issue.position) : null;
            return (
              <li
                key={k}
                className="rounded-md border border-red-200 bg-red-50 p-3 text-sm dark:border-red-900/60 dark:bg-red-950/40"
              >
                {mark && (
                  <pre className="mb-2 overflow-x-auto font-mono text-xs text-zinc-700 dark:text-zinc-300">
                    <span className="select-none text-zinc-400 dark:text-zinc-500">{`LINE ${mark.line}: `}</span>
                    {mark.text.slice(0, mark.from)}
                    <mark
                      title={issue.message}
                      className="rounded-sm bg-red-200 px-0.5 text-red-900 underline decoration-red-600 decoration-wavy underline-offset-2 dark:bg-red-900/70 dark:text-red-100"
                    >
                      {mark.text.slice(mark.from, mark.to) || ' '}
                    </mark>
                    {mark.text.slice(mark.to)}
                  </pre>
                )}
                <p className="text-red-800 dark:text-red-200">
                  {issue.message}
                  {issue.position !== undefined && (
                    <span className="text-red-700/80 dark:text-red-300/80">
                      {' '}
                      (at character {issue.position})
                    </span>
                  )}
                </p>
                {issue.hint && (
                  <p className="mt-1 text-zinc-600 dark:text-zinc-400">Hint: {issue.hint}</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
