import { z } from 'zod';
import { definition } from '../definition/definition';

/**
 * The summary resources as they cross HTTP: the route handlers build them from lib/ results and
 * the browser parses every answer with these schemas. Pure zod (no database imports), so the
 * console's client components can import it. Times are ISO strings.
 */

export const fieldIssueSchema = z.strictObject({
  field: z.string(),
  message: z.string(),
  position: z.number().int().optional(),
  hint: z.string().optional(),
});
export type FieldIssueView = z.infer<typeof fieldIssueSchema>;

/** tally.summaries.status; a string, not an enum, so statuses added by later work still parse. */
export const summaryStatusSchema = z.string();

export const summaryListItemSchema = z.strictObject({
  name: z.string(),
  shape: z.string(),
  sourceSchema: z.string(),
  sourceTable: z.string(),
  targetSchema: z.string(),
  targetTable: z.string(),
  /** group key output names */
  keys: z.array(z.string()),
  /** aggregate calls as in the defining query, e.g. `sum(duration)` */
  aggregates: z.array(z.string()),
  status: summaryStatusSchema,
  /** every installed object exists and every trigger fires */
  healthy: z.boolean(),
  /** what is wrong when not healthy, e.g. `insert trigger: disabled …` */
  problems: z.array(z.string()),
  /** rows in the summary table; null when it is missing */
  rows: z.number().nullable(),
  totalBytes: z.number().nullable(),
  size: z.string().nullable(),
  version: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SummaryListItem = z.infer<typeof summaryListItemSchema>;

export const installedObjectSchema = z.strictObject({
  kind: z.enum(['table', 'index', 'function', 'trigger']),
  schema: z.string(),
  name: z.string(),
  on: z.string().optional(),
  role: z.string(),
  exists: z.boolean(),
  triggerState: z.enum(['enabled', 'disabled', 'replica', 'always']).optional(),
  ok: z.boolean(),
  problem: z.string().optional(),
});
export type InstalledObjectView = z.infer<typeof installedObjectSchema>;

export const summaryDetailSchema = summaryListItemSchema.extend({
  definition,
  definingQuery: z.string(),
  installSql: z.string(),
  uninstallSql: z.string(),
  objects: z.array(installedObjectSchema),
  /** summaries this one reads from (chains) */
  dependsOn: z.array(z.string()),
  /** summaries that read from this one: dropping it is refused while they exist */
  usedBy: z.array(z.string()),
});
export type SummaryDetail = z.infer<typeof summaryDetailSchema>;

// ---- preview -------------------------------------------------------------------------------

export const previewRequestSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('form'),
    /** checked by the definition schema inside previewSummary, issue by issue */
    definition: z.unknown(),
    /** editing: the summary this definition replaces (a rebuild) */
    replacing: z.string().optional(),
    lockTimeoutMs: z.number().int().min(0).max(600_000).optional(),
  }),
  z.strictObject({
    mode: z.literal('sql'),
    name: z.string().max(200),
    sql: z.string().max(100_000),
    targetSchema: z.string().max(200).optional(),
    replacing: z.string().optional(),
    lockTimeoutMs: z.number().int().min(0).max(600_000).optional(),
  }),
]);
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

export const sqlSectionSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  phase: z.enum(['concurrent', 'install', 'populate']),
  statements: z.array(z.string()),
});
export type SqlSection = z.infer<typeof sqlSectionSchema>;

export const lockInfoSchema = z.strictObject({
  /** the locked table, qualified and quoted */
  table: z.string(),
  mode: z.string(),
  /** the statement that takes it */
  by: z.string(),
  /** who waits while it is held, and for how long */
  effect: z.string(),
  phase: z.enum(['concurrent', 'install']),
});
export type LockInfo = z.infer<typeof lockInfoSchema>;

export const groupEstimateSchema = z.strictObject({
  /** pg_class.reltuples of the source; null when never analyzed */
  sourceRows: z.number().nullable(),
  /** estimated groups (rows of the summary); null when unknown */
  groups: z.number().nullable(),
  /** pg_stats: product of the keys' n_distinct; planner: the GROUP BY estimate of EXPLAIN */
  basis: z.enum(['pg_stats', 'planner', 'none']),
  keys: z.array(z.strictObject({ name: z.string(), nDistinct: z.number().nullable() })),
});
export type GroupEstimate = z.infer<typeof groupEstimateSchema>;

export const previewSuccessSchema = z.strictObject({
  ok: z.literal(true),
  definition,
  definingQuery: z.string(),
  sections: z.array(sqlSectionSchema),
  /** the install transaction's script */
  install: z.string(),
  concurrentIndexes: z.array(z.strictObject({ create: z.string(), drop: z.string() })),
  populate: z.string(),
  uninstall: z.string(),
  /** the install as tally.summaries.install_sql records it, to diff an edit against */
  installRecord: z.string(),
  warnings: z.array(z.strictObject({ code: z.string(), message: z.string() })),
  locks: z.array(lockInfoSchema),
  lockTimeoutMs: z.number().int(),
  estimate: groupEstimateSchema,
});
export type PreviewSuccess = z.infer<typeof previewSuccessSchema>;

export const previewResultSchema = z.discriminatedUnion('ok', [
  previewSuccessSchema,
  z.strictObject({ ok: z.literal(false), issues: z.array(fieldIssueSchema) }),
]);
export type PreviewResult = z.infer<typeof previewResultSchema>;

// ---- apply ---------------------------------------------------------------------------------

export const applyRequestSchema = z.strictObject({
  definition: z.unknown(),
  /** fill the summary with one INSERT … SELECT inside the install transaction */
  populate: z.boolean().default(false),
  lockTimeoutMs: z.number().int().min(0).max(600_000).optional(),
});
export type ApplyRequest = z.input<typeof applyRequestSchema>;

/** What a failed mutation answers: the psql-style text, and field issues for bad input. */
export const mutationErrorSchema = z.object({
  error: z.string(),
  issues: z.array(fieldIssueSchema).optional(),
});

// ---- audit log -----------------------------------------------------------------------------

export const auditEntrySchema = z.strictObject({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  summaryName: z.string().nullable(),
  statement: z.string(),
  outcome: z.enum(['ok', 'error']),
  error: z.string().nullable(),
  durationMs: z.number().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.strictObject({
  entries: z.array(auditEntrySchema),
  /** pass as `before` for the next (older) page; null at the end */
  nextBefore: z.number().int().nullable(),
  /** every summary name that has entries, for the filter */
  summaries: z.array(z.string()),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

export const auditQuerySchema = z.strictObject({
  summary: z.string().max(200).optional(),
  outcome: z.enum(['ok', 'error']).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;
