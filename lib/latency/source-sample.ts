import { qualify, quoteIdent } from '../db/ident';
import { exec, type Queryable } from '../db/pool';
import type { TableRef } from '../definition/definition';

/** Catalog facts about a table the latency lab reads or writes. */
export interface ColumnInfo {
  readonly name: string;
  /** format_type() output, used as a cast for text parameters */
  readonly type: string;
  /** identity, generated, or defaulted from a sequence: left out of copied rows */
  readonly skipOnCopy: boolean;
}

export interface TableInfo {
  readonly ref: TableRef;
  readonly columns: readonly ColumnInfo[];
  /** primary key columns, in key order (empty when there is none) */
  readonly primaryKey: readonly string[];
  /** pg_class.reltuples, or null before the first ANALYZE */
  readonly estimatedRows: number | null;
}

const TABLE_INFO_SQL = `
SELECT a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       (a.attidentity <> '' OR a.attgenerated <> ''
        OR coalesce(pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%', false)) AS skip_on_copy,
       coalesce((SELECT k.n FROM unnest(pk.indkey::int2[]) WITH ORDINALITY AS k (att, n) WHERE k.att = a.attnum), 0)::int AS pk_position,
       c.reltuples::float8 AS reltuples
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  LEFT JOIN pg_catalog.pg_index pk ON pk.indrelid = c.oid AND pk.indisprimary
 WHERE n.nspname = $1 AND c.relname = $2
 ORDER BY a.attnum`;

export async function tableInfo(db: Queryable, ref: TableRef): Promise<TableInfo> {
  const { rows } = await exec<{
    name: string;
    type: string;
    skip_on_copy: boolean;
    pk_position: number;
    reltuples: number;
  }>(db, TABLE_INFO_SQL, [ref.schema, ref.table]);
  const primaryKey = rows
    .filter((r) => r.pk_position > 0)
    .sort((a, b) => a.pk_position - b.pk_position)
    .map((r) => r.name);
  const reltuples = rows[0]?.reltuples ?? -1;
  return {
    ref,
    columns: rows.map((r) => ({ name: r.name, type: r.type, skipOnCopy: r.skip_on_copy })),
    primaryKey,
    estimatedRows: reltuples >= 0 ? reltuples : null,
  };
}

/**
 * Up to `count` rows' `columns` as text, spread over the table: TABLESAMPLE SYSTEM reads a
 * random fraction of pages instead of sorting the whole table by random().
 */
export async function sampleRows(
  db: Queryable,
  info: TableInfo,
  columns: readonly string[],
  count: number,
): Promise<(string | null)[][]> {
  const list = columns.map((c, i) => `${quoteIdent(c)}::text AS c${i}`).join(', ');
  const from = qualify(info.ref.schema, info.ref.table);
  const read = async (text: string) => {
    const { rows } = await exec<Record<string, string | null>>(db, text);
    return rows.map((r) => columns.map((_, i) => r[`c${i}`] ?? null));
  };
  const est = info.estimatedRows ?? 0;
  if (est > count * 50) {
    const percent = Math.min(100, Math.max(0.0001, ((count * 20) / est) * 100));
    const got = await read(
      `SELECT ${list} FROM ${from} TABLESAMPLE SYSTEM (${percent.toFixed(6)}) ORDER BY random() LIMIT ${count}`,
    );
    if (got.length >= Math.min(count, 1)) return got;
  }
  return read(`SELECT ${list} FROM ${from} ORDER BY random() LIMIT ${count}`);
}
