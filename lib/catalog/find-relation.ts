import type { Queryable } from '../db/pool';
import { exec } from '../db/pool';
import type { RelationSummary } from './catalog-types';
import { HIDDEN_SCHEMAS, LISTED_RELKINDS } from './catalog-scope';
import { RELATION_SELECT, toRelationSummary, type RelationRow } from './relation-row';

const FIND_SQL = `
SELECT ${RELATION_SELECT}
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2
  AND c.relkind = ANY ($3::"char"[])
  AND n.nspname <> ALL ($4::text[])`;

export interface FoundRelation {
  readonly oid: number;
  readonly summary: RelationSummary;
}

/** A listed relation by exact (case-sensitive, unquoted) schema and name, or null. */
export async function findRelation(
  db: Queryable,
  schema: string,
  name: string,
): Promise<FoundRelation | null> {
  const { rows } = await exec<RelationRow>(db, FIND_SQL, [
    schema,
    name,
    LISTED_RELKINDS,
    HIDDEN_SCHEMAS,
  ]);
  const row = rows[0];
  return row ? { oid: row.oid, summary: toRelationSummary(row) } : null;
}
