import type pg from 'pg';
import { exec, withTransaction, type Queryable } from '../db/pool';
import { DefinitionError, NotFoundError, isPgError, SqlState } from '../errors';
import { getSummary } from '../summary/registry';
import { loadSummaryModel, planBackfill } from './backfill-plan';
import {
  getLiveRun,
  listRuns,
  RUN_COLUMNS,
  toBackfillRun,
  type BackfillRun,
  type RunRow,
} from './backfill-run';
import { clampBatchSize, DEFAULT_BATCH_SIZE, DEFAULT_TARGET_BATCH_MS } from './batch-size';

/**
 * Starting and steering backfills: what the CLI flags, the console buttons and `tally create`
 * call. Each is one short transaction on the state row; the runner holding the run sees the
 * change at its next batch (pause, cancel) or its next pause between batches (throttle).
 */

export interface BackfillSettings {
  /** fixed batch size (turns adaptation off) */
  readonly batchSize?: number;
  readonly throttleMs?: number;
  /** transaction time the adaptive batch size aims at */
  readonly targetBatchMs?: number;
}

export interface StartOptions extends BackfillSettings {
  readonly actor: string;
  /** cancel the live run, if any, and start again from the first key */
  readonly restart?: boolean;
}

function checkSettings(s: BackfillSettings): void {
  if (s.batchSize !== undefined && !(Number.isInteger(s.batchSize) && s.batchSize >= 1))
    throw DefinitionError.single('batchSize', 'must be a positive whole number');
  if (
    s.throttleMs !== undefined &&
    !(Number.isInteger(s.throttleMs) && s.throttleMs >= 0 && s.throttleMs <= 3_600_000)
  )
    throw DefinitionError.single(
      'throttleMs',
      'must be a whole number of milliseconds between 0 and 3600000',
    );
  if (
    s.targetBatchMs !== undefined &&
    !(Number.isInteger(s.targetBatchMs) && s.targetBatchMs >= 10 && s.targetBatchMs <= 60_000)
  )
    throw DefinitionError.single(
      'targetBatchMs',
      'must be a whole number of milliseconds between 10 and 60000',
    );
}

const CANCEL_LIVE_SQL = `UPDATE tally.backfill_runs
    SET status = 'cancelled', owner = NULL, heartbeat_at = NULL, finished_at = now(), updated_at = now()
  WHERE summary_id = $1 AND status IN ('pending', 'running', 'paused')
  RETURNING ${RUN_COLUMNS}`;

/**
 * Starts a backfill of summary `name` (a new pending run, which a runner claims), or returns
 * the live one with `settings` applied. The summary's status becomes "backfilling". With
 * `restart`, a live run is cancelled first and the new one starts from the first key.
 */
export async function startBackfill(
  pool: pg.Pool,
  name: string,
  opts: StartOptions,
): Promise<BackfillRun> {
  checkSettings(opts);
  const summary = await getSummary(pool, name);
  if (!opts.restart) {
    const live = await getLiveRun(pool, name);
    if (live) return adjustBackfill(pool, name, opts);
  }
  const plan = await planBackfill(pool, await loadSummaryModel(pool, summary));
  try {
    return await withTransaction(pool, async (c) => {
      // serializes starts of one summary (and orders them after a concurrent drop)
      const locked = await exec(c, `SELECT 1 FROM tally.summaries WHERE id = $1 FOR UPDATE`, [
        summary.id,
      ]);
      if (!locked.rowCount) throw new NotFoundError(`summary "${name}" does not exist`);
      if (opts.restart) await exec(c, CANCEL_LIVE_SQL, [summary.id]);
      const { rows } = await exec<RunRow>(
        c,
        `INSERT INTO tally.backfill_runs
           (summary_id, summary_name, protocol, protocol_reason, walk, estimated_rows, estimated_groups,
            batch_size, adaptive, target_batch_ms, throttle_ms, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         RETURNING ${RUN_COLUMNS}`,
        [
          summary.id,
          summary.name,
          plan.protocol,
          plan.reason,
          JSON.stringify(plan.walk ?? {}),
          plan.estimatedRows,
          plan.estimatedGroups,
          clampBatchSize(opts.batchSize ?? DEFAULT_BATCH_SIZE),
          opts.batchSize === undefined,
          opts.targetBatchMs ?? DEFAULT_TARGET_BATCH_MS,
          opts.throttleMs ?? 0,
          opts.actor,
        ],
      );
      await exec(
        c,
        `UPDATE tally.summaries SET status = 'backfilling', updated_at = now() WHERE id = $1`,
        [summary.id],
      );
      return toBackfillRun(rows[0]!);
    });
  } catch (e) {
    // a concurrent start won: use its run
    if (isPgError(e) && e.code === SqlState.uniqueViolation) {
      const live = await getLiveRun(pool, name);
      if (live) return live;
    }
    throw e;
  }
}

