import type { Queryable } from '../db/pool';
import { exec } from '../db/pool';
import type { CatalogOverview, CatalogSchema } from './catalog-types';
import { HIDDEN_SCHEMAS, LISTED_RELKINDS } from './catalog-scope';
import { RELATION_SELECT, toRelationSummary, type RelationRow } from './relation-row';

// LEFT JOIN so that a schema with no tables is still listed.
const OVERVIEW_SQL = `
SELECT n.nspname AS namespace, c.oid IS NOT NULL AS has_relation, ${RELATION_SELECT}
FROM pg_catalog.pg_namespace n
LEFT JOIN pg_catalog.pg_class c
  ON c.relnamespace = n.oid AND c.relkind = ANY ($1::"char"[])
WHERE n.nspname <> ALL ($2::text[])
  AND n.nspname !~ '^pg_(toast_)?temp_'
ORDER BY n.nspname, c.relname`;

type OverviewRow = RelationRow & { namespace: string; has_relation: boolean };

/** Every visible schema with its tables, views and materialized views. */
export async function getCatalogOverview(db: Queryable): Promise<CatalogOverview> {
  const { rows } = await exec<OverviewRow>(db, OVERVIEW_SQL, [LISTED_RELKINDS, HIDDEN_SCHEMAS]);
  const schemas: CatalogSchema[] = [];
  for (const row of rows) {
    let schema = schemas.at(-1);
    if (schema?.name !== row.namespace) {
      schema = { name: row.namespace, relations: [] };
      schemas.push(schema);
    }
    if (row.has_relation) schema.relations.push(toRelationSummary(row));
  }
  return { schemas };
}
