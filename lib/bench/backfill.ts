import pg from 'pg';
import { qualify, quoteIdent } from '../db/ident';
import { exec } from '../db/pool';
import { parseDefiningQuery } from '../definition/parse-sql';
import { groupKeyName, targetOf } from '../definition/definition';
import { startBackfill } from '../backfill/backfill-control';
import { getRun } from '../backfill/backfill-run';
import { claimRun, runnerId } from '../backfill/lease';
import { driveRun, type BatchReport } from '../backfill/run-backfill';
import { MAINTENANCE_SETTING } from '../sqlgen/build-plan';
import { renderPopulate } from '../sqlgen/render/populate';
import { summaryModel } from '../sqlgen/summary-model';
import { compareWithTruth } from '../summary/compare';
import { createSummary } from '../summary/create-summary';
import { dropSummary } from '../summary/drop-summary';
import { getSummary } from '../summary/registry';
import { resolveDefinition } from '../summary/resolve';
import type { BenchRow } from './bench-table';

/**
 * The "Backfill" section of `tally bench` (PRODUCT.md, quality bar "Backfill"): a summary's
 * batched backfill against one INSERT … SELECT … GROUP BY of the same summary, the longest
 * batch transaction, and the p99 of a concurrent single-row writer during the backfill against
 * the same writer without it.
 *
 * The summary is the first seed's talk time per user over the demo's call log (any scale;
 * `tally demo --scale large` for the 10M-row bar), or, without the demo, over a synthetic
 * table of `rows` rows in `groups` groups. It runs twice: on the table as loaded (the demo's
 * user_id is scattered over the heap, correlation ≈ 0) and on a copy clustered by user_id (the
 * append-only-by-tenant layout the key-order protocol is made for), so the table shows what
 * the layout costs. Everything is created in schema tally_bench_backfill and dropped after;
 * the writer's inserts are rolled back, so the demo data is left as it was.
 */
export interface BackfillBenchOptions {
  /** synthetic source when the demo call log is absent */
  readonly rows: number;
  readonly groups: number;
  /** how long the writer runs alone (its baseline), in seconds */
  readonly seconds: number;
  readonly log?: (line: string) => void;
}

const SCHEMA = 'tally_bench_backfill';
const SECTION = 'backfill';
const ACTOR = 'tally bench';
const DEMO_SOURCE = { schema: 'crm', table: 'admin_user_call_log' };

interface Source {
  readonly label: string;
  readonly schema: string;
  readonly table: string;
}

function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN;
}

async function demoPresent(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ ok: boolean }>(
    `SELECT to_regclass('crm.admin_user_call_log') IS NOT NULL AS ok`,
  );
  return rows[0]!.ok;
}

