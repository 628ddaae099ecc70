import type pg from 'pg';
import { MAINTENANCE_SETTING } from '../sqlgen/build-plan';
import {
  batchSlotsSql,
  countSummarySql,
  deleteRangeSql,
  hasTail,
  insertRangeSql,
  lockSlotsSql,
  nextPrefixesSql,
  refreshAllSql,
  remainingRowsSql,
  wideLockStatement,
  type BatchRange,
  type WalkSpec,
} from '../sqlgen/backfill-batch';
import type { SummaryModel } from '../sqlgen/summary-model';
import { quoteLiteral } from '../db/ident';
import { exec } from '../db/pool';
import { formatError, isPgError, SqlState, wrapDbError } from '../errors';
import { getSummary } from '../summary/registry';
import { loadSummaryModel } from './backfill-plan';
import {
  backfillCursor,
  getRun,
  RUN_COLUMNS,
  toBackfillRun,
  type BackfillCursor,
  type BackfillRun,
  type RunRow,
} from './backfill-run';
import { clampBatchSize, MAX_SLOT_LOCKS, nextBatchSize } from './batch-size';
import { estimateRows } from './explain';
import { DEFAULT_LEASE_MS, heartbeat, releaseRun } from './lease';
import { sleep } from './sleep';

/**
 * Drives one claimed run batch by batch until it is done, paused, cancelled, fails, or this
 * runner is told to stop (DESIGN.md § Backfill, protocol 1). Each batch is ONE transaction:
 * re-check the lease under the run row's lock, find the batch's groups, lock their slots in
 * ascending order, recompute them from the source, advance the cursor and the counters. A
 * crash loses at most the batch in flight; nothing is counted twice, because a batch's writes
 * and its cursor commit together.
 */

export interface BatchReport {
  readonly batchNo: number;
  readonly rows: number;
  readonly groups: number;
  readonly batchSize: number;
  readonly slots: number;
  readonly wideLock: boolean;
  /** whole transaction, BEGIN to COMMIT, as the client saw it */
  readonly durationMs: number;
  /** from the first group lock to COMMIT */
  readonly lockMs: number;
  readonly retries: number;
}

export type RunOutcome = 'done' | 'paused' | 'cancelled' | 'failed' | 'released' | 'lost';

export interface DriveOptions {
  /** this runner's name (lease.ts runnerId) */
  readonly owner: string;
  /** stop after the batch in flight; the run is then released as `onAbort` says */
  readonly signal?: AbortSignal;
  /** 'release' (default): back to pending for the next runner; 'pause': wait for a resume */
  readonly onAbort?: 'release' | 'pause';
  readonly leaseMs?: number;
  /**
   * lock_timeout per batch (default 500): a lock timeout is retried with backoff. Below the
   * server's deadlock_timeout (1 s by default), so in a deadlock with a writer's multi-statement
   * transaction the backfill usually gives up before the detector aborts the writer.
   */
  readonly lockTimeoutMs?: number;
  /** statement_timeout per batch (default max(5 s, 20 × target)); raised for a huge group */
  readonly statementTimeoutMs?: number;
  readonly onBatch?: (run: BackfillRun, batch: BatchReport) => void;
  readonly log?: (line: string) => void;
}

/** Retried with backoff: a writer held a group lock too long, or the rare deadlock. */
const RETRYABLE = new Set<string>([
  SqlState.lockNotAvailable,
  SqlState.deadlockDetected,
  SqlState.serializationFailure,
]);
const MAX_CONSECUTIVE_RETRIES = 40;
const DEFAULT_LOCK_TIMEOUT_MS = 500;
const MAX_STATEMENT_TIMEOUT_MS = 10 * 60_000;
/** batches kept per run for the chart; older ones are trimmed */
const KEEP_BATCHES = 2000;

function isConnectionError(e: unknown): boolean {
  if (isPgError(e)) return /^(08|57P0[123])/.test(e.code ?? '');
  const err = e as { code?: string; message?: string };
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(err.code ?? '') ||
    /Connection terminated|connection.*closed/i.test(err.message ?? '')
  );
}

