'use client';

import { createContext, useContext, useId, type ReactNode } from 'react';
import type { FieldErrors } from 'react-hook-form';
import type { FieldIssueView } from '@/lib/summary/summary-views';
import { cn } from '@/components/ui/cn';
import { atPath, type FormValues } from './form-values';

/**
 * Where the form finds the message for a field: the zod resolver's error (instant, for the
 * field being edited) first, else the issue the live preview reported for that path (the
 * database's verdict: unknown column, type mismatch, volatile expression, name taken).
 */
export interface FieldIssueLookup {
  (path: string): { message: string; hint?: string } | undefined;
}

const FieldIssuesContext = createContext<FieldIssueLookup>(() => undefined);

export function FieldIssuesProvider({
  errors,
  issues,
  children,
}: {
  errors: FieldErrors<FormValues>;
  issues: readonly FieldIssueView[];
  children: ReactNode;
}) {
  const lookup: FieldIssueLookup = (path) => {
    const e = atPath(errors, path) as { message?: unknown } | undefined;
    if (e && typeof e.message === 'string' && e.message) return { message: e.message };
    const i = issues.find((x) => x.field === path);
    return i ? { message: i.message, ...(i.hint ? { hint: i.hint } : {}) } : undefined;
  };
  return <FieldIssuesContext.Provider value={lookup}>{children}</FieldIssuesContext.Provider>;
}

export function useFieldIssue(path: string) {
  return useContext(FieldIssuesContext)(path);
}

export const labelClass = 'mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400';

/**
 * A labelled control with its problem (and hint) underneath, wired for screen readers:
 * the control gets aria-invalid and aria-describedby through `children`'s render props.
 */
export function Field({
  path,
  label,
  hint,
  className,
  id: fixedId,
  children,
}: {
  path: string;
  /** a fixed id for the control, when something else must find it */
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
  children: (a11y: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  }) => ReactNode;
}) {
  const autoId = useId();
  const id = fixedId ?? autoId;
  const issue = useFieldIssue(path);
  const describedBy = [issue ? `${id}-issue` : '', hint ? `${id}-hint` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={className}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children({
        id,
        'aria-invalid': !!issue,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      <FieldProblem id={`${id}-issue`} issue={issue} />
      {hint && !issue && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
    </div>
  );
}

export function FieldProblem({
  id,
  issue,
  className,
}: {
  id?: string;
  issue: { message: string; hint?: string } | undefined;
  className?: string;
}) {
  if (!issue) return null;
  return (
    <p id={id} className={cn('mt-1 text-xs text-red-700 dark:text-red-400', className)}>
      {issue.message}
      {issue.hint && (
        <span className="block text-zinc-600 dark:text-zinc-400">Hint: {issue.hint}</span>
      )}
    </p>
  );
}

/** The input ring turns red when the field has a problem. */
export function invalidRing(invalid: boolean): string | false {
  return invalid && 'ring-red-500 focus:ring-red-600 dark:ring-red-500';
}
