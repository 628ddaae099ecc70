import type { Queryable } from '../db/pool';
import { exec } from '../db/pool';
import type { Index } from './catalog-types';

const INDEXES_SQL = `
SELECT ic.relname AS name,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
       am.amname AS method,
       i.indisunique AS is_unique,
       i.indisprimary AS is_primary,
       i.indisvalid AS is_valid,
       pg_catalog.pg_relation_size(i.indexrelid)::float8 AS bytes,
       pg_catalog.pg_size_pretty(pg_catalog.pg_relation_size(i.indexrelid)) AS size
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE i.indrelid = $1::oid
ORDER BY i.indisprimary DESC, ic.relname`;

interface IndexRow {
  name: string;
  definition: string;
  method: string;
  is_unique: boolean;
  is_primary: boolean;
  is_valid: boolean;
  bytes: number;
  size: string;
}

export async function listIndexes(db: Queryable, relationOid: number): Promise<Index[]> {
  const { rows } = await exec<IndexRow>(db, INDEXES_SQL, [relationOid]);
  return rows.map((r) => ({
    name: r.name,
    definition: r.definition,
    method: r.method,
    unique: r.is_unique,
    primary: r.is_primary,
    valid: r.is_valid,
    bytes: r.bytes,
    size: r.size,
  }));
}
