import { z } from 'zod';
import { backfillProtocol, backfillStatus } from './backfill-status';
import type { BackfillBatch, BackfillRun } from './backfill-run';
import { progressOf } from './progress';

/**
 * Backfill state as the console's API serves it (JSON: dates as ISO strings), with the
 * progress already computed so every client shows the same numbers. The browser parses
 * responses with these schemas.
 */
export const backfillRunView = z.strictObject({
  id: z.number().int(),
  summaryName: z.string(),
  status: backfillStatus,
  protocol: backfillProtocol,
  protocolReason: z.string(),
  rowsDone: z.number(),
  groupsDone: z.number(),
  batchesDone: z.number().int(),
  estimatedRows: z.number().nullable(),
  estimatedGroups: z.number().nullable(),
  batchSize: z.number().int(),
  adaptive: z.boolean(),
  targetBatchMs: z.number().int(),
  throttleMs: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  updatedAt: z.string(),
  owner: z.string().nullable(),
  attempts: z.number().int(),
  retries: z.number().int(),
  /** psql-style */
  lastError: z.string().nullable(),
  percent: z.number().nullable(),
  rowsPerSec: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  elapsedMs: z.number().nullable(),
});
export type BackfillRunView = z.infer<typeof backfillRunView>;

export const backfillBatchView = z.strictObject({
  batchNo: z.number().int(),
  finishedAt: z.string(),
  rows: z.number(),
  groups: z.number(),
  batchSize: z.number().int(),
  durationMs: z.number(),
  lockMs: z.number(),
  slots: z.number().int(),
  wideLock: z.boolean(),
});
export type BackfillBatchView = z.infer<typeof backfillBatchView>;

export const backfillState = z.strictObject({
  summaryName: z.string(),
  /** tally.summaries.status: installed | backfilling | ready | cancelled */
  summaryStatus: z.string(),
  /** the live run, else the latest; null when the summary was never backfilled */
  current: backfillRunView.nullable(),
  /** newest first, the current one included */
  history: z.array(backfillRunView),
  /** the current run's recent batches, oldest first (the throughput chart) */
  batches: z.array(backfillBatchView),
});
export type BackfillState = z.infer<typeof backfillState>;

export const backfillList = z.strictObject({ runs: z.array(backfillRunView) });
export type BackfillList = z.infer<typeof backfillList>;

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export function toRunView(
  run: BackfillRun,
  batches: readonly BackfillBatch[],
  now = Date.now(),
): BackfillRunView {
  const p = progressOf(run, batches, now);
  return {
    id: run.id,
    summaryName: run.summaryName,
    status: run.status,
    protocol: run.protocol,
    protocolReason: run.protocolReason,
    rowsDone: run.rowsDone,
    groupsDone: run.groupsDone,
    batchesDone: run.batchesDone,
    estimatedRows: run.estimatedRows,
    estimatedGroups: run.estimatedGroups,
    batchSize: run.batchSize,
    adaptive: run.adaptive,
    targetBatchMs: run.targetBatchMs,
    throttleMs: run.throttleMs,
    createdAt: run.createdAt.toISOString(),
    createdBy: run.createdBy,
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    updatedAt: run.updatedAt.toISOString(),
    owner: run.owner,
    attempts: run.attempts,
    retries: run.retries,
    lastError: run.lastError,
    percent: p.percent,
    rowsPerSec: p.rowsPerSec,
    etaSeconds: p.etaSeconds,
    elapsedMs: p.elapsedMs,
  };
}

export function toBatchView(b: BackfillBatch): BackfillBatchView {
  return {
    batchNo: b.batchNo,
    finishedAt: b.finishedAt.toISOString(),
    rows: b.rows,
    groups: b.groups,
    batchSize: b.batchSize,
    durationMs: b.durationMs,
    lockMs: b.lockMs,
    slots: b.slots,
    wideLock: b.wideLock,
  };
}

export const backfillAction = z.strictObject({
  action: z.enum(['start', 'restart', 'pause', 'resume', 'cancel', 'adjust']),
  throttleMs: z.number().int().min(0).max(3_600_000).optional(),
  batchSize: z.number().int().min(1).max(100_000).optional(),
  targetBatchMs: z.number().int().min(10).max(60_000).optional(),
});
export type BackfillAction = z.infer<typeof backfillAction>;