class Stopped {
  constructor(readonly outcome: RunOutcome) {}
}

interface BatchState {
  run: BackfillRun;
  m: SummaryModel;
  /** the summary's version the model was resolved for: a rebuild makes the run obsolete */
  version: number;
  statementTimeoutMs: number;
  lastEstimateAt: number;
}

/** Session settings pinned per batch: key values travel as text, so their format must not vary. */
const PINNED = `SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 3`;
/**
 * A batch's writes and its cursor commit together, so losing the last commits in a crash only
 * repeats those batches: no need to wait for the WAL flush of each one.
 */
const ASYNC_COMMIT = `SET LOCAL synchronous_commit = off`;

export async function driveRun(
  pool: pg.Pool,
  runId: number,
  opts: DriveOptions,
): Promise<RunOutcome> {
  const log = opts.log ?? (() => undefined);
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const first = await getRun(pool, runId);
  if (!first || first.owner !== opts.owner || first.status !== 'running') return 'lost';

  let m: SummaryModel;
  let version: number;
  try {
    const summary = await getSummary(pool, first.summaryName);
    version = summary.version;
    m = await loadSummaryModel(pool, summary);
  } catch (e) {
    await failRun(pool, runId, opts.owner, e);
    return 'failed';
  }
  const st: BatchState = {
    run: first,
    m,
    version,
    // one statement over the whole source when the protocol is single
    statementTimeoutMs:
      opts.statementTimeoutMs ??
      (first.protocol === 'single'
        ? MAX_STATEMENT_TIMEOUT_MS
        : Math.max(5000, 20 * first.targetBatchMs)),
    lastEstimateAt: 0,
  };

  /**
   * Sleeps in slices, renewing the lease; stops early when the run is no longer ours. The
   * throttle pause follows the throttle as it is changed meanwhile.
   */
  const pause = async (ms: number, throttle = false): Promise<void> => {
    const start = performance.now();
    let until = start + ms;
    for (;;) {
      const left = until - performance.now();
      if (left <= 0 || opts.signal?.aborted) return;
      await sleep(Math.min(left, 1000, leaseMs / 3), opts.signal);
      const hb = await heartbeat(pool, runId, opts.owner);
      if (!hb) throw new Stopped(await outcomeOf(pool, runId, opts.owner));
      if (throttle) until = start + hb.throttleMs;
    }
  };

  try {
    for (;;) {
      if (opts.signal?.aborted) {
        const to = opts.onAbort ?? 'release';
        await releaseRun(pool, runId, opts.owner, to === 'pause' ? 'paused' : 'pending');
        return to === 'pause' ? 'paused' : 'released';
      }
      const report = await batchWithRetries(pool, st, opts, pause);
      opts.onBatch?.(st.run, report);
      if (st.run.status === 'done') {
        log(
          `backfill of "${st.run.summaryName}" done: ${st.run.rowsDone} rows, ${st.run.groupsDone} groups, ${st.run.batchesDone} batches`,
        );
        return 'done';
      }
      if (st.run.throttleMs > 0) await pause(st.run.throttleMs, true);
    }
  } catch (e) {
    if (e instanceof Stopped) return e.outcome;
    if (isConnectionError(e)) {
      // the database went away: leave the lease to lapse; a runner resumes from the cursor
      log(`backfill of "${first.summaryName}": ${formatError(e)}`);
      return 'released';
    }
    // dropped with its summary meanwhile: nothing left to fail
    if (!(await getRun(pool, runId).catch(() => null))) return 'lost';
    await failRun(pool, runId, opts.owner, e).catch(() => undefined);
    log(`backfill of "${first.summaryName}" failed:\n${formatError(e)}`);
    return 'failed';
  }
}

/** Why the run is no longer ours. */
async function outcomeOf(pool: pg.Pool, runId: number, owner: string): Promise<RunOutcome> {
  const run = await getRun(pool, runId);
  if (!run) return 'lost';
  if (run.status === 'paused') return 'paused';
  if (run.status === 'cancelled') return 'cancelled';
  if (run.status === 'done') return 'done';
  if (run.status === 'failed') return 'failed';
  return run.owner === owner ? 'released' : 'lost';
}

