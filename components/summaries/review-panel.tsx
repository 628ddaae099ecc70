'use client';

import type { ReactNode } from 'react';
import type {
  FieldIssueView,
  PreviewResult,
  PreviewSuccess,
  SummaryDetail,
} from '@/lib/summary/summary-views';
import { SqlDiffView } from '@/components/sql/sql-diff-view';
import { SqlSection } from '@/components/sql/sql-section';
import { cn } from '@/components/ui/cn';
import { ErrorPanel } from '@/components/ui/error-panel';
import { formatEstimate, formatInteger } from '@/components/ui/format';
import { Panel } from '@/components/ui/panel';
import { MigrationDownload } from './migration-download';

/** How a field path reads to a person: `aggregates.1.arg` → "Aggregate 2 argument". */
export function fieldLabel(path: string): string {
  const p = path.split('.');
  const n = (s: string | undefined) => Number(s) + 1;
  if (p[0] === 'groupBy' && p[1] !== undefined)
    return `Key ${n(p[1])}${p[2] ? ` ${p[2] === 'expr' ? 'expression' : p[2] === 'name' ? 'output name' : p[2]}` : ''}`;
  if (p[0] === 'aggregates' && p[1] !== undefined) {
    const part = {
      arg: 'argument',
      fn: 'function',
      name: 'output name',
      filter: 'filter',
      orderBy: 'ORDER BY',
    }[p[2] ?? ''];
    return `Aggregate ${n(p[1])}${part ? ` ${part}` : ''}`;
  }
  const labels: Record<string, string> = {
    name: 'Name',
    sql: 'Defining query',
    filter: 'Row filter',
    'source.table': 'Source table',
    'source.schema': 'Source schema',
    'target.schema': 'Summary table schema',
    'target.table': 'Summary table name',
    aggregates: 'Aggregates',
    groupBy: 'Group keys',
  };
  return labels[path] ?? 'Definition';
}

function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <div className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800" title={hint}>
      <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 text-base font-semibold tabular-nums text-zinc-900 dark:text-zinc-50">
        {value}
      </dd>
    </div>
  );
}

const BASIS: Record<PreviewSuccess['estimate']['basis'], string> = {
  pg_stats: 'from pg_stats n_distinct of the keys',
  planner: "from the planner's GROUP BY estimate (pg_stats)",
  none: 'no statistics: run ANALYZE on the source',
};

/**
 * The right-hand side of the editor: what is wrong (each problem links to its field), or the
 * review of what would be installed: size estimate, warnings, locks, the defining query and
 * every generated section, the diff against the installed version when editing, and the
 * actions (download as migration, apply).
 */
export function ReviewPanel({
  result,
  error,
  checking,
  stale,
  waiting,
  replacing,
  onFocusField,
  applyButton,
}: {
  result: PreviewResult | undefined;
  error: Error | null;
  checking: boolean;
  /** the result shown is for an earlier state of the form */
  stale: boolean;
  /** why there is nothing to check yet */
  waiting: string | null;
  replacing?: SummaryDetail;
  onFocusField: (path: string) => void;
  applyButton: ReactNode;
}) {
  const status = waiting
    ? waiting
    : checking
      ? 'Checking against the database…'
      : error
        ? 'Could not check the definition'
        : result?.ok
          ? 'Valid: review the SQL below'
          : result
            ? `${result.issues.length} ${result.issues.length === 1 ? 'problem' : 'problems'} to fix`
            : '';
  return (
    <Panel
      id="review"
      title="Review"
      description="Generated from the definition as you edit it; nothing runs until you apply."
      actions={
        <p
          role="status"
          className={cn(
            'shrink-0 whitespace-nowrap text-xs font-medium',
            result && !result.ok && !checking && !waiting
              ? 'text-red-700 dark:text-red-400'
              : 'text-zinc-500 dark:text-zinc-400',
          )}
        >
          {status}
        </p>
      }
    >
      <div className={cn('space-y-5 p-4 transition-opacity', stale && 'opacity-60')}>
        {error && !checking && <ErrorPanel title="The preview failed" error={error} />}
        {result && !result.ok && <Problems issues={result.issues} onFocusField={onFocusField} />}
        {result?.ok && (
          <PreviewBody preview={result} replacing={replacing} applyButton={applyButton} />
        )}
        {!result && !error && (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            {waiting ?? 'The generated SQL appears here.'}
          </p>
        )}
      </div>
    </Panel>
  );
}

