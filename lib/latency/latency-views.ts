import { z } from 'zod';

/**
 * The stored and served shapes of the latency lab: what tally.latency_runs.results and
 * .write_overhead hold (migrations/0004_latency.sql), and what the console and CLI read.
 */

/** Which reads a run times; each "view" query is paired with a "table" one. */
export const LATENCY_QUERY_IDS = [
  'per_key_view',
  'per_key_table',
  'dashboard_view',
  'dashboard_table',
  'pk_lookup',
  'user_before',
  'user_after',
] as const;
export const latencyQueryId = z.enum(LATENCY_QUERY_IDS);
export type LatencyQueryId = z.infer<typeof latencyQueryId>;

/** Percentiles of client wall time in ms; null where the value fell on a timed-out run. */
export const latencyStats = z.strictObject({
  n: z.number().int(),
  timedOut: z.number().int(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  min: z.number().nullable(),
});
export type LatencyStats = z.infer<typeof latencyStats>;

export const planNode = z.strictObject({
  depth: z.number().int(),
  nodeType: z.string(),
  relation: z.string().nullable(),
  index: z.string().nullable(),
  actualRows: z.number().nullable(),
  actualMs: z.number().nullable(),
});
export type PlanNode = z.infer<typeof planNode>;

export const planSummary = z.strictObject({
  /** median execution time of the EXPLAIN ANALYZE runs; null when they timed out */
  executionMs: z.number().nullable(),
  planningMs: z.number().nullable(),
  /** scan node types with their relation, e.g. "Index Only Scan on users_pkey" */
  scans: z.array(z.string()),
  sharedHit: z.number().nullable(),
  sharedRead: z.number().nullable(),
  nodes: z.array(planNode),
  /** the EXPLAIN ANALYZE runs were cut by statement_timeout: the plan is the estimated one */
  timedOut: z.boolean(),
});
export type PlanSummary = z.infer<typeof planSummary>;

export const latencyQueryResult = z.strictObject({
  id: latencyQueryId,
  label: z.string(),
  sql: z.string(),
  stats: latencyStats,
  rows: z.number().int().nullable(),
  plan: planSummary.nullable(),
});
export type LatencyQueryResult = z.infer<typeof latencyQueryResult>;

export const writeWorkloadResult = z.strictObject({
  workload: z.string(),
  /** median ms with the summary's triggers firing */
  activeMs: z.number().nullable(),
  /** median ms with session_replication_role = replica (triggers bypassed) */
  bypassedMs: z.number().nullable(),
  ratio: z.number().nullable(),
  error: z.string().nullable(),
});
export type WriteWorkloadResult = z.infer<typeof writeWorkloadResult>;

export const writeOverhead = z.strictObject({
  repeats: z.number().int(),
  workloads: z.array(writeWorkloadResult),
  note: z.string(),
});
export type WriteOverhead = z.infer<typeof writeOverhead>;

export const LATENCY_RUN_STATUSES = ['running', 'done', 'failed'] as const;

export const latencyRun = z.strictObject({
  id: z.number().int(),
  summaryName: z.string(),
  status: z.enum(LATENCY_RUN_STATUSES),
  runs: z.number().int(),
  timeoutMs: z.number().int(),
  done: z.number().int(),
  total: z.number().int(),
  sourceRows: z.number().nullable(),
  results: z.array(latencyQueryResult),
  writeOverhead: writeOverhead.nullable(),
  error: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type LatencyRun = z.infer<typeof latencyRun>;

/** One speed-up of a run: view p50 over table p50 (a lower bound when the view timed out). */
export const speedup = z.strictObject({
  factor: z.number().nullable(),
  lowerBound: z.boolean(),
});
export type Speedup = z.infer<typeof speedup>;

export const latencyOverviewItem = z.strictObject({
  summaryName: z.string(),
  runId: z.number().int(),
  finishedAt: z.string().nullable(),
  perKey: speedup,
  dashboard: speedup,
});
export type LatencyOverviewItem = z.infer<typeof latencyOverviewItem>;

/** What the console posts to start a run. */
export const latencyRequest = z.strictObject({
  runs: z.coerce.number().int().min(1).max(1000).default(20),
  timeoutMs: z.coerce.number().int().min(1).max(600_000).default(30_000),
  sampleKeys: z.coerce.number().int().min(1).max(1000).default(20),
  writes: z.boolean().default(true),
  beforeSql: z.string().trim().max(100_000).optional(),
  afterSql: z.string().trim().max(100_000).optional(),
});
export type LatencyRequest = z.input<typeof latencyRequest>;
export type LatencyOptions = z.infer<typeof latencyRequest>;

/** p50 of `view` over p50 of `table`. */
export function speedupOf(
  view: LatencyStats | undefined,
  table: LatencyStats | undefined,
  timeoutMs: number,
): Speedup {
  if (!view || !table || table.p50 === null || table.p50 <= 0)
    return { factor: null, lowerBound: false };
  if (view.p50 === null) return { factor: timeoutMs / table.p50, lowerBound: true };
  return { factor: view.p50 / table.p50, lowerBound: false };
}

export function resultOf(
  results: readonly LatencyQueryResult[],
  id: LatencyQueryId,
): LatencyQueryResult | undefined {
  return results.find((r) => r.id === id);
}