async function failRun(pool: pg.Pool, runId: number, owner: string, e: unknown): Promise<void> {
  await exec(
    pool,
    `UPDATE tally.backfill_runs SET status = 'failed', last_error = $3, owner = NULL, heartbeat_at = NULL,
            updated_at = now(), finished_at = now()
      WHERE id = $1 AND owner = $2`,
    [runId, owner, formatError(e)],
  );
}

async function noteRetry(
  pool: pg.Pool,
  st: BatchState,
  owner: string,
  e: unknown,
  batchSize?: number,
): Promise<void> {
  await exec(
    pool,
    `UPDATE tally.backfill_runs SET retries = retries + 1, last_error = $3, heartbeat_at = now(), updated_at = now(),
            batch_size = coalesce($4, batch_size)
      WHERE id = $1 AND owner = $2 AND status = 'running'`,
    [st.run.id, owner, formatError(e), batchSize ?? null],
  );
}

async function batchWithRetries(
  pool: pg.Pool,
  st: BatchState,
  opts: DriveOptions,
  pause: (ms: number) => Promise<void>,
): Promise<BatchReport> {
  let retries = 0;
  for (;;) {
    try {
      return await runBatch(pool, st, opts, retries);
    } catch (e) {
      if (e instanceof Stopped) throw e;
      const code = isPgError(e) ? e.code : undefined;
      const transient = (code && RETRYABLE.has(code)) || isConnectionError(e);
      if (code === SqlState.queryCanceled) {
        // statement_timeout: smaller batches, or more time when one prefix is already too big
        const k = st.run.batchSize;
        if (k > 1) await noteRetry(pool, st, opts.owner, e, clampBatchSize(k / 2));
        else {
          if (st.statementTimeoutMs >= MAX_STATEMENT_TIMEOUT_MS) throw e;
          st.statementTimeoutMs = Math.min(MAX_STATEMENT_TIMEOUT_MS, st.statementTimeoutMs * 2);
          await noteRetry(pool, st, opts.owner, e);
        }
        st.run = { ...st.run, batchSize: k > 1 ? clampBatchSize(k / 2) : k };
      } else if (transient) {
        if (retries >= MAX_CONSECUTIVE_RETRIES) throw e;
        await noteRetry(pool, st, opts.owner, e).catch(() => undefined);
        const backoff = Math.min(5000, 50 * 2 ** Math.min(retries, 7)) * (0.5 + Math.random());
        await pause(backoff);
      } else throw e;
      retries++;
      if (opts.signal?.aborted) throw new Stopped(await abortRun(pool, st, opts));
    }
  }
}

async function abortRun(pool: pg.Pool, st: BatchState, opts: DriveOptions): Promise<RunOutcome> {
  const to = opts.onAbort ?? 'release';
  await releaseRun(pool, st.run.id, opts.owner, to === 'pause' ? 'paused' : 'pending');
  return to === 'pause' ? 'paused' : 'released';
}

interface LockedRun {
  version: number;
  status: string;
  owner: string | null;
  cursor: unknown;
  batch_size: number;
  adaptive: boolean;
  target_batch_ms: number;
  throttle_ms: number;
}

