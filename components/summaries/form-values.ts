import type { Control } from 'react-hook-form';
import type { AggregateFunction, Definition, DefinitionInput } from '@/lib/definition/definition';

/**
 * The definition form's values: every text field is a string ('' = not set) so inputs stay
 * controlled, and a group key keeps both its column and its expression while the user flips
 * between the two. `toDefinitionInput` turns them into the core's definition shape (field
 * paths are the same, so the core's issues land on the right inputs).
 */
export interface KeyValues {
  kind: 'column' | 'expression';
  column: string;
  expr: string;
  /** output name; for a column key '' means the column's own name */
  name: string;
}

export interface OrderValues {
  expr: string;
  direction: 'asc' | 'desc';
}

export interface AggregateValues {
  name: string;
  fn: AggregateFunction;
  /** '' = count(*) */
  arg: string;
  filter: string;
  orderBy: OrderValues[];
}

export interface FormValues {
  name: string;
  source: { schema: string; table: string };
  target: { schema: string; table: string };
  filter: string;
  groupBy: KeyValues[];
  aggregates: AggregateValues[];
}

export const EMPTY_FORM: FormValues = {
  name: '',
  source: { schema: '', table: '' },
  target: { schema: '', table: '' },
  filter: '',
  groupBy: [],
  aggregates: [{ name: 'count', fn: 'count', arg: '', filter: '', orderBy: [] }],
};

const text = (s: string) => (s.trim() === '' ? undefined : s);

export function toDefinitionInput(v: FormValues): DefinitionInput {
  const target = {
    ...(text(v.target.schema) ? { schema: v.target.schema } : {}),
    ...(text(v.target.table) ? { table: v.target.table.trim() } : {}),
  };
  const filter = text(v.filter);
  return {
    shape: 'aggregate',
    name: v.name.trim(),
    target,
    source: { schema: v.source.schema, table: v.source.table },
    ...(filter ? { filter } : {}),
    groupBy: v.groupBy.map((k) =>
      k.kind === 'column'
        ? { kind: 'column', column: k.column, ...(text(k.name) ? { name: k.name.trim() } : {}) }
        : { kind: 'expression', expr: k.expr, name: k.name.trim() },
    ),
    aggregates: v.aggregates.map((a) => {
      const arg = text(a.arg);
      const f = text(a.filter);
      const orderBy = a.fn === 'array_agg' ? a.orderBy.filter((o) => text(o.expr)) : [];
      return {
        name: a.name.trim(),
        fn: a.fn,
        ...(arg ? { arg } : {}),
        ...(f ? { filter: f } : {}),
        ...(orderBy.length
          ? { orderBy: orderBy.map((o) => ({ expr: o.expr, direction: o.direction })) }
          : {}),
      };
    }),
  };
}

export function fromDefinition(d: Definition): FormValues {
  return {
    name: d.name,
    source: { ...d.source },
    target: { schema: d.target.schema ?? '', table: d.target.table ?? '' },
    filter: d.filter ?? '',
    groupBy: d.groupBy.map((k) =>
      k.kind === 'column'
        ? { kind: 'column', column: k.column, expr: '', name: k.name ?? '' }
        : { kind: 'expression', column: '', expr: k.expr, name: k.name },
    ),
    aggregates: d.aggregates.map((a) => ({
      name: a.name,
      fn: a.fn,
      arg: a.arg ?? '',
      filter: a.filter ?? '',
      orderBy: (a.orderBy ?? []).map((o) => ({ expr: o.expr, direction: o.direction })),
    })),
  };
}

/** `a.b.0.c` in a nested object, for error lookups by the core's field paths. */
export function atPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The form's control: values are FormValues, a valid submit yields the core's Definition. */
export type FormControl = Control<FormValues, unknown, Definition>;
