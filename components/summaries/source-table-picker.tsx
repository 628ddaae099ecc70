'use client';

import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { CatalogOverview } from '@/lib/catalog/catalog-types';
import { rowEstimateText } from '@/components/catalog/row-estimate-text';
import { cn } from '@/components/ui/cn';
import { inputClass } from '@/components/ui/input-class';
import { invalidRing } from './field-issues';

export interface TableChoice {
  readonly schema: string;
  readonly table: string;
  readonly rowEstimate: number | null;
  readonly totalSize: string | null;
}

const label = (t: { schema: string; table: string }) => `${t.schema}.${t.table}`;
const MAX_OPTIONS = 60;

/**
 * The source table, searched by name: an ARIA combobox over the catalog's tables (views and
 * partitioned tables cannot carry the triggers, so they are not offered). Arrow keys move,
 * Enter picks, Escape closes.
 */
export function SourceTablePicker({
  overview,
  value,
  onChange,
  a11y,
  disabled,
}: {
  overview: CatalogOverview;
  value: { schema: string; table: string };
  onChange: (t: TableChoice) => void;
  a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string };
  disabled?: boolean;
}) {
  const tables = useMemo(
    () =>
      overview.schemas.flatMap((s) =>
        s.relations
          .filter((r) => r.kind === 'table')
          .map((r) => ({
            schema: s.name,
            table: r.name,
            rowEstimate: r.rowEstimate,
            totalSize: r.totalSize,
          })),
      ),
    [overview],
  );
  const selected = value.table ? label(value) : '';
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();

  const shown = text ?? selected;
  const matches = useMemo(() => {
    const needle = (text ?? '').trim().toLowerCase();
    const hits = needle ? tables.filter((t) => label(t).toLowerCase().includes(needle)) : tables;
    return hits.slice(0, MAX_OPTIONS);
  }, [tables, text]);

  const pick = (t: TableChoice) => {
    onChange(t);
    setText(null);
    setOpen(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) setOpen(true);
      const n = matches.length;
      if (n) setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : (a - 1 + n) % n));
    } else if (e.key === 'Enter') {
      const t = matches[active];
      if (open && t) {
        e.preventDefault();
        pick(t);
      }
    } else if (e.key === 'Escape') {
      setOpen(false);
      setText(null);
    }
  };

  const optionId = (i: number) => `${listId}-${i}`;
  return (
    <div className="relative">
      <input
        {...a11y}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && matches[active] ? optionId(active) : undefined}
        value={shown}
        placeholder="Search tables: name or schema.name"
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          setText(null);
        }}
        onKeyDown={onKeyDown}
        className={cn(inputClass, 'w-full font-mono', invalidRing(a11y['aria-invalid']))}
      />
      {open && (
        <ul
          id={listId}
          role="listbox"
          aria-label="Tables"
          className="absolute z-20 mt-1 max-h-72 w-full overflow-y-auto rounded-md border border-zinc-200 bg-white py-1 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          {matches.length === 0 ? (
            <li className="px-3 py-2 text-zinc-500 dark:text-zinc-400">No table matches.</li>
          ) : (
            matches.map((t, i) => (
              <li
                key={label(t)}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                // keep focus in the input so blur does not close the list before the click
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => pick(t)}
                className={cn(
                  'flex cursor-pointer items-baseline justify-between gap-3 px-3 py-1.5',
                  i === active && 'bg-sky-50 dark:bg-sky-950/50',
                )}
              >
                <span className="min-w-0 truncate font-mono text-[13px]">
                  <span className="text-zinc-500 dark:text-zinc-400">{t.schema}.</span>
                  {t.table}
                </span>
                <span className="shrink-0 text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
                  {rowEstimateText({ kind: 'table', rowEstimate: t.rowEstimate })} rows
                </span>
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