function Problems({
  issues,
  onFocusField,
}: {
  issues: readonly FieldIssueView[];
  onFocusField: (path: string) => void;
}) {
  return (
    <ul aria-label="Problems" className="space-y-2">
      {issues.map((i, k) => (
        <li
          key={k}
          className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm dark:border-red-900/60 dark:bg-red-950/40"
        >
          <button
            type="button"
            onClick={() => onFocusField(i.field)}
            className="font-semibold text-red-900 underline-offset-2 hover:underline dark:text-red-200"
          >
            {fieldLabel(i.field)}
          </button>
          <span className="text-red-800 dark:text-red-200">: {i.message}</span>
          {i.hint && (
            <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">Hint: {i.hint}</p>
          )}
        </li>
      ))}
    </ul>
  );
}

function PreviewBody({
  preview,
  replacing,
  applyButton,
}: {
  preview: PreviewSuccess;
  replacing?: SummaryDetail;
  applyButton: ReactNode;
}) {
  const e = preview.estimate;
  const statements =
    preview.concurrentIndexes.length +
    preview.sections
      .filter((s) => s.phase === 'install')
      .reduce((n, s) => n + s.statements.length, 0);
  return (
    <>
      <dl className="grid grid-cols-3 gap-2">
        <Stat
          label="Source rows"
          value={e.sourceRows === null ? '—' : formatEstimate(e.sourceRows)}
          hint="pg_class.reltuples"
        />
        <Stat
          label="Estimated groups"
          value={e.groups === null ? '—' : formatEstimate(e.groups)}
          hint={`${BASIS[e.basis]}${e.keys.length ? `: ${e.keys.map((k) => `${k.name} ≈ ${k.nDistinct === null ? '?' : formatInteger(k.nDistinct)}`).join(', ')}` : ''}`}
        />
        <Stat
          label="Statements"
          value={formatInteger(statements)}
          hint="in the install, with the source index"
        />
      </dl>
      <p className="-mt-3 text-xs text-zinc-500 dark:text-zinc-400">
        Groups estimated {BASIS[e.basis]}.
      </p>

      {preview.warnings.length > 0 && (
        <section aria-label="Warnings">
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
            Warnings
          </h3>
          <ul className="space-y-2">
            {preview.warnings.map((w, k) => (
              <li
                key={k}
                className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-200"
              >
                {w.message}
                <span className="ml-1 font-mono text-[11px] text-amber-700/80 dark:text-amber-300/70">
                  [{w.code}]
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-label="Locks">
        <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
          Locks
        </h3>
        <ul className="space-y-1.5 text-sm">
          {preview.locks.map((l, k) => (
            <li key={k} className="text-zinc-700 dark:text-zinc-300">
              <span className="font-mono text-xs font-semibold">{l.mode}</span> on{' '}
              <span className="font-mono text-xs">{l.table}</span> by {l.by}:{' '}
              <span className="text-zinc-600 dark:text-zinc-400">{l.effect}</span>
            </li>
          ))}
        </ul>
      </section>

      {replacing && (
        <section aria-label="Changes" className="space-y-2">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
            Changes from version {replacing.version}
          </h3>
          <SqlDiffView
            label="Defining query"
            before={replacing.definingQuery}
            after={preview.definingQuery}
          />
          <SqlDiffView
            label="Install script"
            before={replacing.installSql}
            after={preview.installRecord}
          />
        </section>
      )}

      <section aria-label="Generated SQL" className="space-y-2">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
          Generated SQL
        </h3>
        <SqlSection title="Defining query" code={preview.definingQuery} />
        {preview.sections.map((s) => (
          <SqlSection
            key={s.id}
            title={s.title}
            code={s.statements.join('\n\n')}
            meta={`${s.statements.length}`}
            defaultOpen={s.id === 'table' || s.id === 'source_indexes'}
          />
        ))}
        <SqlSection title="Uninstall" code={preview.uninstall} defaultOpen={false} />
      </section>

      <section aria-label="Download as migration" className="space-y-2">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
          Download as migration
        </h3>
        <MigrationDownload preview={preview} />
      </section>

      <div className="flex items-center justify-end gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800">
        {applyButton}
      </div>
    </>
  );
}
