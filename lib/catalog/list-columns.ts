import type { Queryable } from '../db/pool';
import { exec } from '../db/pool';
import type { Column } from './catalog-types';

const COLUMNS_SQL = `
SELECT a.attnum::int AS position,
       a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_expr,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
               WHERE k.conrelid = a.attrelid AND k.contype = 'p' AND a.attnum = ANY (k.conkey)) AS in_primary_key,
       EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
               WHERE k.conrelid = a.attrelid AND k.contype = 'f' AND a.attnum = ANY (k.conkey)) AS in_foreign_key,
       pg_catalog.col_description(a.attrelid, a.attnum) AS comment
FROM pg_catalog.pg_attribute a
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`;

interface ColumnRow {
  position: number;
  name: string;
  type: string;
  nullable: boolean;
  default_expr: string | null;
  identity: string;
  generated: string;
  in_primary_key: boolean;
  in_foreign_key: boolean;
  comment: string | null;
}

export async function listColumns(db: Queryable, relationOid: number): Promise<Column[]> {
  const { rows } = await exec<ColumnRow>(db, COLUMNS_SQL, [relationOid]);
  return rows.map((r) => ({
    position: r.position,
    name: r.name,
    type: r.type,
    nullable: r.nullable,
    default: r.default_expr,
    identity: r.identity === 'a' ? 'always' : r.identity === 'd' ? 'by default' : null,
    generated: r.generated !== '',
    inPrimaryKey: r.in_primary_key,
    inForeignKey: r.in_foreign_key,
    comment: r.comment,
  }));
}
