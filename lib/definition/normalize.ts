import {
  groupKeyName,
  targetOf,
  type Aggregate,
  type AggregateFunction,
  type Definition,
  type TableRef,
} from './definition';
import { parseExpression, type ColumnReference } from './expression';
import { quoteIdent } from '../db/ident';

/**
 * A definition whose every expression has been parsed, checked and re-printed: the input of
 * the defining-query renderer and of the SQL generator. Pure (no database).
 */
export interface NormalizedKey {
  readonly name: string;
  /** SQL over the source row, e.g. `user_id` or `(created_at AT TIME ZONE 'UTC')::date` */
  readonly sql: string;
  /** the source column when the key is a plain column */
  readonly column?: string;
  readonly columns: readonly ColumnReference[];
}

export interface NormalizedOrderItem {
  readonly sql: string;
  readonly direction: 'asc' | 'desc';
  readonly nulls?: 'first' | 'last';
}

export interface NormalizedAggregate {
  readonly name: string;
  readonly fn: AggregateFunction;
  readonly argSql?: string;
  readonly filterSql?: string;
  readonly orderBy: readonly NormalizedOrderItem[];
  readonly columns: readonly ColumnReference[];
}

export interface NormalizedDefinition {
  readonly definition: Definition;
  readonly name: string;
  readonly source: TableRef;
  readonly target: TableRef;
  readonly filterSql?: string;
  readonly keys: readonly NormalizedKey[];
  readonly aggregates: readonly NormalizedAggregate[];
}

async function normalizeAggregate(a: Aggregate, i: number): Promise<NormalizedAggregate> {
  const field = `aggregates.${i}`;
  const arg = a.arg ? await parseExpression(a.arg, `${field}.arg`, { stripQualifiers: true }) : undefined;
  const filter = a.filter
    ? await parseExpression(a.filter, `${field}.filter`, { stripQualifiers: true })
    : undefined;
  const orderBy = await Promise.all(
    (a.orderBy ?? []).map(async (o, j) => ({
      sql: (await parseExpression(o.expr, `${field}.orderBy.${j}.expr`, { stripQualifiers: true })).sql,
      direction: o.direction,
      ...(o.nulls ? { nulls: o.nulls } : {}),
    })),
  );
  return {
    name: a.name,
    fn: a.fn,
    ...(arg ? { argSql: arg.sql } : {}),
    ...(filter ? { filterSql: filter.sql } : {}),
    orderBy,
    columns: [...(arg?.columns ?? []), ...(filter?.columns ?? [])],
  };
}

export async function normalizeDefinition(d: Definition): Promise<NormalizedDefinition> {
  const filter = d.filter ? await parseExpression(d.filter, 'filter', { stripQualifiers: true }) : undefined;
  const keys = await Promise.all(
    d.groupBy.map(async (k, i): Promise<NormalizedKey> => {
      if (k.kind === 'column')
        return { name: groupKeyName(k), sql: quoteIdent(k.column), column: k.column, columns: [{ column: k.column }] };
      const e = await parseExpression(k.expr, `groupBy.${i}.expr`, { stripQualifiers: true });
      return { name: k.name, sql: e.sql, columns: e.columns };
    }),
  );
  return {
    definition: d,
    name: d.name,
    source: d.source,
    target: targetOf(d),
    ...(filter ? { filterSql: filter.sql } : {}),
    keys,
    aggregates: await Promise.all(d.aggregates.map(normalizeAggregate)),
  };
}

/** The aggregate call as SQL, e.g. `sum(duration) FILTER (WHERE duration > 0)`. */
export function aggregateCallSql(a: NormalizedAggregate): string {
  const order = a.orderBy.length
    ? ' ORDER BY ' +
      a.orderBy
        .map((o) => `${o.sql}${o.direction === 'desc' ? ' DESC' : ''}${o.nulls ? ` NULLS ${o.nulls.toUpperCase()}` : ''}`)
        .join(', ')
    : '';
  const call =
    a.fn === 'count' && !a.argSql
      ? 'count(*)'
      : a.fn === 'count_distinct'
        ? `count(DISTINCT ${a.argSql})`
        : `${a.fn}(${a.argSql}${order})`;
  return a.filterSql ? `${call} FILTER (WHERE ${a.filterSql})` : call;
}
