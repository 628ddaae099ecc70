import type { RelationSummary } from './catalog-types';
import { relationKind } from './catalog-scope';

/**
 * The select list shared by the overview and the single-table lookup (`c` = pg_class,
 * `n` = pg_namespace). reltuples is -1 until the first VACUUM/ANALYZE (PostgreSQL 14+).
 */
export const RELATION_SELECT = `
  c.oid AS oid,
  n.nspname AS schema_name,
  c.relname AS relation_name,
  c.relkind::text AS relkind,
  c.relispartition AS is_partition,
  c.reltuples::float8 AS reltuples,
  CASE WHEN c.relkind = 'v' THEN NULL ELSE pg_total_relation_size(c.oid)::float8 END AS total_bytes,
  CASE WHEN c.relkind = 'v' THEN NULL ELSE pg_size_pretty(pg_total_relation_size(c.oid)) END AS total_size,
  (SELECT count(*) FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)::int AS column_count,
  (SELECT count(*) FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid)::int AS index_count,
  pg_catalog.obj_description(c.oid, 'pg_class') AS comment`;

export interface RelationRow {
  oid: number;
  schema_name: string;
  relation_name: string;
  relkind: string;
  is_partition: boolean;
  reltuples: number;
  total_bytes: number | null;
  total_size: string | null;
  column_count: number;
  index_count: number;
  comment: string | null;
}

export function toRelationSummary(row: RelationRow): RelationSummary {
  const kind = relationKind(row.relkind);
  return {
    schema: row.schema_name,
    name: row.relation_name,
    kind,
    isPartition: row.is_partition,
    rowEstimate: kind === 'view' || row.reltuples < 0 ? null : row.reltuples,
    totalBytes: row.total_bytes,
    totalSize: row.total_size,
    columnCount: row.column_count,
    indexCount: row.index_count,
    comment: row.comment,
  };
}
