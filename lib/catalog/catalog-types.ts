import { z } from 'zod';

/**
 * The catalog's domain types. They cross the HTTP boundary as JSON, so they are zod schemas:
 * the browser parses every API response with them. Sizes are bytes as numbers (exact below
 * 2^53, i.e. 8 PiB) plus PostgreSQL's own pretty rendering.
 */

export const relationKindSchema = z.enum([
  'table',
  'partitioned table',
  'view',
  'materialized view',
  'foreign table',
]);
export type RelationKind = z.infer<typeof relationKindSchema>;

export const relationSummarySchema = z.strictObject({
  schema: z.string(),
  name: z.string(),
  kind: relationKindSchema,
  isPartition: z.boolean(),
  /** pg_class.reltuples; null when never analyzed (or for plain views, which hold no rows) */
  rowEstimate: z.number().nullable(),
  /** pg_total_relation_size: heap, indexes and TOAST; null for plain views */
  totalBytes: z.number().nullable(),
  totalSize: z.string().nullable(),
  columnCount: z.number().int(),
  indexCount: z.number().int(),
  comment: z.string().nullable(),
});
export type RelationSummary = z.infer<typeof relationSummarySchema>;

export const catalogSchemaSchema = z.strictObject({
  name: z.string(),
  relations: z.array(relationSummarySchema),
});
export type CatalogSchema = z.infer<typeof catalogSchemaSchema>;

export const catalogOverviewSchema = z.strictObject({
  schemas: z.array(catalogSchemaSchema),
});
export type CatalogOverview = z.infer<typeof catalogOverviewSchema>;

export const columnSchema = z.strictObject({
  position: z.number().int(),
  name: z.string(),
  /** format_type(atttypid, atttypmod), e.g. "character varying(20)" */
  type: z.string(),
  nullable: z.boolean(),
  /** the default expression, or the generation expression of a generated column */
  default: z.string().nullable(),
  identity: z.enum(['always', 'by default']).nullable(),
  generated: z.boolean(),
  inPrimaryKey: z.boolean(),
  inForeignKey: z.boolean(),
  comment: z.string().nullable(),
});
export type Column = z.infer<typeof columnSchema>;

export const indexSchema = z.strictObject({
  name: z.string(),
  /** pg_get_indexdef: the CREATE INDEX statement */
  definition: z.string(),
  method: z.string(),
  unique: z.boolean(),
  primary: z.boolean(),
  /** false while CREATE INDEX CONCURRENTLY is running or after it failed */
  valid: z.boolean(),
  bytes: z.number(),
  size: z.string(),
});
export type Index = z.infer<typeof indexSchema>;

export const foreignKeyActionSchema = z.enum([
  'no action',
  'restrict',
  'cascade',
  'set null',
  'set default',
]);
export type ForeignKeyAction = z.infer<typeof foreignKeyActionSchema>;

export const foreignKeySchema = z.strictObject({
  name: z.string(),
  fromSchema: z.string(),
  fromTable: z.string(),
  fromColumns: z.array(z.string()),
  toSchema: z.string(),
  toTable: z.string(),
  toColumns: z.array(z.string()),
  onUpdate: foreignKeyActionSchema,
  onDelete: foreignKeyActionSchema,
  /** pg_get_constraintdef, e.g. "FOREIGN KEY (a) REFERENCES t(id) ON DELETE CASCADE" */
  definition: z.string(),
});
export type ForeignKey = z.infer<typeof foreignKeySchema>;

/** pg_trigger.tgenabled: 'O' origin (fires normally), 'D', 'R' replica only, 'A' always. */
export const triggerStateSchema = z.enum(['enabled', 'disabled', 'replica', 'always']);
export type TriggerState = z.infer<typeof triggerStateSchema>;

export const triggerSchema = z.strictObject({
  name: z.string(),
  state: triggerStateSchema,
  timing: z.enum(['before', 'after', 'instead of']),
  level: z.enum(['row', 'statement']),
  events: z.array(z.enum(['insert', 'update', 'delete', 'truncate'])),
  functionSchema: z.string(),
  functionName: z.string(),
  /** pg_get_triggerdef: the CREATE TRIGGER statement */
  definition: z.string(),
});
export type Trigger = z.infer<typeof triggerSchema>;

export const tableDetailSchema = z.strictObject({
  relation: relationSummarySchema,
  columns: z.array(columnSchema),
  indexes: z.array(indexSchema),
  foreignKeys: z.strictObject({
    /** constraints on this table that reference others */
    outgoing: z.array(foreignKeySchema),
    /** constraints on other tables (or this one) that reference this table */
    incoming: z.array(foreignKeySchema),
  }),
  triggers: z.array(triggerSchema),
  /** pg_get_viewdef for views and materialized views */
  viewDefinition: z.string().nullable(),
});
export type TableDetail = z.infer<typeof tableDetailSchema>;

export const serverInfoSchema = z.strictObject({
  database: z.string(),
  /** inet_server_addr(); null over a Unix socket */
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  user: z.string(),
  /** server_version, e.g. "15.8 (Debian 15.8-0+deb12u1)" */
  version: z.string(),
  versionNum: z.number().int(),
});
export type ServerInfo = z.infer<typeof serverInfoSchema>;