async function updateLive(
  db: Queryable,
  name: string,
  set: string,
  values: unknown[],
  statuses: string[],
): Promise<BackfillRun> {
  const { rows } = await exec<RunRow>(
    db,
    `UPDATE tally.backfill_runs SET ${set}, updated_at = now()
      WHERE summary_name = $1 AND status = ANY ($2::text[])
      RETURNING ${RUN_COLUMNS}`,
    [name, statuses, ...values],
  );
  if (!rows[0]) {
    await getSummary(db, name);
    throw DefinitionError.single(
      'name',
      `summary "${name}" has no backfill that is ${statuses.join(' or ')}`,
    );
  }
  return toBackfillRun(rows[0]);
}

/** Changes throttle, batch size or target of the live run (the runner picks them up as it goes). */
export async function adjustBackfill(
  db: Queryable,
  name: string,
  s: BackfillSettings,
): Promise<BackfillRun> {
  checkSettings(s);
  return updateLive(
    db,
    name,
    `throttle_ms = coalesce($3, throttle_ms),
     batch_size = coalesce($4, batch_size),
     adaptive = CASE WHEN $4::integer IS NULL THEN adaptive ELSE false END,
     target_batch_ms = coalesce($5, target_batch_ms)`,
    [
      s.throttleMs ?? null,
      s.batchSize === undefined ? null : clampBatchSize(s.batchSize),
      s.targetBatchMs ?? null,
    ],
    ['pending', 'running', 'paused'],
  );
}

/** Pauses the live run after its batch in flight; the cursor stays where it is. */
export async function pauseBackfill(db: Queryable, name: string): Promise<BackfillRun> {
  return updateLive(
    db,
    name,
    `status = 'paused', owner = NULL, heartbeat_at = NULL`,
    [],
    ['pending', 'running'],
  );
}

/** Resumes a paused run, or a failed one (the latest run), from its cursor. */
export async function resumeBackfill(pool: pg.Pool, name: string): Promise<BackfillRun> {
  const summary = await getSummary(pool, name);
  return withTransaction(pool, async (c) => {
    const { rows } = await exec<RunRow>(
      c,
      `UPDATE tally.backfill_runs SET status = 'pending', finished_at = NULL, updated_at = now()
        WHERE id = (SELECT id FROM tally.backfill_runs WHERE summary_id = $1 ORDER BY id DESC LIMIT 1)
          AND status IN ('paused', 'failed')
        RETURNING ${RUN_COLUMNS}`,
      [summary.id],
    );
    if (!rows[0])
      throw DefinitionError.single(
        'name',
        `summary "${name}" has no paused or failed backfill to resume`,
      );
    await exec(
      c,
      `UPDATE tally.summaries SET status = 'backfilling', updated_at = now() WHERE id = $1`,
      [summary.id],
    );
    return toBackfillRun(rows[0]);
  });
}

/**
 * Cancels the live run. The summary keeps what the batches so far wrote and is marked
 * "cancelled": not trustworthy until a new backfill finishes.
 */
export async function cancelBackfill(pool: pg.Pool, name: string): Promise<BackfillRun> {
  const summary = await getSummary(pool, name);
  return withTransaction(pool, async (c) => {
    const { rows } = await exec<RunRow>(c, CANCEL_LIVE_SQL, [summary.id]);
    if (!rows[0])
      throw DefinitionError.single('name', `summary "${name}" has no backfill to cancel`);
    await exec(
      c,
      `UPDATE tally.summaries SET status = 'cancelled', updated_at = now() WHERE id = $1`,
      [summary.id],
    );
    return toBackfillRun(rows[0]);
  });
}

export interface BackfillOverview {
  readonly summaryName: string;
  readonly summaryStatus: string;
  /** the live run, else the most recent one */
  readonly current: BackfillRun | null;
  /** newest first, the current one included */
  readonly history: BackfillRun[];
}

export async function getBackfillOverview(db: Queryable, name: string): Promise<BackfillOverview> {
  const summary = await getSummary(db, name);
  const history = await listRuns(db, name, 20);
  const live = history.find(
    (r) => r.status === 'pending' || r.status === 'running' || r.status === 'paused',
  );
  return {
    summaryName: summary.name,
    summaryStatus: summary.status,
    current: live ?? history[0] ?? null,
    history,
  };
}
