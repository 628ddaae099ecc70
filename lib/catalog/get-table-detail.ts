import type { Queryable } from '../db/pool';
import { exec } from '../db/pool';
import type { TableDetail } from './catalog-types';
import { findRelation } from './find-relation';
import { listColumns } from './list-columns';
import { listForeignKeys } from './list-foreign-keys';
import { listIndexes } from './list-indexes';
import { listTriggers } from './list-triggers';

const VIEW_DEFINITION_SQL = `SELECT pg_catalog.pg_get_viewdef($1::oid, true) AS definition`;

/** Everything the table page shows, or null when no such table or view is listed. */
export async function getTableDetail(
  db: Queryable,
  schema: string,
  name: string,
): Promise<TableDetail | null> {
  const found = await findRelation(db, schema, name);
  if (!found) return null;
  const { oid, summary } = found;
  const isView = summary.kind === 'view' || summary.kind === 'materialized view';
  const [columns, indexes, foreignKeys, triggers, viewDefinition] = await Promise.all([
    listColumns(db, oid),
    listIndexes(db, oid),
    listForeignKeys(db, oid),
    listTriggers(db, oid),
    isView
      ? exec<{ definition: string | null }>(db, VIEW_DEFINITION_SQL, [oid]).then(
          (r) => r.rows[0]?.definition ?? null,
        )
      : Promise.resolve(null),
  ]);
  return { relation: summary, columns, indexes, foreignKeys, triggers, viewDefinition };
}
