import type pg from 'pg';
import { exec } from '../db/pool';
import { DefinitionError, isPgError, SqlState } from '../errors';
import { getSummary } from '../summary/registry';
import { buildLatencyQueries, type Statement, type TimedQuery } from './latency-queries';
import { latencyStatsOf, median, type Sample } from './latency-stats';
import { getLatencyRun } from './latency-store';
import {
  latencyRequest,
  type LatencyQueryResult,
  type LatencyRequest,
  type LatencyRun,
  type PlanSummary,
} from './latency-views';
import { summarizePlan, type ExplainOutput } from './plan-summary';
import { validateReadOnlySelect } from './read-only-select';
import { measureWriteOverhead } from './summary-write-cost';

export interface RunLatencyHooks {
  readonly actor: string;
  /** called once the run row exists, before any timing (the console answers with the id) */
  readonly onStarted?: (runId: number) => void;
  readonly log?: (line: string) => void;
  /** repeats of each write workload (default 5) */
  readonly writeRepeats?: number;
}

/** EXPLAIN ANALYZE runs per query, kept apart from the timed runs. */
const EXPLAIN_RUNS = 3;

/**
 * A latency-lab run on one summary (DESIGN.md § Latency lab): the reads of
 * buildLatencyQueries, interleaved `runs` times each, every one in its own READ ONLY
 * transaction under statement_timeout; then EXPLAIN (ANALYZE, BUFFERS) runs for server time
 * and plans; then, optionally, the write overhead. Everything is stored in tally.latency_runs /
 * latency_samples, with progress as it goes. Bad input throws before anything is stored; a
 * failure later marks the run failed and is rethrown.
 */
