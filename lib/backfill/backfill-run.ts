import { z } from 'zod';
import { exec, type Queryable } from '../db/pool';
import { backfillProtocol, backfillStatus } from './backfill-status';

/**
 * A backfill run as stored in tally.backfill_runs (migrations/0003_backfill.sql), and its
 * batches. The one reshape step from rows to domain types lives here.
 */
/** Which keys the walk goes through (lib/backfill/backfill-plan.ts). */
export const backfillWalk = z.strictObject({
  /** the first `prefix` group keys, in GROUP BY order */
  prefix: z.number().int().min(1),
  keys: z.array(z.string()),
  /** the source index the walk goes through, as EXPLAIN named it */
  index: z.string().nullable(),
  /** pg_stats.correlation of the leading key (a plain column), when known */
  correlation: z.number().nullable(),
});
export type BackfillWalk = z.infer<typeof backfillWalk>;

/**
 * Where the next batch starts. walk: prefixes without NULLs, after `after` (text values, or
 * from the start); tail: the groups with a NULL among the walked keys; done.
 */
export const backfillCursor = z.discriminatedUnion('phase', [
  z.strictObject({ phase: z.literal('walk'), after: z.array(z.string()).nullable() }),
  z.strictObject({ phase: z.literal('tail') }),
  z.strictObject({ phase: z.literal('done') }),
]);
export type BackfillCursor = z.infer<typeof backfillCursor>;
export const START_CURSOR: BackfillCursor = { phase: 'walk', after: null };

export const backfillRun = z.strictObject({
  id: z.number().int(),
  summaryId: z.number().int(),
  summaryName: z.string(),
  status: backfillStatus,
  protocol: backfillProtocol,
  protocolReason: z.string(),
  walk: backfillWalk.nullable(),
  cursor: backfillCursor,
  rowsDone: z.number(),
  groupsDone: z.number(),
  batchesDone: z.number().int(),
  estimatedRows: z.number().nullable(),
  estimatedGroups: z.number().nullable(),
  batchSize: z.number().int(),
  adaptive: z.boolean(),
  targetBatchMs: z.number().int(),
  throttleMs: z.number().int(),
  createdAt: z.date(),
  createdBy: z.string(),
  startedAt: z.date().nullable(),
  updatedAt: z.date(),
  finishedAt: z.date().nullable(),
  heartbeatAt: z.date().nullable(),
  owner: z.string().nullable(),
  attempts: z.number().int(),
  retries: z.number().int(),
  lastError: z.string().nullable(),
});
export type BackfillRun = z.infer<typeof backfillRun>;

export const RUN_COLUMNS = `id, summary_id, summary_name, status, protocol, protocol_reason, walk, cursor, rows_done,
  groups_done, batches_done, estimated_rows, estimated_groups, batch_size, adaptive, target_batch_ms, throttle_ms,
  created_at, created_by, started_at, updated_at, finished_at, heartbeat_at, owner, attempts, retries, last_error`;

export interface RunRow {
  id: string;
  summary_id: number;
  summary_name: string;
  status: string;
  protocol: string;
  protocol_reason: string;
  walk: unknown;
  cursor: unknown;
  rows_done: string;
  groups_done: string;
  batches_done: number;
  estimated_rows: string | null;
  estimated_groups: string | null;
  batch_size: number;
  adaptive: boolean;
  target_batch_ms: number;
  throttle_ms: number;
  created_at: Date;
  created_by: string;
  started_at: Date | null;
  updated_at: Date;
  finished_at: Date | null;
  heartbeat_at: Date | null;
  owner: string | null;
  attempts: number;
  retries: number;
  last_error: string | null;
}

const num = (v: string | null): number | null => (v === null ? null : Number(v));

