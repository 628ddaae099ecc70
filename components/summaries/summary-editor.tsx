'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useMemo, useState } from 'react';
import { useForm, useWatch, type Path, type Resolver } from 'react-hook-form';
import { definition, type Definition } from '@/lib/definition/definition';
import type { PreviewRequest, SummaryDetail } from '@/lib/summary/summary-views';
import { catalogOverviewQuery, tableDetailQuery } from '@/components/catalog/queries';
import { buttonClass } from '@/components/ui/button-class';
import { cn } from '@/components/ui/cn';
import { ErrorPanel } from '@/components/ui/error-panel';
import { inputClass } from '@/components/ui/input-class';
import { Panel } from '@/components/ui/panel';
import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';
import { AggregatesEditor } from './aggregates-editor';
import { ApplyDialog } from './apply-dialog';
import { Field, FieldIssuesProvider, invalidRing } from './field-issues';
import { EMPTY_FORM, fromDefinition, toDefinitionInput, type FormValues } from './form-values';
import { GroupKeysEditor } from './group-keys-editor';
import { previewQuery, summaryPath } from './queries';
import { ReviewPanel } from './review-panel';
import { SourceColumns } from './source-columns';
import { SourceTablePicker } from './source-table-picker';
import { SqlPasteInput } from './sql-paste-input';
import { useDebouncedValue } from './use-debounced-value';

/**
 * The form validates with the core's own zod schema: the form's values are turned into the
 * definition shape first, and the field paths are the same, so zod's messages land on the
 * inputs. The database's verdict comes from the live preview (ReviewPanel).
 */
const zod = zodResolver(definition);
const definitionResolver: Resolver<FormValues, unknown, Definition> = (values, context, options) =>
  zod(toDefinitionInput(values) as never, context, options as never) as never;

const PREVIEW_DEBOUNCE_MS = 400;
const NO_REQUEST: PreviewRequest = { mode: 'sql', name: '', sql: '' };

/** A summary name from a table name: lower case, [a-z0-9_], starting with a letter. */
function suggestedName(table: string): string {
  const base = table
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(\d)/, 't_$1');
  return `${base || 'summary'}_summary`.slice(0, 50);
}

