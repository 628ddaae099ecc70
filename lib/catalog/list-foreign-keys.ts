import type { Queryable } from '../db/pool';
import { exec } from '../db/pool';
import type { ForeignKey, ForeignKeyAction } from './catalog-types';

/**
 * Foreign keys in both directions. Column lists keep constraint order (WITH ORDINALITY) and
 * come back as text[]: node-postgres parses text arrays, quoting and all, but not name[].
 * Constraints cloned onto partitions (conparentid <> 0) are left out: the parent's says it.
 */
const FOREIGN_KEYS_SQL = `
SELECT k.conname AS name,
       k.conrelid = $1::oid AS outgoing,
       k.confrelid = $1::oid AS incoming,
       fn.nspname AS from_schema, fc.relname AS from_table,
       ARRAY(SELECT a.attname::text
             FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
             ORDER BY u.ord) AS from_columns,
       tn.nspname AS to_schema, tc.relname AS to_table,
       ARRAY(SELECT a.attname::text
             FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum
             ORDER BY u.ord) AS to_columns,
       k.confupdtype::text AS on_update,
       k.confdeltype::text AS on_delete,
       pg_catalog.pg_get_constraintdef(k.oid) AS definition
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class fc ON fc.oid = k.conrelid
JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
JOIN pg_catalog.pg_class tc ON tc.oid = k.confrelid
JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
WHERE k.contype = 'f' AND k.conparentid = 0
  AND (k.conrelid = $1::oid OR k.confrelid = $1::oid)
ORDER BY fn.nspname, fc.relname, k.conname`;

interface ForeignKeyRow {
  name: string;
  outgoing: boolean;
  incoming: boolean;
  from_schema: string;
  from_table: string;
  from_columns: string[];
  to_schema: string;
  to_table: string;
  to_columns: string[];
  on_update: string;
  on_delete: string;
  definition: string;
}

const ACTIONS: Record<string, ForeignKeyAction> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

function action(code: string): ForeignKeyAction {
  const a = ACTIONS[code];
  if (!a) throw new Error(`unexpected foreign key action ${JSON.stringify(code)}`);
  return a;
}

export interface ForeignKeys {
  outgoing: ForeignKey[];
  incoming: ForeignKey[];
}

/** A self-referencing key appears in both lists. */
export async function listForeignKeys(db: Queryable, relationOid: number): Promise<ForeignKeys> {
  const { rows } = await exec<ForeignKeyRow>(db, FOREIGN_KEYS_SQL, [relationOid]);
  const result: ForeignKeys = { outgoing: [], incoming: [] };
  for (const r of rows) {
    const fk: ForeignKey = {
      name: r.name,
      fromSchema: r.from_schema,
      fromTable: r.from_table,
      fromColumns: r.from_columns,
      toSchema: r.to_schema,
      toTable: r.to_table,
      toColumns: r.to_columns,
      onUpdate: action(r.on_update),
      onDelete: action(r.on_delete),
      definition: r.definition,
    };
    if (r.outgoing) result.outgoing.push(fk);
    if (r.incoming) result.incoming.push(fk);
  }
  return result;
}
