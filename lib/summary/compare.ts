import { qualify, quoteIdent, quoteLiteral } from '../db/ident';
import { exec, type Queryable } from '../db/pool';
import type { TableRef } from '../definition/definition';

/**
 * Compares a summary table with its defining query (the truth) as multisets over the visible
 * columns — the invariant of PRODUCT.md, "The contract". Used by tests and by reconcile.
 *
 * Exact columns are compared with `EXCEPT ALL` both ways. Floating-point columns (real,
 * double precision) cannot be: a sum maintained by deltas adds in a different order than the
 * aggregate does, so the last bits differ. When the summary has float columns, rows are paired
 * on their exact columns instead (GROUP BY treats NULLs as equal, like EXCEPT does) and the
 * float columns must agree within `floatTolerance`, relative to max(1, |a|, |b|).
 */

export interface CompareOptions {
  /** allowed relative difference of float columns; 0 compares them exactly (default 1e-9) */
  readonly floatTolerance?: number;
  /** at most this many differing rows are returned in `sample` (default 10) */
  readonly sampleSize?: number;
}

export interface DriftSample {
  /** missing: a truth row the summary lacks; extra: a summary row the truth lacks */
  readonly kind: 'missing' | 'extra';
  /** column → value as PostgreSQL prints it (text, so numerics keep every digit) */
  readonly row: Record<string, string | null>;
}

export interface CompareResult {
  /** rows of the defining query with no equal row in the summary */
  readonly missing: number;
  /** rows of the summary with no equal row in the defining query */
  readonly extra: number;
  readonly sample: DriftSample[];
}

export const DEFAULT_FLOAT_TOLERANCE = 1e-9;

const FLOAT_TYPES = new Set(['real', 'double precision']);

/** The visible columns of `target` whose type is real or double precision. */
async function floatColumnsOf(
  db: Queryable,
  target: TableRef,
  columns: readonly string[],
): Promise<Set<string>> {
  const { rows } = await exec<{ name: string; type: string }>(
    db,
    `SELECT a.attname AS name, format_type(a.atttypid, NULL) AS type
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
        AND a.attname = ANY ($3::text[])`,
    [target.schema, target.table, columns],
  );
  return new Set(rows.filter((r) => FLOAT_TYPES.has(r.type)).map((r) => r.name));
}

function list(columns: readonly string[], prefix = ''): string {
  return columns.map((c) => prefix + quoteIdent(c)).join(', ');
}

/** A row as jsonb whose values are their text (jsonb numbers would lose digits in JavaScript). */
function asText(row: string): string {
  return `(SELECT jsonb_object_agg(e.key, e.value #>> '{}') FROM jsonb_each(${row}) AS e)`;
}

/** EXCEPT ALL both ways; every column compared exactly. */
function exactComparisonSql(
  target: TableRef,
  definingQuery: string,
  columns: readonly string[],
): string {
  const cols = list(columns);
  return `WITH truth AS (SELECT ${cols} FROM (${definingQuery}) AS defining_query),
     summary AS (SELECT ${cols} FROM ${qualify(target.schema, target.table)}),
     missing AS (SELECT * FROM truth EXCEPT ALL SELECT * FROM summary),
     extra AS (SELECT * FROM summary EXCEPT ALL SELECT * FROM truth)
SELECT (SELECT count(*) FROM missing)::bigint AS missing,
       (SELECT count(*) FROM extra)::bigint AS extra,
       (SELECT coalesce(jsonb_agg(d), '[]'::jsonb) FROM (
          (SELECT 'missing' AS kind, ${asText('to_jsonb(m)')} AS row FROM missing m LIMIT $1)
          UNION ALL
          (SELECT 'extra' AS kind, ${asText('to_jsonb(x)')} AS row FROM extra x LIMIT $1)) AS d) AS sample`;
}

/**
 * Rows are paired by their exact columns (the n-th truth row of a partition, in float order,
 * with the n-th summary row); a pair whose float columns differ beyond the tolerance counts as
 * one missing and one extra row, as EXCEPT ALL would count it. Helper names start with
 * `_tally_`, which no visible column may (definition.ts), so they cannot collide.
 */
