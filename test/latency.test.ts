import { beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import { parseDefiningQuery } from '../lib/definition/parse-sql';
import { DefinitionError } from '../lib/errors';
import { createSummary } from '../lib/summary/create-summary';
import { runLatency } from '../lib/latency/run-latency';
import { latencyOverview, latencySamples, listLatencyRuns } from '../lib/latency/latency-store';
import { validateReadOnlySelect } from '../lib/latency/read-only-select';
import { resultOf, type LatencyStats } from '../lib/latency/latency-views';

const db = await createTestDatabase();
const ACTOR = 'test';

/** A demo-like call log: 200k rows over 2,000 users, so the aggregate is measurably slow. */
beforeAll(async () => {
  await db.pool.query(`
    CREATE SCHEMA lab;
    CREATE TABLE lab.calls (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id integer NOT NULL,
      duration integer,
      tags text[]
    );
    INSERT INTO lab.calls (user_id, duration, tags)
      SELECT (g * 7919) % 2000, (g % 600) - 20, ARRAY['t' || (g % 3)] FROM generate_series(1, 200000) g;
    ANALYZE lab.calls;
    CREATE SEQUENCE lab.counter;`);
  const def = await parseDefiningQuery(
    `SELECT user_id, sum(duration) FILTER (WHERE duration > 0) AS talk_time, count(*) AS calls
       FROM lab.calls GROUP BY user_id`,
    { name: 'talk_time' },
  );
  await createSummary(db.pool, def, { actor: ACTOR, populate: true });
  await db.pool.query('ANALYZE lab.talk_time');
}, 120_000);

function expectOrdered(s: LatencyStats): void {
  expect(s.p50).not.toBeNull();
  expect(s.min!).toBeLessThanOrEqual(s.p50!);
  expect(s.p50!).toBeLessThanOrEqual(s.p95!);
  expect(s.p95!).toBeLessThanOrEqual(s.p99!);
  expect(s.p99!).toBeLessThanOrEqual(s.max!);
  expect(s.mean!).toBeGreaterThan(0);
}

describe('runLatency on a 200k-row source', () => {
  test('stores plausible statistics: percentiles ordered, the table faster than the aggregate', async () => {
    let started: number | null = null;
    const run = await runLatency(
      db.pool,
      'talk_time',
      { runs: 7, sampleKeys: 5, timeoutMs: 30_000, writes: true },
      { actor: ACTOR, onStarted: (id) => (started = id), writeRepeats: 3 },
    );
    expect(run.id).toBe(started);
    expect(run.status).toBe('done');
    expect(run.done).toBe(run.total);
    expect(run.results.map((r) => r.id).sort()).toEqual(
      ['dashboard_table', 'dashboard_view', 'per_key_table', 'per_key_view', 'pk_lookup'].sort(),
    );
    for (const r of run.results) {
      expect(r.stats.n).toBe(7);
      expect(r.stats.timedOut).toBe(0);
      expectOrdered(r.stats);
      expect(r.plan?.executionMs).toBeGreaterThan(0);
      expect(r.plan?.nodes.length).toBeGreaterThan(0);
    }
    const dv = resultOf(run.results, 'dashboard_view')!;
    const dt = resultOf(run.results, 'dashboard_table')!;
    expect(dv.rows).toBe(50);
    expect(dt.rows).toBe(50);
    expect(dt.stats.p50!).toBeLessThan(dv.stats.p50!);
    expect(dt.plan!.executionMs!).toBeLessThan(dv.plan!.executionMs!);
    expect(dv.plan!.scans.join(' ')).toMatch(/ on calls/);
    expect(dt.plan!.scans.join(' ')).toMatch(/ on talk_time/);
    expect(resultOf(run.results, 'per_key_table')!.rows).toBe(1);
    expect(resultOf(run.results, 'per_key_view')!.rows).toBe(1);
    expect(resultOf(run.results, 'pk_lookup')!.rows).toBe(1);

    // every sample is stored, and the write overhead was measured and rolled back
    const samples = await latencySamples(db.pool, run.id);
    expect([...samples.values()].every((s) => s.length === 7)).toBe(true);
    const w = run.writeOverhead!;
    expect(w.workloads).toHaveLength(4);
    for (const x of w.workloads) {
      expect(x.error).toBeNull();
      expect(x.ratio).toBeGreaterThan(0);
    }
    expect(w.note).toMatch(/row locks/);
    const { rows } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM lab.calls');
    expect(Number(rows[0]!.n)).toBe(200_000);

    expect((await listLatencyRuns(db.pool, 'talk_time'))[0]!.id).toBe(run.id);
    const overview = await latencyOverview(db.pool);
    expect(overview[0]).toMatchObject({
      summaryName: 'talk_time',
      runId: run.id,
      dashboard: { lowerBound: false },
    });
    expect(overview[0]!.dashboard.factor!).toBeGreaterThan(1);
  }, 120_000);

  test('a run cut by statement_timeout is recorded as timed out, not dropped', async () => {
    const run = await runLatency(
      db.pool,
      'talk_time',
      { runs: 3, sampleKeys: 2, timeoutMs: 300, writes: false, beforeSql: 'SELECT pg_sleep(2)' },
      { actor: ACTOR },
    );
    const before = resultOf(run.results, 'user_before')!;
    expect(before.stats).toMatchObject({
      n: 3,
      timedOut: 3,
      p50: null,
      p99: null,
      max: null,
      mean: null,
    });
    expect(before.plan?.timedOut).toBe(true);
    const samples = (await latencySamples(db.pool, run.id)).get('user_before')!;
    expect(samples).toEqual([
      { ms: 300, timedOut: true },
      { ms: 300, timedOut: true },
      { ms: 300, timedOut: true },
    ]);
    expect(run.writeOverhead).toBeNull();
  }, 60_000);
});

test('write overhead copies rows even when the integer primary key has no default', async () => {
  await db.pool.query(`
    CREATE TABLE lab.orders (id bigint PRIMARY KEY, customer_id integer NOT NULL, total numeric NOT NULL);
    INSERT INTO lab.orders SELECT g, g % 300, g % 97 FROM generate_series(1, 20000) g;
    ANALYZE lab.orders;`);
  const def = await parseDefiningQuery(
    'SELECT customer_id, sum(total) AS revenue FROM lab.orders GROUP BY customer_id',
    {
      name: 'revenue',
    },
  );
  await createSummary(db.pool, def, { actor: ACTOR, populate: true });
  const run = await runLatency(
    db.pool,
    'revenue',
    { runs: 2, writes: true },
    { actor: ACTOR, writeRepeats: 2 },
  );
  expect(run.writeOverhead!.workloads.map((w) => w.error)).toEqual([null, null, null, null]);
  const { rows } = await db.pool.query<{ n: string; top: string }>(
    'SELECT count(*) AS n, max(id) AS top FROM lab.orders',
  );
  expect(rows[0]).toEqual({ n: '20000', top: '20000' });
}, 60_000);

describe('user queries are read-only single SELECTs', () => {
  test.each([
    ['DELETE FROM lab.calls', /not DELETE/],
    ['SELECT 1; SELECT 2', /one statement, found 2/],
    ['WITH x AS (DELETE FROM lab.calls RETURNING *) SELECT * FROM x', /data-modifying/],
    ['SELECT * INTO lab.copy FROM lab.calls', /INTO/],
    ['SELECT * FROM lab.calls FOR UPDATE', /row locks/],
    ['SELEC 1', /syntax error/],
    ['', /empty/],
  ])('%s is refused', async (text, message) => {
    const e = await validateReadOnlySelect(text, 'beforeSql').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DefinitionError);
    expect((e as DefinitionError).issues[0]).toMatchObject({
      field: 'beforeSql',
      message: expect.stringMatching(message),
    });
  });

  test('refused input stores no run', async () => {
    const n = (await listLatencyRuns(db.pool, 'talk_time')).length;
    await expect(
      runLatency(
        db.pool,
        'talk_time',
        { runs: 1, afterSql: 'DROP TABLE lab.calls' },
        { actor: ACTOR },
      ),
    ).rejects.toMatchObject({ issues: [{ field: 'afterSql' }] });
    expect(await listLatencyRuns(db.pool, 'talk_time')).toHaveLength(n);
  });

  test('a SELECT that writes through a function is stopped by the READ ONLY transaction', async () => {
    await expect(
      runLatency(
        db.pool,
        'talk_time',
        { runs: 1, writes: false, afterSql: "SELECT nextval('lab.counter')" },
        { actor: ACTOR },
      ),
    ).rejects.toThrow(/read-only transaction/);
    const last = (await listLatencyRuns(db.pool, 'talk_time'))[0]!;
    expect(last.status).toBe('failed');
    expect(last.error).toMatch(/read-only/);
    const { rows } = await db.pool.query<{ last_value: string; is_called: boolean }>(
      'SELECT last_value, is_called FROM lab.counter',
    );
    expect(rows[0]!.is_called).toBe(false);
  });
});