/** The writer's statement: a copy of a random existing row (so writes hit groups as the data does). */
async function writerSql(
  pool: pg.Pool,
  s: Source,
): Promise<{ text: string; maxId: number; minId: number }> {
  const { rows: cols } = await pool.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND a.attidentity = '' AND a.attgenerated = '' ORDER BY a.attnum`,
    [qualify(s.schema, s.table)],
  );
  const { rows } = await pool.query<{ lo: string; hi: string }>(
    `SELECT min(id) AS lo, max(id) AS hi FROM ${qualify(s.schema, s.table)}`,
  );
  const list = cols.map((c) => quoteIdent(c.name)).join(', ');
  return {
    text: `INSERT INTO ${qualify(s.schema, s.table)} (${list}) SELECT ${list} FROM ${qualify(s.schema, s.table)} WHERE id = $1`,
    minId: Number(rows[0]!.lo),
    maxId: Number(rows[0]!.hi),
  };
}

/**
 * Single-row inserts, each in a transaction that is rolled back, until stopped: latencies in
 * ms (a failed insert counts with its time: a lock timeout is what a writer would see).
 */
async function runWriter(
  url: string,
  sql: { text: string; minId: number; maxId: number },
  signal: AbortSignal,
): Promise<number[]> {
  const c = new pg.Client({ connectionString: url, application_name: 'tally-bench-writer' });
  c.on('error', () => undefined);
  const out: number[] = [];
  try {
    await c.connect();
    while (!signal.aborted) {
      const id = sql.minId + Math.floor(Math.random() * (sql.maxId - sql.minId + 1));
      await c.query('BEGIN');
      const t0 = performance.now();
      await c.query(sql.text, [id]).catch(() => undefined);
      out.push(performance.now() - t0);
      await c.query('ROLLBACK');
      await new Promise((r) => setTimeout(r, 5));
    }
  } catch {
    // the connection broke: report what was measured
  } finally {
    await c.end().catch(() => undefined);
  }
  return out;
}

/** One INSERT … SELECT … GROUP BY of the whole summary (as populate.ts renders it), rolled back. */
async function insertSelectMs(pool: pg.Pool, name: string): Promise<number> {
  const s = await getSummary(pool, name);
  const m = summaryModel(await resolveDefinition(pool, s.definition));
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query(`SELECT pg_catalog.set_config('${MAINTENANCE_SETTING}', $1, true)`, [name]);
    await c.query(`DELETE FROM ${m.table}`);
    const t0 = performance.now();
    await exec(c, renderPopulate(m));
    const ms = performance.now() - t0;
    await c.query('ROLLBACK');
    return ms;
  } finally {
    c.release();
  }
}

async function measure(
  db: { url: string; pool: pg.Pool },
  s: Source,
  o: BackfillBenchOptions,
): Promise<BenchRow[]> {
  const log = o.log ?? (() => undefined);
  const name = `tally_bench_bf_${s.table.replace(/[^a-z0-9_]/g, '_')}`.slice(0, 50);
  const sql = `SELECT user_id, sum(duration) FILTER (WHERE duration > 0) AS total_talk_time, count(*) AS calls
    FROM ${qualify(s.schema, s.table)} GROUP BY user_id`;
  const def = await parseDefiningQuery(sql, { name, targetSchema: SCHEMA });
  await createSummary(db.pool, def, { actor: ACTOR, populate: false });
  try {
    await db.pool.query(`SELECT count(*) FROM ${qualify(s.schema, s.table)}`); // warm the cache for both sides
    const baseline = Math.min(
      await insertSelectMs(db.pool, name),
      await insertSelectMs(db.pool, name),
    );
    log(`  ${s.label}: INSERT … SELECT … GROUP BY ${fmtMs(baseline)}`);

    const writer = await writerSql(db.pool, s);
    const alone = new AbortController();
    const aloneRun = runWriter(db.url, writer, alone.signal);
    await new Promise((r) => setTimeout(r, o.seconds * 1000));
    alone.abort();
    const quiet = await aloneRun;

    const during = new AbortController();
    const duringRun = runWriter(db.url, writer, during.signal);
    const reports: BatchReport[] = [];
    const run = await startBackfill(db.pool, name, { actor: ACTOR });
    const owner = runnerId('bench');
    await claimRun(db.pool, owner, { runId: run.id });
    const t0 = performance.now();
    const outcome = await driveRun(db.pool, run.id, { owner, onBatch: (_, b) => reports.push(b) });
    const backfillMs = performance.now() - t0;
    during.abort();
    const busy = await duringRun;
    const done = (await getRun(db.pool, run.id))!;
    if (outcome !== 'done')
      throw new Error(`the benchmark backfill ended ${outcome}: ${done.lastError ?? ''}`);
    log(
      `  ${s.label}: backfill ${fmtMs(backfillMs)} in ${done.batchesDone} batches (${done.protocolReason})`,
    );

    const summary = await getSummary(db.pool, name);
    const drift = await compareWithTruth(
      db.pool,
      targetOf(summary.definition),
      summary.definingQuery,
      [
        ...summary.definition.groupBy.map(groupKeyName),
        ...summary.definition.aggregates.map((a) => a.name),
      ],
    );
    const longest = Math.max(...reports.map((r) => r.durationMs));
    const longestLock = Math.max(...reports.map((r) => r.lockMs));
    const p99Quiet = quantile(quiet, 0.99);
    const p99Busy = quantile(busy, 0.99);
    const ratio = backfillMs / baseline;
    const label = (w: string) => `${w} (${s.label})`;
    return [
      {
        section: SECTION,
        workload: label(
          `backfill ${done.rowsDone.toLocaleString('en-US')} rows vs INSERT … SELECT`,
        ),
        bare: fmtMs(baseline),
        tally: fmtMs(backfillMs),
        ratio,
        target: '≤ 2.0× time',
        pass: ratio <= 2,
        seed: '—',
      },
      {
        section: SECTION,
        workload: label(`longest batch transaction (of ${done.batchesDone}; lock held)`),
        bare: '—',
        tally: `${fmtMs(longest)} (${fmtMs(longestLock)})`,
        ratio: null,
        target: '≤ 1 s locks',
        pass: longestLock <= 1000,
        seed: '—',
      },
      {
        section: SECTION,
        workload: label(`single-row writer p99, without / during (${busy.length} writes)`),
        bare: fmtMs(p99Quiet),
        tally: fmtMs(p99Busy),
        ratio: p99Busy / p99Quiet,
        target: '< 100 ms',
        pass: p99Busy < 100,
        seed: '—',
      },
      {
        section: SECTION,
        workload: label('drift after the backfill (rows missing + extra)'),
        bare: '—',
        tally: String(drift.missing + drift.extra),
        ratio: null,
        target: '0',
        pass: drift.missing + drift.extra === 0,
        seed: '—',
      },
    ];
  } finally {
    await dropSummary(db.pool, name, { actor: ACTOR }).catch(() => undefined);
  }
}

export async function runBackfillBench(
  db: { url: string; pool: pg.Pool },
  o: BackfillBenchOptions,
): Promise<BenchRow[]> {
  const log = o.log ?? (() => undefined);
  // what an interrupted run left: its summaries first (their triggers sit on the demo table)
  const { rows: left } = await db.pool.query<{ name: string }>(
    `SELECT name FROM tally.summaries WHERE name LIKE 'tally\\_bench\\_bf\\_%'`,
  );
  for (const { name } of left)
    await dropSummary(db.pool, name, { actor: ACTOR }).catch(() => undefined);
  await db.pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await db.pool.query(`DELETE FROM tally.summaries WHERE name LIKE 'tally\\_bench\\_bf\\_%'`);
  await db.pool.query(`CREATE SCHEMA ${SCHEMA}`);
  try {
    let scattered: Source;
    if (await demoPresent(db.pool)) {
      scattered = { label: 'demo call log', ...DEMO_SOURCE };
    } else {
      log(`backfill: no demo call log; a synthetic one of ${o.rows.toLocaleString('en-US')} rows`);
      await db.pool.query(`
        CREATE TABLE ${SCHEMA}.calls (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint, duration integer,
                                      created_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO ${SCHEMA}.calls (user_id, duration)
        SELECT 1 + floor(${o.groups} * random() ^ 3)::bigint, (random() * 600)::int - 5 FROM generate_series(1, ${o.rows});
        CREATE INDEX calls_user_id_idx ON ${SCHEMA}.calls (user_id);`);
      await db.pool.query(`VACUUM ANALYZE ${SCHEMA}.calls`);
      scattered = { label: 'synthetic, scattered', schema: SCHEMA, table: 'calls' };
    }
    log('backfill: a copy clustered by user_id');
    await db.pool.query(`
      CREATE TABLE ${SCHEMA}.calls_by_user (LIKE ${qualify(scattered.schema, scattered.table)} INCLUDING DEFAULTS INCLUDING IDENTITY);
      INSERT INTO ${SCHEMA}.calls_by_user OVERRIDING SYSTEM VALUE
        SELECT * FROM ${qualify(scattered.schema, scattered.table)} ORDER BY user_id, id;
      ALTER TABLE ${SCHEMA}.calls_by_user ADD PRIMARY KEY (id);
      CREATE INDEX calls_by_user_user_id_idx ON ${SCHEMA}.calls_by_user (user_id);
      SELECT setval(pg_get_serial_sequence('${SCHEMA}.calls_by_user', 'id'), max(id)) FROM ${SCHEMA}.calls_by_user;`);
    await db.pool.query(`VACUUM ANALYZE ${SCHEMA}.calls_by_user`);
    const rows: BenchRow[] = [];
    for (const s of [
      scattered,
      { label: 'clustered by key', schema: SCHEMA, table: 'calls_by_user' },
    ]) {
      log(`backfill: ${s.label}`);
      rows.push(...(await measure(db, s, o)));
    }
    return rows;
  } finally {
    await db.pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  }
}
