'use client';

import { useController, useFieldArray, useWatch, type UseFormRegister } from 'react-hook-form';
import type { Column } from '@/lib/catalog/catalog-types';
import { dayBucket } from '@/lib/summary/aggregate-choices';
import { buttonClass } from '@/components/ui/button-class';
import { cn } from '@/components/ui/cn';
import { inputClass } from '@/components/ui/input-class';
import { FieldProblem, invalidRing, useFieldIssue } from './field-issues';
import type { FormControl, FormValues } from './form-values';

/**
 * GROUP BY: plain columns, or expressions; a day bucket is offered for every timestamp
 * column, written so that it is immutable (resolve refuses session-dependent expressions).
 */
export function GroupKeysEditor({
  control,
  register,
  columns,
}: {
  control: FormControl;
  register: UseFormRegister<FormValues>;
  columns: readonly Column[];
}) {
  const { fields, append, remove } = useFieldArray({ control, name: 'groupBy' });
  const buckets = columns.flatMap((c) => {
    const b = dayBucket(c.name, c.type);
    return b ? [{ column: c, ...b }] : [];
  });

  const add = (choice: string) => {
    if (choice === 'expression') append({ kind: 'expression', column: '', expr: '', name: '' });
    else if (choice.startsWith('column:'))
      append({ kind: 'column', column: choice.slice(7), expr: '', name: '' });
    else if (choice.startsWith('day:')) {
      const b = buckets.find((x) => x.column.name === choice.slice(4));
      if (b) append({ kind: 'expression', column: '', expr: b.expr, name: b.name });
    }
  };

  return (
    <div className="space-y-3">
      {fields.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          No group keys: the summary keeps one row with the aggregates over the whole table.
        </p>
      ) : (
        <ol className="space-y-2">
          {fields.map((f, i) => (
            <KeyRow
              key={f.id}
              index={i}
              control={control}
              register={register}
              columns={columns}
              onRemove={() => remove(i)}
            />
          ))}
        </ol>
      )}
      <div>
        <label className="sr-only" htmlFor="add-group-key">
          Add a group key
        </label>
        <select
          id="add-group-key"
          value=""
          onChange={(e) => add(e.target.value)}
          disabled={columns.length === 0}
          className={cn(inputClass, 'w-64 pr-8')}
        >
          <option value="">+ Add a group key…</option>
          <optgroup label="Column">
            {columns.map((c) => (
              <option key={c.name} value={`column:${c.name}`}>
                {c.name} ({c.type})
              </option>
            ))}
          </optgroup>
          {buckets.length > 0 && (
            <optgroup label="Day bucket">
              {buckets.map((b) => (
                <option key={b.column.name} value={`day:${b.column.name}`}>
                  day of {b.column.name}
                </option>
              ))}
            </optgroup>
          )}
          <optgroup label="Other">
            <option value="expression">Expression…</option>
          </optgroup>
        </select>
      </div>
    </div>
  );
}

function KeyRow({
  index: i,
  control,
  register,
  columns,
  onRemove,
}: {
  index: number;
  control: FormControl;
  register: UseFormRegister<FormValues>;
  columns: readonly Column[];
  onRemove: () => void;
}) {
  const kind = useWatch({ control, name: `groupBy.${i}.kind` });
  // controlled: its options arrive with the table's columns, after the value
  const column = useWatch({ control, name: `groupBy.${i}.column` });
  const {
    field: { name: columnName, ref: columnRef, onChange: setColumn, onBlur: blurColumn },
  } = useController({ control, name: `groupBy.${i}.column` });
  const columnIssue = useFieldIssue(`groupBy.${i}.column`);
  const exprIssue = useFieldIssue(`groupBy.${i}.expr`);
  const nameIssue = useFieldIssue(`groupBy.${i}.name`);
  const n = i + 1;
  const known = columns.some((c) => c.name === column);
  return (
    <li className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="grid grid-cols-[8.5rem_minmax(0,1fr)_7.5rem_1.75rem] items-start gap-2">
        <select
          {...register(`groupBy.${i}.kind`)}
          aria-label={`Key ${n} kind`}
          className={cn(inputClass, 'w-full pr-7')}
        >
          <option value="column">Column</option>
          <option value="expression">Expression</option>
        </select>
        {kind === 'column' ? (
          <select
            name={columnName}
            ref={columnRef}
            value={column}
            onChange={(e) => setColumn(e.target.value)}
            onBlur={blurColumn}
            aria-label={`Key ${n} column`}
            aria-invalid={!!columnIssue}
            className={cn(inputClass, 'w-full pr-7 font-mono', invalidRing(!!columnIssue))}
          >
            {!known && <option value={column}>{column || 'Choose a column'}</option>}
            {columns.map((c) => (
              <option key={c.name} value={c.name} title={c.type}>
                {c.name}
              </option>
            ))}
          </select>
        ) : (
          <input
            {...register(`groupBy.${i}.expr`)}
            aria-label={`Key ${n} expression`}
            aria-invalid={!!exprIssue}
            placeholder="(created_at AT TIME ZONE 'UTC')::date"
            spellCheck={false}
            autoComplete="off"
            className={cn(inputClass, 'w-full font-mono', invalidRing(!!exprIssue))}
          />
        )}
        <input
          {...register(`groupBy.${i}.name`)}
          aria-label={`Key ${n} output name`}
          aria-invalid={!!nameIssue}
          placeholder={kind === 'column' ? column || 'output name' : 'output name'}
          spellCheck={false}
          autoComplete="off"
          className={cn(inputClass, 'w-full font-mono', invalidRing(!!nameIssue))}
        />
        <button
          type="button"
          onClick={onRemove}
          aria-label={`Remove key ${n}`}
          className={buttonClass('ghost', 'px-0')}
        >
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      <FieldProblem issue={kind === 'column' ? columnIssue : exprIssue} />
      <FieldProblem issue={nameIssue} />
    </li>
  );
}
