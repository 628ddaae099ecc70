'use client';

import { useState } from 'react';
import {
  useFieldArray,
  useWatch,
  type UseFormGetValues,
  type UseFormRegister,
  type UseFormSetValue,
} from 'react-hook-form';
import { quoteIdent } from '@/lib/db/ident';
import { AGGREGATE_FUNCTIONS, type AggregateFunction } from '@/lib/definition/definition';
import type { Column } from '@/lib/catalog/catalog-types';
import {
  AGGREGATE_LABELS,
  aggregateOutputName,
  aggregatesForType,
} from '@/lib/summary/aggregate-choices';
import { buttonClass } from '@/components/ui/button-class';
import { cn } from '@/components/ui/cn';
import { inputClass } from '@/components/ui/input-class';
import { FieldProblem, invalidRing, useFieldIssue } from './field-issues';
import type { FormControl, FormValues } from './form-values';

const STAR = '*';
const EXPRESSION = '\u0000expr';

interface Props {
  control: FormControl;
  register: UseFormRegister<FormValues>;
  setValue: UseFormSetValue<FormValues>;
  getValues: UseFormGetValues<FormValues>;
  columns: readonly Column[];
}

/** A name not used yet by another output column: `count`, `count_2`, … */
function freeName(values: FormValues, wanted: string, except: number): string {
  const used = new Set([
    ...values.groupBy.map((k) => k.name || k.column),
    ...values.aggregates.filter((_, j) => j !== except).map((a) => a.name),
  ]);
  if (!used.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!used.has(`${wanted}_${n}`)) return `${wanted}_${n}`;
}

/**
 * The aggregates: a function, its argument (a column of a type it accepts, or any expression),
 * an output name (suggested until the user types one), an optional FILTER (WHERE …) and, for
 * array_agg, ORDER BY.
 */
export function AggregatesEditor(props: Props) {
  const { fields, append, remove } = useFieldArray({ control: props.control, name: 'aggregates' });
  const issue = useFieldIssue('aggregates');
  return (
    <div className="space-y-3">
      <ol className="space-y-2">
        {fields.map((f, i) => (
          <AggregateRow
            key={f.id}
            index={i}
            {...props}
            onRemove={fields.length > 1 ? () => remove(i) : undefined}
          />
        ))}
      </ol>
      <FieldProblem issue={issue} />
      <button
        type="button"
        className={buttonClass('secondary')}
        onClick={() =>
          append({
            name: freeName(props.getValues(), 'count', -1),
            fn: 'count',
            arg: '',
            filter: '',
            orderBy: [],
          })
        }
      >
        + Add an aggregate
      </button>
    </div>
  );
}

