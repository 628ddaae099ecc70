import { z } from 'zod';
import type { Queryable } from '../db/pool';
import { exec } from '../db/pool';
import { definition } from '../definition/definition';
import { NotFoundError } from '../errors';

/** Installed summaries, as recorded in tally.summaries (migrations/0001_catalog.sql). */
export const SUMMARY_STATUSES = ['installed', 'backfilling', 'ready', 'cancelled'] as const;

export const summaryRecord = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  shape: z.string(),
  targetSchema: z.string(),
  targetTable: z.string(),
  sourceSchema: z.string(),
  sourceTable: z.string(),
  definition,
  definingQuery: z.string(),
  installSql: z.string(),
  uninstallSql: z.string(),
  version: z.number().int(),
  status: z.enum(SUMMARY_STATUSES),
  lockClass: z.number().int(),
  dependsOn: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type SummaryRecord = z.infer<typeof summaryRecord>;

export const SUMMARY_COLUMNS = `id, name, shape, target_schema, target_table, source_schema, source_table, definition,
  defining_query, install_sql, uninstall_sql, version, status, lock_class, depends_on, created_by,
  created_at, updated_at`;

export interface SummaryRow {
  id: number;
  name: string;
  shape: string;
  target_schema: string;
  target_table: string;
  source_schema: string;
  source_table: string;
  definition: unknown;
  defining_query: string;
  install_sql: string;
  uninstall_sql: string;
  version: number;
  status: string;
  lock_class: number;
  depends_on: string[];
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

/** The one reshape step from a catalog row to the domain type. */
export function toSummaryRecord(row: SummaryRow): SummaryRecord {
  return summaryRecord.parse({
    id: row.id,
    name: row.name,
    shape: row.shape,
    targetSchema: row.target_schema,
    targetTable: row.target_table,
    sourceSchema: row.source_schema,
    sourceTable: row.source_table,
    definition: row.definition,
    definingQuery: row.defining_query,
    installSql: row.install_sql,
    uninstallSql: row.uninstall_sql,
    version: row.version,
    status: row.status,
    lockClass: row.lock_class,
    dependsOn: row.depends_on,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

export async function listSummaries(db: Queryable): Promise<SummaryRecord[]> {
  const { rows } = await exec<SummaryRow>(db, `SELECT ${SUMMARY_COLUMNS} FROM tally.summaries ORDER BY name`);
  return rows.map(toSummaryRecord);
}

/** The summary called `name`; NotFoundError when there is none. */
export async function getSummary(db: Queryable, name: string): Promise<SummaryRecord> {
  const { rows } = await exec<SummaryRow>(db, `SELECT ${SUMMARY_COLUMNS} FROM tally.summaries WHERE name = $1`, [name]);
  if (!rows[0]) throw new NotFoundError(`summary "${name}" does not exist`);
  return toSummaryRecord(rows[0]);
}