function toleranceComparisonSql(
  target: TableRef,
  definingQuery: string,
  columns: readonly string[],
  floats: ReadonlySet<string>,
): string {
  const exact = columns.filter((c) => !floats.has(c));
  const approx = columns.filter((c) => floats.has(c));
  const cols = list(columns);
  const keyList = exact.length ? `${list(exact)}, ` : '';
  const truthCol = (i: number) => quoteIdent(`_tally_truth_${i}`);
  const summaryCol = (i: number) => quoteIdent(`_tally_summary_${i}`);
  const numbered = (from: string) =>
    `SELECT ${cols}, row_number() OVER (${exact.length ? `PARTITION BY ${list(exact)} ` : ''}ORDER BY ${list(approx)}) AS _tally_pair FROM ${from}`;
  const pick = (side: 'truth' | 'summary', c: string) =>
    `(array_agg(${quoteIdent(c)}) FILTER (WHERE _tally_side = '${side}'))[1]`;
  const within = (i: number) => {
    const [t, s] = [truthCol(i), summaryCol(i)];
    return `((${t} IS NULL AND ${s} IS NULL) OR ${t} = ${s} OR abs(${t} - ${s}) <= $2::float8 * greatest(1, abs(${t}), abs(${s})))`;
  };
  const rowOf = (col: (i: number) => string) =>
    `jsonb_build_object(${columns
      .map(
        (c) =>
          `${quoteLiteral(c)}, to_jsonb(${floats.has(c) ? col(approx.indexOf(c)) : quoteIdent(c)}) #>> '{}'`,
      )
      .join(', ')})`;
  return `WITH paired AS (
       SELECT 'truth' AS _tally_side, * FROM (${numbered(`(${definingQuery}) AS defining_query`)}) AS t
       UNION ALL
       SELECT 'summary' AS _tally_side, * FROM (${numbered(qualify(target.schema, target.table))}) AS s),
     matched AS (
       SELECT ${keyList}
              count(*) FILTER (WHERE _tally_side = 'truth') AS _tally_in_truth,
              count(*) FILTER (WHERE _tally_side = 'summary') AS _tally_in_summary,
              ${approx.map((c, i) => `${pick('truth', c)} AS ${truthCol(i)}, ${pick('summary', c)} AS ${summaryCol(i)}`).join(',\n              ')}
         FROM paired
        GROUP BY ${keyList}_tally_pair),
     judged AS (
       SELECT *, coalesce(_tally_in_truth = 1 AND _tally_in_summary = 1
                 AND ${approx.map((_, i) => within(i)).join(' AND ')}, false) AS _tally_same
         FROM matched),
     missing AS (SELECT ${rowOf(truthCol)} AS row FROM judged WHERE _tally_in_truth = 1 AND NOT _tally_same),
     extra AS (SELECT ${rowOf(summaryCol)} AS row FROM judged WHERE _tally_in_summary = 1 AND NOT _tally_same)
SELECT (SELECT count(*) FROM missing)::bigint AS missing,
       (SELECT count(*) FROM extra)::bigint AS extra,
       (SELECT coalesce(jsonb_agg(d), '[]'::jsonb) FROM (
          (SELECT 'missing' AS kind, row FROM missing LIMIT $1)
          UNION ALL
          (SELECT 'extra' AS kind, row FROM extra LIMIT $1)) AS d) AS sample`;
}

/**
 * `SELECT <visibleColumns> FROM target` ≡ `definingQuery` as multisets? `definingQuery` must
 * output every visible column under the same name (renderDefiningQuery does). It runs in the
 * caller's snapshot: pass a client inside a transaction to compare at one point in time.
 */
export async function compareWithTruth(
  db: Queryable,
  target: TableRef,
  definingQuery: string,
  visibleColumns: readonly string[],
  opts: CompareOptions = {},
): Promise<CompareResult> {
  if (visibleColumns.length === 0) throw new Error('compareWithTruth needs at least one column');
  const tolerance = opts.floatTolerance ?? DEFAULT_FLOAT_TOLERANCE;
  const sampleSize = opts.sampleSize ?? 10;
  const floats =
    tolerance > 0 ? await floatColumnsOf(db, target, visibleColumns) : new Set<string>();
  const { text, values } =
    floats.size > 0
      ? {
          text: toleranceComparisonSql(target, definingQuery, visibleColumns, floats),
          values: [sampleSize, tolerance],
        }
      : { text: exactComparisonSql(target, definingQuery, visibleColumns), values: [sampleSize] };
  const { rows } = await exec<{ missing: string; extra: string; sample: DriftSample[] }>(
    db,
    text,
    values,
  );
  const r = rows[0]!;
  return { missing: Number(r.missing), extra: Number(r.extra), sample: r.sample };
}