export function SummaryEditor({ replacing }: { replacing?: SummaryDetail }) {
  const router = useRouter();
  const overview = useQuery(catalogOverviewQuery());
  const form = useForm<FormValues, unknown, Definition>({
    defaultValues: replacing ? fromDefinition(replacing.definition) : EMPTY_FORM,
    resolver: definitionResolver,
    mode: 'onTouched',
  });
  const { control, register, setValue, getValues, setFocus, reset, trigger, formState } = form;
  const values = useWatch({ control }) as FormValues;
  const [inputMode, setInputMode] = useState<'form' | 'sql'>('form');
  const [sql, setSql] = useState('');
  const [lockTimeoutMs, setLockTimeoutMs] = useState(5000);
  const [applyOpen, setApplyOpen] = useState(false);
  const sqlId = useId();

  const source = values.source;
  const detail = useQuery({
    ...tableDetailQuery(source.schema, source.table),
    enabled: source.table !== '',
  });
  const columns = detail.data?.columns ?? [];

  // ---- the live preview: debounced, keyed by the request itself
  const request: PreviewRequest | null =
    inputMode === 'sql'
      ? sql.trim()
        ? {
            mode: 'sql',
            name: values.name.trim(),
            sql,
            lockTimeoutMs,
            ...(replacing ? { replacing: replacing.name } : {}),
          }
        : null
      : source.table
        ? {
            mode: 'form',
            definition: toDefinitionInput(values),
            lockTimeoutMs,
            ...(replacing ? { replacing: replacing.name } : {}),
          }
        : null;
  const requestKey = request ? JSON.stringify(request) : null;
  const settledKey = useDebouncedValue(requestKey, PREVIEW_DEBOUNCE_MS);
  const settled = useMemo(
    () => (settledKey ? (JSON.parse(settledKey) as PreviewRequest) : null),
    [settledKey],
  );
  const preview = useQuery({
    ...previewQuery(settled ?? NO_REQUEST),
    enabled: settled !== null,
    placeholderData: keepPreviousData,
  });
  const result = request ? preview.data : undefined;
  const stale = requestKey !== settledKey || preview.isPlaceholderData;
  const issues = result && !result.ok ? result.issues : [];
  const waiting =
    inputMode === 'sql'
      ? sql.trim()
        ? null
        : 'Paste a SELECT … GROUP BY query to start.'
      : source.table
        ? null
        : 'Choose a source table to start.';

  const focusField = (path: string) => {
    if (path === 'sql' || (inputMode === 'sql' && path !== 'name')) {
      setInputMode('sql');
      requestAnimationFrame(() =>
        document.getElementById(sqlId)?.querySelector('textarea')?.focus(),
      );
      return;
    }
    if (path.startsWith('source')) {
      document.getElementById('source-table')?.focus();
      return;
    }
    try {
      setFocus(path as Path<FormValues>);
    } catch {
      // not an input of its own (e.g. a whole aggregate): the message is next to it anyway
    }
  };

  const switchMode = (next: 'form' | 'sql') => {
    if (next === inputMode) return;
    if (next === 'sql' && !sql.trim() && result?.ok) setSql(result.definingQuery);
    if (next === 'form' && result?.ok && result.definition)
      reset(fromDefinition(result.definition));
    setInputMode(next);
  };

  const pickSource = (t: { schema: string; table: string }) => {
    const before = getValues('source');
    setValue(
      'source',
      { schema: t.schema, table: t.table },
      { shouldDirty: true, shouldTouch: true },
    );
    if (!replacing && !getValues('name').trim())
      setValue('name', suggestedName(t.table), { shouldDirty: true });
    // keys and aggregates name columns of the old table: start over on another one
    if (before.table && (before.schema !== t.schema || before.table !== t.table)) {
      setValue('groupBy', []);
      setValue('aggregates', EMPTY_FORM.aggregates);
    }
  };

  const canApply = !!result?.ok && !stale && !preview.isFetching;
  const applyButton = (
    <button
      type="button"
      className={buttonClass('primary')}
      disabled={!canApply}
      onClick={async () => {
        if (inputMode === 'form' && !(await trigger())) return;
        setApplyOpen(true);
      }}
    >
      {replacing ? 'Rebuild…' : 'Apply…'}
    </button>
  );

  if (overview.isPending) return <TableSkeleton label="Loading the catalog" rows={6} />;
  if (overview.isError)
    return (
      <ErrorPanel
        title="Could not read the catalog"
        error={overview.error}
        onRetry={() => void overview.refetch()}
      />
    );

  return (
    <FieldIssuesProvider errors={formState.errors} issues={issues}>
      <div className="grid items-start gap-6 xl:grid-cols-2">
        <form
          className="min-w-0 space-y-5"
          onSubmit={(e) => e.preventDefault()}
          noValidate
          aria-label="Summary definition"
        >
          <div
            role="group"
            aria-label="How to define it"
            className="inline-flex rounded-lg bg-zinc-100 p-1 dark:bg-zinc-800/70"
          >
            {(['form', 'sql'] as const).map((m) => (
              <button
                key={m}
                type="button"
                aria-pressed={inputMode === m}
                onClick={() => switchMode(m)}
                className={cn(
                  'rounded-md px-3 py-1 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-sky-600',
                  inputMode === m
                    ? 'bg-white text-zinc-900 shadow-xs dark:bg-zinc-950 dark:text-zinc-50'
                    : 'text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100',
                )}
              >
                {m === 'form' ? 'Build with the form' : 'Paste SQL'}
              </button>
            ))}
          </div>

          <Panel id="summary" title="Summary">
            <div className="space-y-4 p-4">
              <Field
                path="name"
                label="Summary name"
                hint={
                  replacing
                    ? 'An edit keeps the name.'
                    : 'Lower-case letters, digits and _; also the summary table’s name.'
                }
              >
                {(a11y) => (
                  <input
                    {...a11y}
                    {...register('name')}
                    readOnly={!!replacing}
                    spellCheck={false}
                    autoComplete="off"
                    placeholder="calls_by_user"
                    className={cn(
                      inputClass,
                      'w-full font-mono read-only:bg-zinc-50 dark:read-only:bg-zinc-800/60',
                      invalidRing(a11y['aria-invalid']),
                    )}
                  />
                )}
              </Field>
              {inputMode === 'form' && (
                <details open={!!(values.target.schema || values.target.table)}>
                  <summary className="cursor-pointer text-xs font-medium text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
                    Where the summary table goes
                  </summary>
                  <div className="mt-3 grid gap-4 sm:grid-cols-2">
                    <Field path="target.schema" label="Schema">
                      {(a11y) => (
                        <select
                          {...a11y}
                          {...register('target.schema')}
                          className={cn(
                            inputClass,
                            'w-full pr-8',
                            invalidRing(a11y['aria-invalid']),
                          )}
                        >
                          <option value="">
                            Same as the source{source.schema ? ` (${source.schema})` : ''}
                          </option>
                          {overview.data.schemas.map((s) => (
                            <option key={s.name} value={s.name}>
                              {s.name}
                            </option>
                          ))}
                        </select>
                      )}
                    </Field>
                    <Field path="target.table" label="Table">
                      {(a11y) => (
                        <input
                          {...a11y}
                          {...register('target.table')}
                          placeholder={values.name || 'the summary’s name'}
                          spellCheck={false}
                          autoComplete="off"
                          className={cn(
                            inputClass,
                            'w-full font-mono',
                            invalidRing(a11y['aria-invalid']),
                          )}
                        />
                      )}
                    </Field>
                  </div>
                </details>
              )}
            </div>
          </Panel>

          {inputMode === 'sql' ? (
            <Panel
              id="paste-sql"
              title="Paste the slow query"
              description="Parsed with PostgreSQL’s own parser: one table, optional WHERE, GROUP BY, supported aggregates."
            >
              <div id={sqlId} className="space-y-3 p-4">
                <SqlPasteInput
                  value={sql}
                  onChange={setSql}
                  issues={issues.filter((i) => i.field === 'sql')}
                />
                {result?.ok && !stale && (
                  <button
                    type="button"
                    className={buttonClass('secondary')}
                    onClick={() => switchMode('form')}
                  >
                    Edit in the form
                  </button>
                )}
              </div>
            </Panel>
          ) : (
            <>
              <Panel id="source" title="Source table">
                <div className="space-y-3 p-4">
                  <Field path="source.table" label="Table to summarize" id="source-table">
                    {(a11y) =>
                      replacing ? (
                        <input
                          {...a11y}
                          readOnly
                          value={`${source.schema}.${source.table}`}
                          className={cn(
                            inputClass,
                            'w-full bg-zinc-50 font-mono dark:bg-zinc-800/60',
                          )}
                        />
                      ) : (
                        <SourceTablePicker
                          overview={overview.data}
                          value={source}
                          onChange={pickSource}
                          a11y={a11y}
                        />
                      )
                    }
                  </Field>
                  {source.table &&
                    (detail.isPending ? (
                      <Skeleton className="h-32" />
                    ) : detail.isError ? (
                      <ErrorPanel
                        title="Could not read this table"
                        error={detail.error}
                        onRetry={() => void detail.refetch()}
                      />
                    ) : detail.data ? (
                      <SourceColumns detail={detail.data} />
                    ) : (
                      <p className="text-sm text-red-700 dark:text-red-400">
                        This table no longer exists.
                      </p>
                    ))}
                </div>
              </Panel>

              <Panel
                id="group-by"
                title="Group by"
                description="One summary row per distinct combination of these keys."
              >
                <div className="p-4">
                  <GroupKeysEditor control={control} register={register} columns={columns} />
                </div>
              </Panel>

              <Panel
                id="aggregates"
                title="Aggregates"
                description="Only the functions that fit a column’s type are offered for it."
              >
                <div className="p-4">
                  <AggregatesEditor
                    control={control}
                    register={register}
                    setValue={setValue}
                    getValues={getValues}
                    columns={columns}
                  />
                </div>
              </Panel>

              <Panel id="row-filter" title="Row filter">
                <div className="p-4">
                  <Field
                    path="filter"
                    label={<span className="font-mono">WHERE</span>}
                    hint="Rows outside it do not count, e.g. deleted_at IS NULL AND NOT draft. Immutable expressions only."
                  >
                    {(a11y) => (
                      <textarea
                        {...a11y}
                        {...register('filter')}
                        rows={2}
                        spellCheck={false}
                        autoComplete="off"
                        placeholder="deleted_at IS NULL AND NOT draft"
                        className={cn(
                          inputClass,
                          'w-full resize-y font-mono',
                          invalidRing(a11y['aria-invalid']),
                        )}
                      />
                    )}
                  </Field>
                </div>
              </Panel>
            </>
          )}
        </form>

        <ReviewPanel
          result={result}
          error={request ? preview.error : null}
          checking={!!request && (preview.isFetching || requestKey !== settledKey)}
          stale={stale}
          waiting={waiting}
          replacing={replacing}
          onFocusField={focusField}
          applyButton={applyButton}
        />
      </div>

      {result?.ok && (
        <ApplyDialog
          open={applyOpen}
          onClose={() => setApplyOpen(false)}
          preview={result}
          replacing={replacing}
          lockTimeoutMs={lockTimeoutMs}
          onLockTimeoutMs={setLockTimeoutMs}
          onApplied={(s) => {
            setApplyOpen(false);
            router.push(`${summaryPath(s.name)}?applied=${replacing ? 'rebuild' : 'create'}`);
          }}
        />
      )}
    </FieldIssuesProvider>
  );
}
