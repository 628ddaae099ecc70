import { exec, type Queryable } from '../db/pool';
import { isPgError } from '../errors';
import type { ResolvedDefinition } from '../sqlgen/resolved-definition';
import type { GroupEstimate } from './summary-views';

/**
 * How many rows the summary will hold, before it exists: from the statistics ANALYZE keeps.
 * When every key is a plain column, the product of their pg_stats.n_distinct (a negative
 * n_distinct is a fraction of the rows; a column with NULLs adds the NULL group), capped at the
 * source's row count. With expression keys (day buckets) the planner's GROUP BY estimate of the
 * defining query is used instead: EXPLAIN only plans it, nothing is read.
 */

const SOURCE_ROWS_SQL = `
SELECT c.reltuples::float8 AS rows
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relname = $2`;

const STATS_SQL = `
SELECT attname AS name, n_distinct::float8 AS n_distinct, null_frac::float8 AS null_frac
  FROM pg_catalog.pg_stats
 WHERE schemaname = $1 AND tablename = $2 AND attname = ANY ($3::text[]) AND NOT inherited`;

export async function estimateGroups(
  db: Queryable,
  r: ResolvedDefinition,
  definingQuery: string,
): Promise<GroupEstimate> {
  const { schema, table } = r.source;
  const src = await exec<{ rows: number }>(db, SOURCE_ROWS_SQL, [schema, table]);
  const reltuples = src.rows[0]?.rows ?? -1;
  // PostgreSQL 14+: -1 means never vacuumed or analyzed
  const sourceRows = reltuples >= 0 ? reltuples : null;
  if (r.keys.length === 0) return { sourceRows, groups: 1, basis: 'pg_stats', keys: [] };

  const columns = r.keys.flatMap((k) => (k.column !== undefined ? [k.column] : []));
  const stats = await exec<{ name: string; n_distinct: number; null_frac: number }>(db, STATS_SQL, [
    schema,
    table,
    columns,
  ]);
  const byColumn = new Map(stats.rows.map((s) => [s.name, s]));
  const distinct = (column: string | undefined): number | null => {
    const s = column !== undefined ? byColumn.get(column) : undefined;
    if (!s || sourceRows === null) return null;
    const n = s.n_distinct >= 0 ? s.n_distinct : -s.n_distinct * sourceRows;
    return Math.max(1, Math.round(n + (s.null_frac > 0 ? 1 : 0)));
  };
  const keys = r.keys.map((k) => ({ name: k.name, nDistinct: distinct(k.column) }));

  if (sourceRows !== null && keys.every((k) => k.nDistinct !== null)) {
    const product = keys.reduce((p, k) => p * k.nDistinct!, 1);
    return {
      sourceRows,
      groups: Math.max(1, Math.min(product, sourceRows)),
      basis: 'pg_stats',
      keys,
    };
  }
  const planned = await plannerGroups(db, definingQuery);
  return planned === null
    ? { sourceRows, groups: null, basis: 'none', keys }
    : { sourceRows, groups: planned, basis: 'planner', keys };
}

async function plannerGroups(db: Queryable, definingQuery: string): Promise<number | null> {
  try {
    const { rows } = await db.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
      `EXPLAIN (FORMAT JSON) ${definingQuery}`,
    );
    const n = rows[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'];
    return typeof n === 'number' ? n : null;
  } catch (e) {
    // an estimate is a nicety: a planning error here must not hide the preview
    if (isPgError(e)) return null;
    throw e;
  }
}