function AggregateRow({
  index: i,
  control,
  register,
  setValue,
  getValues,
  columns,
  onRemove,
}: Props & { index: number; onRemove: (() => void) | undefined }) {
  const fn = useWatch({ control, name: `aggregates.${i}.fn` });
  const arg = useWatch({ control, name: `aggregates.${i}.arg` });
  const filter = useWatch({ control, name: `aggregates.${i}.filter` });
  const argColumn = columns.find((c) => quoteIdent(c.name) === arg.trim());
  // an argument that is not one of the columns is an expression; "Expression…" forces the input
  const [forceCustom, setCustom] = useState(false);
  const custom = forceCustom || (arg.trim() !== '' && !argColumn);
  const [showFilter, setShowFilter] = useState(() => filter.trim() !== '');
  const issues = {
    fn: useFieldIssue(`aggregates.${i}.fn`),
    arg: useFieldIssue(`aggregates.${i}.arg`),
    name: useFieldIssue(`aggregates.${i}.name`),
    filter: useFieldIssue(`aggregates.${i}.filter`),
    call: useFieldIssue(`aggregates.${i}`),
    orderBy: useFieldIssue(`aggregates.${i}.orderBy`),
  };
  const n = i + 1;

  /** Changing the function or argument renames the output while the name is still our suggestion. */
  const rename = (nextFn: AggregateFunction, nextColumn: string | undefined) => {
    const values = getValues();
    const current = values.aggregates[i]!.name;
    const before = aggregateOutputName(fn, argColumn?.name ?? (custom ? 'expr' : undefined));
    if (current === '' || current === before || current.startsWith(`${before}_`))
      setValue(
        `aggregates.${i}.name`,
        freeName(
          values,
          aggregateOutputName(nextFn, nextColumn ?? (custom ? 'expr' : undefined)),
          i,
        ),
        {
          shouldDirty: true,
        },
      );
  };

  const argChoice = custom
    ? EXPRESSION
    : argColumn
      ? argColumn.name
      : arg.trim() === ''
        ? STAR
        : EXPRESSION;
  const fits = (c: Column) => aggregatesForType(c.type).includes(fn);

  return (
    <li className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="grid grid-cols-[8.5rem_minmax(0,1fr)_7.5rem_1.75rem] items-start gap-2">
        <select
          {...register(`aggregates.${i}.fn`, {
            onChange: (e: { target: { value: string } }) => {
              const next = e.target.value as AggregateFunction;
              if (next !== 'count' && argChoice === STAR) {
                // everything but count needs an argument: take the first column that fits
                const fitting = columns.filter((c) => aggregatesForType(c.type).includes(next));
                // a measure rather than a key: skip primary and foreign key columns when possible
                const first = fitting.find((c) => !c.inPrimaryKey && !c.inForeignKey) ?? fitting[0];
                if (first)
                  setValue(`aggregates.${i}.arg`, quoteIdent(first.name), { shouldDirty: true });
                rename(next, first?.name);
              } else rename(next, argColumn?.name);
            },
          })}
          aria-label={`Aggregate ${n} function`}
          aria-invalid={!!issues.fn}
          className={cn(inputClass, 'w-full pr-7', invalidRing(!!issues.fn))}
        >
          {AGGREGATE_FUNCTIONS.map((f) => (
            <option key={f} value={f}>
              {AGGREGATE_LABELS[f]}
            </option>
          ))}
        </select>
        <select
          value={argChoice}
          onChange={(e) => {
            const v = e.target.value;
            setCustom(v === EXPRESSION);
            if (v === EXPRESSION) {
              setValue(`aggregates.${i}.arg`, argColumn ? quoteIdent(argColumn.name) : '', {
                shouldDirty: true,
              });
              return;
            }
            setValue(`aggregates.${i}.arg`, v === STAR ? '' : quoteIdent(v), {
              shouldDirty: true,
              shouldTouch: true,
            });
            rename(fn, v === STAR ? undefined : v);
          }}
          aria-label={`Aggregate ${n} argument`}
          aria-invalid={!!issues.arg && !custom}
          className={cn(inputClass, 'w-full pr-7 font-mono', invalidRing(!!issues.arg && !custom))}
        >
          {fn === 'count' && <option value={STAR}>* (all rows)</option>}
          {argChoice === STAR && fn !== 'count' && <option value={STAR}>Choose a column</option>}
          {columns.map((c) => (
            <option
              key={c.name}
              value={c.name}
              title={c.type}
              disabled={!fits(c) && c.name !== argColumn?.name}
            >
              {c.name}
            </option>
          ))}
          <option value={EXPRESSION}>Expression…</option>
        </select>
        <input
          {...register(`aggregates.${i}.name`)}
          aria-label={`Aggregate ${n} output name`}
          aria-invalid={!!issues.name}
          spellCheck={false}
          autoComplete="off"
          className={cn(inputClass, 'w-full font-mono', invalidRing(!!issues.name))}
        />
        {onRemove ? (
          <button
            type="button"
            onClick={onRemove}
            aria-label={`Remove aggregate ${n}`}
            className={buttonClass('ghost', 'px-0')}
          >
            <span aria-hidden="true">✕</span>
          </button>
        ) : (
          <span />
        )}
      </div>
      {custom && (
        <input
          {...register(`aggregates.${i}.arg`)}
          aria-label={`Aggregate ${n} argument expression`}
          aria-invalid={!!issues.arg}
          placeholder="price * quantity"
          spellCheck={false}
          autoComplete="off"
          className={cn(inputClass, 'mt-2 w-full font-mono', invalidRing(!!issues.arg))}
        />
      )}
      <FieldProblem issue={issues.fn ?? issues.call} />
      <FieldProblem issue={issues.arg} />
      <FieldProblem issue={issues.name} />

      {fn === 'array_agg' && <OrderByEditor index={i} control={control} register={register} />}
      <FieldProblem issue={issues.orderBy} />

      {showFilter ? (
        <div className="mt-2 flex items-center gap-2">
          <span className="shrink-0 font-mono text-xs text-zinc-500 dark:text-zinc-400">
            FILTER (WHERE
          </span>
          <input
            {...register(`aggregates.${i}.filter`)}
            aria-label={`Aggregate ${n} filter`}
            aria-invalid={!!issues.filter}
            placeholder="duration > 0"
            spellCheck={false}
            autoComplete="off"
            className={cn(inputClass, 'min-w-0 flex-1 font-mono', invalidRing(!!issues.filter))}
          />
          <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">)</span>
          <button
            type="button"
            aria-label={`Remove the filter of aggregate ${n}`}
            className={buttonClass('ghost', 'px-2')}
            onClick={() => {
              setValue(`aggregates.${i}.filter`, '', { shouldDirty: true });
              setShowFilter(false);
            }}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="mt-2 text-xs font-medium text-sky-700 hover:underline dark:text-sky-400"
          onClick={() => setShowFilter(true)}
        >
          + FILTER (WHERE …)
        </button>
      )}
      <FieldProblem issue={issues.filter} />
    </li>
  );
}

function OrderByEditor({
  index: i,
  control,
  register,
}: {
  index: number;
  control: FormControl;
  register: UseFormRegister<FormValues>;
}) {
  const { fields, append, remove } = useFieldArray({ control, name: `aggregates.${i}.orderBy` });
  return (
    <div className="mt-2 space-y-1.5">
      {fields.map((f, j) => (
        <div key={f.id} className="flex items-center gap-2">
          <span className="w-20 shrink-0 font-mono text-xs text-zinc-500 dark:text-zinc-400">
            {j === 0 ? 'ORDER BY' : ','}
          </span>
          <input
            {...register(`aggregates.${i}.orderBy.${j}.expr`)}
            aria-label={`Aggregate ${i + 1} order ${j + 1}`}
            spellCheck={false}
            autoComplete="off"
            placeholder="created_at"
            className={cn(inputClass, 'min-w-0 flex-1 font-mono')}
          />
          <select
            {...register(`aggregates.${i}.orderBy.${j}.direction`)}
            aria-label={`Aggregate ${i + 1} order ${j + 1} direction`}
            className={cn(inputClass, 'w-24 pr-8')}
          >
            <option value="asc">ASC</option>
            <option value="desc">DESC</option>
          </select>
          <button
            type="button"
            aria-label={`Remove order ${j + 1} of aggregate ${i + 1}`}
            className={buttonClass('ghost', 'px-2')}
            onClick={() => remove(j)}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
      ))}
      <button
        type="button"
        className="text-xs font-medium text-sky-700 hover:underline dark:text-sky-400"
        onClick={() => append({ expr: '', direction: 'asc' })}
      >
        + ORDER BY
      </button>
    </div>
  );
}
