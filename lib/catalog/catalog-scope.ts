import type { RelationKind } from './catalog-types';

/** Schemas the catalog never shows: PostgreSQL's own and Tally's. Temp schemas are filtered by pattern. */
export const HIDDEN_SCHEMAS: readonly string[] = [
  'pg_catalog',
  'information_schema',
  'pg_toast',
  'tally',
];

/** pg_class.relkind values the catalog lists, and what to call them. */
export const RELATION_KINDS = {
  r: 'table',
  p: 'partitioned table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
} as const satisfies Record<string, RelationKind>;

export const LISTED_RELKINDS: readonly string[] = Object.keys(RELATION_KINDS);

export function relationKind(relkind: string): RelationKind {
  const kind = (RELATION_KINDS as Record<string, RelationKind>)[relkind];
  if (!kind) throw new Error(`unexpected relkind ${JSON.stringify(relkind)}`);
  return kind;
}
