import { quoteIdent } from '../db/ident';
import type { AggregateFunction } from '../definition/definition';

/**
 * What the definition form offers for a source column, from its type as the catalog prints it
 * (format_type, e.g. `numeric(12,2)`, `timestamp with time zone`, `text[]`). These are offers,
 * not rules: resolve checks every choice against the database, and a domain or custom type
 * the lists below do not know still gets the type-agnostic functions.
 */

/** The type without typmod: `character varying(20)` → `character varying`. */
export function baseTypeName(type: string): string {
  return type.replace(/\(\s*[\d\s,]*\)/g, '').trim();
}

const INTEGER = new Set(['smallint', 'integer', 'bigint']);
/** the types Tally's sum/avg maintenance supports (lib/sqlgen/summary-model.ts SUM_TYPES) */
const SUMMABLE = new Set([...INTEGER, 'numeric', 'real', 'double precision', 'interval', 'money']);
const AVERAGEABLE = new Set([...INTEGER, 'numeric', 'real', 'double precision', 'interval']);
const TEXT = new Set(['text', 'character varying', 'character', '"char"', 'name', 'citext']);
const TIME = new Set([
  'date',
  'timestamp without time zone',
  'timestamp with time zone',
  'time without time zone',
  'time with time zone',
]);
/** types with min/max aggregates on PostgreSQL 15 (uuid, bytea and jsonb have none there) */
const ORDERABLE = new Set([...SUMMABLE, ...TEXT, ...TIME, 'inet', 'oid', 'pg_lsn']);
/** no equality operator: cannot be counted distinct */
const NO_EQUALITY = new Set([
  'json',
  'xml',
  'point',
  'polygon',
  'line',
  'circle',
  'box',
  'path',
  'lseg',
]);

export type TypeCategory = 'number' | 'text' | 'time' | 'boolean' | 'json' | 'array' | 'other';

export function typeCategory(type: string): TypeCategory {
  const t = baseTypeName(type);
  if (t.endsWith('[]')) return 'array';
  if (SUMMABLE.has(t)) return 'number';
  if (TEXT.has(t)) return 'text';
  if (TIME.has(t)) return 'time';
  if (t === 'boolean') return 'boolean';
  if (t === 'json' || t === 'jsonb') return 'json';
  return 'other';
}

/** The aggregate functions that make sense over a column of this type, in menu order. */
export function aggregatesForType(type: string): AggregateFunction[] {
  const t = baseTypeName(type);
  const out: AggregateFunction[] = ['count'];
  if (!NO_EQUALITY.has(t)) out.push('count_distinct');
  if (SUMMABLE.has(t)) out.push('sum');
  if (AVERAGEABLE.has(t)) out.push('avg');
  if (ORDERABLE.has(t) || t.endsWith('[]')) out.push('min', 'max');
  if (t === 'boolean') out.push('bool_and', 'bool_or');
  out.push('array_agg');
  return out;
}

export const AGGREGATE_LABELS: Readonly<Record<AggregateFunction, string>> = {
  count: 'count',
  count_distinct: 'count distinct',
  sum: 'sum',
  avg: 'avg',
  min: 'min',
  max: 'max',
  bool_and: 'bool_and',
  bool_or: 'bool_or',
  array_agg: 'array_agg',
};

export interface DayBucket {
  /** the immutable SQL expression */
  readonly expr: string;
  /** a suggested output name */
  readonly name: string;
}

/**
 * A day bucket for a timestamp column, immutable so the triggers compute the same day as a
 * fresh query in any session: a timestamptz is cut at UTC midnight (`date_trunc('day', …)` on
 * timestamptz depends on the session TimeZone and would be refused), a timestamp at midnight.
 */
export function dayBucket(column: string, type: string): DayBucket | undefined {
  const t = baseTypeName(type);
  const col = quoteIdent(column);
  const name = `${column}_day`.slice(0, 63);
  if (t === 'timestamp with time zone') return { expr: `(${col} AT TIME ZONE 'UTC')::date`, name };
  if (t === 'timestamp without time zone') return { expr: `date_trunc('day', ${col})`, name };
  return undefined;
}

/** A default output name for an aggregate: `count`, `sum_amount`, `count_distinct_user_id`. */
export function aggregateOutputName(fn: AggregateFunction, arg: string | undefined): string {
  if (!arg) return fn;
  const simple = /^[a-z_][a-z0-9_]*$/i.test(arg) ? arg.toLowerCase() : 'expr';
  return `${fn}_${simple}`.slice(0, 63);
}