async function runBatch(
  pool: pg.Pool,
  st: BatchState,
  opts: DriveOptions,
  retries: number,
): Promise<BatchReport> {
  const { m } = st;
  const started = performance.now();
  const client = await pool.connect();
  let broken = false;
  let report: BatchReport | undefined;
  try {
    // one round trip: the transaction, its timeouts, pinned formats, and the guard's pass
    const lockTimeout = Math.max(1, Math.floor(opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS));
    // READ COMMITTED whatever the session default: each statement after the locks must see
    // every commit made before them
    await client.query(
      `BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = ${lockTimeout}; SET LOCAL statement_timeout = ${Math.floor(st.statementTimeoutMs)}; ` +
        `SET LOCAL idle_in_transaction_session_timeout = ${Math.max(60_000, Math.floor(st.statementTimeoutMs * 2))}; ${PINNED}; ${ASYNC_COMMIT}; ` +
        `SET LOCAL ${MAINTENANCE_SETTING} = ${quoteLiteral(m.r.name)}; ` +
        // The summary table first, as DROP and rebuild lock it before the catalog rows: a batch
        // then waits for them (and retries) instead of deadlocking with them.
        `LOCK TABLE ${m.table} IN ROW EXCLUSIVE MODE`,
    );

    // The lease, under the row lock: pause/cancel wait for this batch, and a runner that lost
    // the run cannot commit a batch of it.
    const locked = await exec<LockedRun>(
      client,
      `SELECT s.version, r.status, r.owner, r.cursor, r.batch_size, r.adaptive, r.target_batch_ms, r.throttle_ms
         FROM tally.backfill_runs AS r JOIN tally.summaries AS s ON s.id = r.summary_id
        WHERE r.id = $1 FOR UPDATE OF r`,
      [st.run.id],
    );
    const row = locked.rows[0];
    if (!row || row.status !== 'running' || row.owner !== opts.owner) {
      await client.query('ROLLBACK');
      throw new Stopped(
        row ? (row.status === 'running' ? 'lost' : (row.status as RunOutcome)) : 'lost',
      );
    }
    if (row.version !== st.version)
      throw new Error(
        `summary "${m.r.name}" was rebuilt (version ${st.version} → ${row.version}) during the backfill: start a new one`,
      );
    const cursor = backfillCursor.parse(row.cursor);
    const k = clampBatchSize(row.batch_size);

    let range: BatchRange | null = null;
    let rangeValues: string[] = [];
    let next: BackfillCursor = { phase: 'done' };
    let prefixSlots: number[] | null = null;
    const walk: WalkSpec | null = st.run.walk ? { prefix: st.run.walk.prefix } : null;

    if (st.run.protocol === 'key_order' && walk && cursor.phase === 'walk') {
      const after = cursor.after;
      const found = await exec<Record<string, string | number>>(
        client,
        nextPrefixesSql(m, walk, after !== null),
        [k, ...(after ?? [])],
      );
      const prefixes = found.rows.map((r) =>
        Array.from({ length: walk.prefix }, (_, i) => String(r[`_tally_k${i + 1}`])),
      );
      const last = prefixes.length === k ? prefixes[k - 1]! : null;
      range = { kind: 'walk', after: after !== null, upTo: last !== null };
      rangeValues = [...(after ?? []), ...(last ?? [])];
      next = last
        ? { phase: 'walk', after: last }
        : hasTail(m, walk)
          ? { phase: 'tail' }
          : { phase: 'done' };
      if (walk.prefix === m.keys.length) prefixSlots = found.rows.map((r) => Number(r._tally_slot));
    } else if (st.run.protocol === 'key_order' && walk && cursor.phase === 'tail') {
      range = { kind: 'tail' };
      next = { phase: 'done' };
    } else if (cursor.phase === 'done') {
      next = { phase: 'done' };
    }

    // Progress estimate: rows after the new cursor, from the planner's statistics (planning only).
    let remaining: number | null = null;
    if (next.phase !== 'walk') remaining = 0;
    else if (walk && performance.now() - st.lastEstimateAt > 1000) {
      remaining = await estimateRows(
        client,
        remainingRowsSql(m, next.after ? walk : null),
        next.after ?? [],
      );
      st.lastEstimateAt = performance.now();
    }

    let slots: number[] = [];
    let wide = true;
    let groups = 0;
    let rows = 0;
    let lockedAt = performance.now();
    if (range && walk) {
      const fromSource = prefixSlots === null;
      const slotRes = await exec<{ slots: number[] }>(
        client,
        batchSlotsSql(m, walk, range, fromSource),
        fromSource ? rangeValues : [prefixSlots, ...rangeValues],
      );
      slots = slotRes.rows[0]!.slots;
      wide = slots.length > MAX_SLOT_LOCKS;
      lockedAt = performance.now();
      if (wide) await exec(client, wideLockStatement(m));
      else await exec(client, lockSlotsSql(m), [slots]);
      const lockArgs = wide ? rangeValues : [slots, ...rangeValues];
      await exec(client, deleteRangeSql(m, walk, range, !wide), lockArgs);
      const ins = await exec<{ groups: string; rows: string }>(
        client,
        insertRangeSql(m, walk, range, !wide),
        lockArgs,
      );
      groups = Number(ins.rows[0]!.groups);
      rows = Number(ins.rows[0]!.rows);
    } else if (st.run.protocol === 'single' && cursor.phase !== 'done') {
      lockedAt = performance.now();
      await exec(client, wideLockStatement(m));
      for (const statement of refreshAllSql(m)) await exec(client, statement);
      const c = await exec<{ groups: string; rows: string }>(client, countSummarySql(m));
      groups = Number(c.rows[0]!.groups);
      rows = Number(c.rows[0]!.rows);
      next = { phase: 'done' };
      remaining = 0;
    }

    const elapsed = performance.now() - started;
    const done = next.phase === 'done';
    const nextK = row.adaptive && !done ? nextBatchSize(k, elapsed, row.target_batch_ms) : k;
    const lockMs = performance.now() - lockedAt;
    const slotCount = wide ? 1 : slots.length;
    // the cursor, the counters and the batch's record commit with the batch's writes
    const updated = await exec<RunRow>(
      client,
      `WITH run AS (
         UPDATE tally.backfill_runs
            SET cursor = $2, rows_done = rows_done + $3, groups_done = groups_done + $4,
                batches_done = batches_done + 1, batch_size = $5, heartbeat_at = now(), updated_at = now(),
                estimated_rows = CASE WHEN $6::bigint IS NULL THEN greatest(estimated_rows, rows_done + $3)
                                      ELSE rows_done + $3 + $6::bigint END,
                status = CASE WHEN $7 THEN 'done' ELSE status END,
                finished_at = CASE WHEN $7 THEN now() ELSE finished_at END,
                owner = CASE WHEN $7 THEN NULL ELSE owner END,
                estimated_groups = CASE WHEN $7 THEN groups_done + $4 ELSE estimated_groups END,
                last_error = CASE WHEN $7 THEN NULL ELSE last_error END
          WHERE id = $1
          RETURNING *),
       batch AS (
         INSERT INTO tally.backfill_batches
           (run_id, batch_no, owner, batch_size, rows, groups, slots, wide_lock, duration_ms, lock_ms, retries)
         SELECT id, batches_done, $8, $9, $3, $4, $10, $11, $12, $13, $14 FROM run)
       SELECT ${RUN_COLUMNS} FROM run`,
      [
        st.run.id,
        JSON.stringify(next),
        rows,
        groups,
        nextK,
        remaining,
        done,
        opts.owner,
        k,
        slotCount,
        wide,
        elapsed,
        lockMs,
        retries,
      ],
    );
    const run = toBackfillRun(updated.rows[0]!);
    report = {
      batchNo: run.batchesDone,
      rows,
      groups,
      batchSize: k,
      slots: slotCount,
      wideLock: wide,
      durationMs: elapsed,
      lockMs,
      retries,
    };
    if (report.batchNo % 100 === 0)
      await exec(
        client,
        `DELETE FROM tally.backfill_batches WHERE run_id = $1 AND batch_no <= $2`,
        [run.id, report.batchNo - KEEP_BATCHES],
      );
    if (done)
      await exec(
        client,
        `UPDATE tally.summaries SET status = 'ready', updated_at = now() WHERE id = $1`,
        [run.summaryId],
      );
    await client.query('COMMIT');
    const committed = performance.now();
    report = { ...report, durationMs: committed - started, lockMs: committed - lockedAt };
    st.run = run;
    return report;
  } catch (e) {
    broken = isConnectionError(e);
    if (!broken) await client.query('ROLLBACK').catch(() => undefined);
    throw e instanceof Stopped ? e : wrapDbError(e);
  } finally {
    client.release(broken);
  }
}