export async function runLatency(
  pool: pg.Pool,
  name: string,
  request: LatencyRequest,
  hooks: RunLatencyHooks,
): Promise<LatencyRun> {
  const o = latencyRequest.parse(request);
  const s = await getSummary(pool, name);
  const user: TimedQuery[] = [];
  if (o.beforeSql)
    user.push({
      id: 'user_before',
      label: 'your "before" query',
      statements: [{ text: await validateReadOnlySelect(o.beforeSql, 'beforeSql'), values: [] }],
    });
  if (o.afterSql)
    user.push({
      id: 'user_after',
      label: 'your "after" query',
      statements: [{ text: await validateReadOnlySelect(o.afterSql, 'afterSql'), values: [] }],
    });

  await assertNoRunGoing(pool, s.name);
  const { rows } = await exec<{ id: string }>(
    pool,
    `INSERT INTO tally.latency_runs (summary_id, summary_name, runs, timeout_ms, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [s.id, s.name, o.runs, o.timeoutMs, hooks.actor],
  );
  const runId = Number(rows[0]!.id);
  hooks.onStarted?.(runId);
  try {
    const plan = await buildLatencyQueries(pool, s, o.sampleKeys);
    const queries = [...plan.queries, ...user];
    const writeSteps = o.writes ? 4 : 0;
    const total = queries.length * (o.runs + Math.min(EXPLAIN_RUNS, o.runs)) + writeSteps;
    let done = 0;
    const progress = async (step = 1) => {
      done += step;
      await exec(
        pool,
        `UPDATE tally.latency_runs SET done = $2, total = $3, updated_at = now() WHERE id = $1`,
        [runId, done, total],
      );
    };
    await exec(pool, `UPDATE tally.latency_runs SET total = $2, source_rows = $3 WHERE id = $1`, [
      runId,
      total,
      plan.source.estimatedRows === null ? null : Math.round(plan.source.estimatedRows),
    ]);

    const samples = new Map<string, (Sample & { rows: number | null })[]>(
      queries.map((q) => [q.id, []]),
    );
    const client = await pool.connect();
    const plans = new Map<string, PlanSummary>();
    try {
      for (let i = 0; i < o.runs; i++) {
        // interleave, and reverse the order every other round so neither side always runs warm
        const order = i % 2 ? [...queries].reverse() : queries;
        for (const q of order)
          samples.get(q.id)!.push(await timeRead(client, pick(q, i), o.timeoutMs));
        await progress(queries.length);
      }
      hooks.log?.(
        `${s.name}: ${o.runs} timed runs of ${queries.length} reads done; EXPLAIN ANALYZE…`,
      );
      for (const q of queries) {
        const n = Math.min(EXPLAIN_RUNS, o.runs);
        plans.set(q.id, await explainRead(client, pick(q, 0), o.timeoutMs, n));
        await progress(n);
      }
    } finally {
      client.release();
    }

    const results: LatencyQueryResult[] = queries.map((q) => {
      const ss = samples.get(q.id)!;
      const finished = ss.filter((x) => !x.timedOut && x.rows !== null);
      return {
        id: q.id,
        label: q.label,
        sql: pick(q, 0).text,
        stats: latencyStatsOf(ss),
        rows: finished.length ? Math.round(median(finished.map((x) => x.rows!))!) : null,
        plan: plans.get(q.id) ?? null,
      };
    });

    const writeOverhead = o.writes
      ? await measureWriteOverhead(pool, s, plan.source, {
          repeats: hooks.writeRepeats ?? 5,
          timeoutMs: o.timeoutMs,
          onStep: () => progress(),
        })
      : null;

    await exec(
      pool,
      `INSERT INTO tally.latency_samples (run_id, query, seq, client_ms, timed_out, row_count)
       SELECT $1, q, seq, ms, t, r FROM unnest($2::text[], $3::int[], $4::float8[], $5::bool[], $6::int[]) AS u(q, seq, ms, t, r)`,
      [runId, ...columnsOf(samples)],
    );
    await exec(
      pool,
      `UPDATE tally.latency_runs SET status = 'done', results = $2, write_overhead = $3, done = total,
              updated_at = now(), finished_at = now() WHERE id = $1`,
      [runId, JSON.stringify(results), writeOverhead ? JSON.stringify(writeOverhead) : null],
    );
  } catch (e) {
    await exec(
      pool,
      `UPDATE tally.latency_runs SET status = 'failed', error = $2, updated_at = now(), finished_at = now() WHERE id = $1`,
      [runId, e instanceof Error ? e.message : String(e)],
    ).catch(() => undefined);
    throw e;
  }
  return getLatencyRun(pool, runId);
}

/** A run with no progress for this long was abandoned (its process died). */
const ABANDONED_AFTER = '10 minutes';

/** One run per summary at a time: two would time each other's contention, not the reads. */
async function assertNoRunGoing(pool: pg.Pool, name: string): Promise<void> {
  await exec(
    pool,
    `UPDATE tally.latency_runs SET status = 'failed', error = 'abandoned: no progress for ${ABANDONED_AFTER}', finished_at = now()
      WHERE summary_name = $1 AND status = 'running' AND updated_at < now() - interval '${ABANDONED_AFTER}'`,
    [name],
  );
  const { rows } = await exec<{ id: string }>(
    pool,
    `SELECT id FROM tally.latency_runs WHERE summary_name = $1 AND status = 'running' ORDER BY id DESC LIMIT 1`,
    [name],
  );
  if (rows[0])
    throw DefinitionError.single(
      'summary',
      `latency run ${rows[0].id} on "${name}" is still going`,
      { hint: 'wait for it to finish' },
    );
}

function pick(q: TimedQuery, i: number): Statement {
  return q.statements[i % q.statements.length]!;
}

function columnsOf(samples: Map<string, (Sample & { rows: number | null })[]>): unknown[][] {
  const cols: unknown[][] = [[], [], [], [], []];
  for (const [id, ss] of samples)
    ss.forEach((x, seq) => {
      cols[0]!.push(id);
      cols[1]!.push(seq);
      cols[2]!.push(x.ms);
      cols[3]!.push(x.timedOut);
      cols[4]!.push(x.rows);
    });
  return cols;
}

async function readOnly<T>(
  client: pg.PoolClient,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  await client.query('BEGIN READ ONLY');
  try {
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
    const r = await fn();
    await client.query('COMMIT');
    return r;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** Client wall time of one read; a statement_timeout is a sample at the timeout, flagged. */
async function timeRead(
  client: pg.PoolClient,
  st: Statement,
  timeoutMs: number,
): Promise<Sample & { rows: number | null }> {
  let t0 = 0;
  try {
    return await readOnly(client, timeoutMs, async () => {
      t0 = performance.now();
      const r = await client.query(st.text, [...st.values]);
      return { ms: performance.now() - t0, timedOut: false, rows: r.rowCount ?? r.rows.length };
    });
  } catch (e) {
    if (isPgError(e) && e.code === SqlState.queryCanceled)
      return { ms: timeoutMs, timedOut: true, rows: null };
    throw e;
  }
}

/** Median server execution time of `n` EXPLAIN ANALYZE runs, and the plan of the last. */
async function explainRead(
  client: pg.PoolClient,
  st: Statement,
  timeoutMs: number,
  n: number,
): Promise<PlanSummary> {
  const times: number[] = [];
  let last: ExplainOutput | null = null;
  try {
    for (let i = 0; i < n; i++) {
      last = await readOnly(client, timeoutMs, async () => {
        const r = await client.query<{ 'QUERY PLAN': ExplainOutput[] }>(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${st.text}`,
          [...st.values],
        );
        return r.rows[0]!['QUERY PLAN'][0]!;
      });
      if (last['Execution Time'] !== undefined) times.push(last['Execution Time']);
    }
    return summarizePlan(last ?? {}, median(times), false);
  } catch (e) {
    if (!(isPgError(e) && e.code === SqlState.queryCanceled)) throw e;
    // the estimated plan still shows what it would scan
    const estimated = await readOnly(client, timeoutMs, async () => {
      const r = await client.query<{ 'QUERY PLAN': ExplainOutput[] }>(
        `EXPLAIN (FORMAT JSON) ${st.text}`,
        [...st.values],
      );
      return r.rows[0]!['QUERY PLAN'][0]!;
    });
    return summarizePlan(estimated, null, true);
  }
}