export function toBackfillRun(r: RunRow): BackfillRun {
  return backfillRun.parse({
    id: Number(r.id),
    summaryId: r.summary_id,
    summaryName: r.summary_name,
    status: r.status,
    protocol: r.protocol,
    protocolReason: r.protocol_reason,
    walk: r.walk && typeof r.walk === 'object' && Object.keys(r.walk).length ? r.walk : null,
    cursor: r.cursor,
    rowsDone: Number(r.rows_done),
    groupsDone: Number(r.groups_done),
    batchesDone: r.batches_done,
    estimatedRows: num(r.estimated_rows),
    estimatedGroups: num(r.estimated_groups),
    batchSize: r.batch_size,
    adaptive: r.adaptive,
    targetBatchMs: r.target_batch_ms,
    throttleMs: r.throttle_ms,
    createdAt: r.created_at,
    createdBy: r.created_by,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    heartbeatAt: r.heartbeat_at,
    owner: r.owner,
    attempts: r.attempts,
    retries: r.retries,
    lastError: r.last_error,
  });
}

export const backfillBatch = z.strictObject({
  batchNo: z.number().int(),
  finishedAt: z.date(),
  owner: z.string(),
  batchSize: z.number().int(),
  rows: z.number(),
  groups: z.number(),
  slots: z.number().int(),
  wideLock: z.boolean(),
  durationMs: z.number(),
  lockMs: z.number(),
  retries: z.number().int(),
});
export type BackfillBatch = z.infer<typeof backfillBatch>;

interface BatchRow {
  batch_no: number;
  finished_at: Date;
  owner: string;
  batch_size: number;
  rows: string;
  groups: string;
  slots: number;
  wide_lock: boolean;
  duration_ms: number;
  lock_ms: number;
  retries: number;
}

function toBackfillBatch(r: BatchRow): BackfillBatch {
  return backfillBatch.parse({
    batchNo: r.batch_no,
    finishedAt: r.finished_at,
    owner: r.owner,
    batchSize: r.batch_size,
    rows: Number(r.rows),
    groups: Number(r.groups),
    slots: r.slots,
    wideLock: r.wide_lock,
    durationMs: r.duration_ms,
    lockMs: r.lock_ms,
    retries: r.retries,
  });
}

export async function getRun(db: Queryable, id: number): Promise<BackfillRun | null> {
  const { rows } = await exec<RunRow>(
    db,
    `SELECT ${RUN_COLUMNS} FROM tally.backfill_runs WHERE id = $1`,
    [id],
  );
  return rows[0] ? toBackfillRun(rows[0]) : null;
}

/** The summary's runs, newest first. */
export async function listRuns(
  db: Queryable,
  summaryName: string,
  limit = 20,
): Promise<BackfillRun[]> {
  const { rows } = await exec<RunRow>(
    db,
    `SELECT ${RUN_COLUMNS} FROM tally.backfill_runs WHERE summary_name = $1 ORDER BY id DESC LIMIT $2`,
    [summaryName, limit],
  );
  return rows.map(toBackfillRun);
}

/** The live run (pending, running or paused) of a summary, if any. */
export async function getLiveRun(db: Queryable, summaryName: string): Promise<BackfillRun | null> {
  const { rows } = await exec<RunRow>(
    db,
    `SELECT ${RUN_COLUMNS} FROM tally.backfill_runs
      WHERE summary_name = $1 AND status IN ('pending', 'running', 'paused')`,
    [summaryName],
  );
  return rows[0] ? toBackfillRun(rows[0]) : null;
}

/** The most recent run of every summary that has one (for the summaries list). */
export async function latestRuns(db: Queryable): Promise<BackfillRun[]> {
  const { rows } = await exec<RunRow>(
    db,
    `SELECT DISTINCT ON (summary_id) ${RUN_COLUMNS} FROM tally.backfill_runs ORDER BY summary_id, id DESC`,
  );
  return rows.map(toBackfillRun);
}

/**
 * A run's batches in order: all that are kept (older ones are trimmed as it goes), or the
 * `last` few.
 */
export async function listBatches(
  db: Queryable,
  runId: number,
  last?: number,
): Promise<BackfillBatch[]> {
  const { rows } = await exec<BatchRow>(
    db,
    `SELECT * FROM (
       SELECT batch_no, finished_at, owner, batch_size, rows, groups, slots, wide_lock, duration_ms, lock_ms, retries
         FROM tally.backfill_batches WHERE run_id = $1 ORDER BY batch_no DESC LIMIT $2) AS b
     ORDER BY batch_no`,
    [runId, last ?? null],
  );
  return rows.map(toBackfillBatch);
}
