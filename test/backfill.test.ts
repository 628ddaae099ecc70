import { beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import {
  backfillHere,
  driftOf,
  installEmpty,
  noDrift,
  NO_DRIFT,
  waitFor,
} from './helpers/backfill';
import {
  adjustBackfill,
  cancelBackfill,
  pauseBackfill,
  resumeBackfill,
  startBackfill,
} from '../lib/backfill/backfill-control';
import { getLiveRun, getRun, listBatches, listRuns } from '../lib/backfill/backfill-run';
import { claimRun, runnerId } from '../lib/backfill/lease';
import { driveRun } from '../lib/backfill/run-backfill';
import { runBackfillWorker } from '../lib/worker/backfill-worker';
import { getSummary } from '../lib/summary/registry';
import { buildDemo } from '../lib/demo/build-demo';
import { runTraffic } from '../lib/demo/traffic';
import { definition } from '../lib/definition/definition';
import { createSummary } from '../lib/summary/create-summary';
import { quoteIdent as q } from '../lib/db/ident';

/**
 * Backfill (DESIGN.md § Backfill, PRODUCT.md "Backfill"): key-order batches that are exact
 * with live writes, NULL keys, stale rows, every protocol; pause, resume, cancel, restart;
 * runners that never run the same batch. Worker processes and SIGKILL: backfill-worker.test.ts.
 */

const db = await createTestDatabase(16);

describe('key-order walk on a table with NULL keys', () => {
  beforeAll(async () => {
    await db.pool.query(`
      CREATE TABLE public.ev (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        a integer, b text, v integer, d date NOT NULL);
      INSERT INTO public.ev (a, b, v, d)
      SELECT CASE WHEN g % 11 = 0 THEN NULL ELSE (g * 7919) % 53 END,
             (ARRAY[NULL, 'x', 'y', 'z', 'Zed', 'it''s'])[1 + g % 6],
             CASE WHEN g % 13 = 0 THEN NULL ELSE (g * 31) % 1000 - 200 END,
             date '2024-01-01' + (g % 40)
        FROM generate_series(1, 6000) g;
      CREATE INDEX ev_a_b ON public.ev (a, b);
      ANALYZE public.ev;`);
  });

  test('every protocol and walk shape ends with zero drift, after writes that left garbage in the empty summary', async () => {
    // whole key walkable (a, b); leading key only (a, d); no index (lower(b)); no GROUP BY
    await installEmpty(
      db.pool,
      'ev_ab',
      'SELECT a, b, count(*) AS n, sum(v) AS s, min(v) AS lo, max(d) AS hi FROM public.ev GROUP BY a, b',
    );
    await installEmpty(
      db.pool,
      'ev_ad',
      'SELECT a, d, count(*) AS n, avg(v) AS mean FROM public.ev WHERE v IS DISTINCT FROM 0 GROUP BY a, d',
    );
    await installEmpty(
      db.pool,
      'ev_lb',
      'SELECT lower(b) AS lb, count(*) AS n, sum(a) AS sa FROM public.ev GROUP BY lower(b)',
    );
    await installEmpty(db.pool, 'ev_all', 'SELECT count(*) AS n, sum(v) AS s FROM public.ev');

    // Triggers are live on empty summaries: deltas of rows that predate them leave partial
    // groups, groups deleted while rows remain, and new groups beyond the last key.
    await db.pool.query(`
      DELETE FROM public.ev WHERE id % 17 = 0;
      UPDATE public.ev SET a = a + 1, b = 'y' WHERE id % 19 = 0;
      UPDATE public.ev SET a = NULL WHERE id % 23 = 0;
      INSERT INTO public.ev (a, b, v, d) VALUES (1000, 'x', 5, date '2024-03-01'), (NULL, NULL, 1, date '2024-03-02');
      DELETE FROM public.ev WHERE a = 3;`);

    const ab = await backfillHere(db.pool, 'ev_ab', { batchSize: 3 });
    const ad = await backfillHere(db.pool, 'ev_ad', { batchSize: 2 });
    const lb = await backfillHere(db.pool, 'ev_lb');
    const all = await backfillHere(db.pool, 'ev_all');
    for (const r of [ab, ad, lb, all]) expect(r.outcome).toBe('done');

    expect(ab.run).toMatchObject({
      protocol: 'key_order',
      walk: { prefix: 2, keys: ['a', 'b'], index: 'ev_a_b' },
    });
    expect(ad.run).toMatchObject({
      protocol: 'key_order',
      walk: { prefix: 1, keys: ['a'], index: 'ev_a_b' },
    });
    expect(lb.run.protocol).toBe('single');
    expect(lb.run.protocolReason).toMatch(/no source index returns lb in order/);
    expect(all.run).toMatchObject({ protocol: 'single', batchesDone: 1 });
    // a batch of 3 (a, b) prefixes: many batches, then the tail of NULL keys
    expect(ab.run.batchesDone).toBeGreaterThan(20);
    expect(ab.run.cursor).toEqual({ phase: 'done' });

    for (const name of ['ev_ab', 'ev_ad', 'ev_lb', 'ev_all']) {
      expect(noDrift(await driftOf(db.pool, name)), name).toEqual(NO_DRIFT);
      expect((await getSummary(db.pool, name)).status, name).toBe('ready');
    }
    // the counters are the truth: every source row counted once
    const { rows } = await db.pool.query<{ n: number; g: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT (a, b))::int AS g FROM public.ev',
    );
    expect(ab.run.rowsDone).toBe(rows[0]!.n);
    expect(ab.run.estimatedRows).toBe(rows[0]!.n);
    const batches = await listBatches(db.pool, ab.run.id);
    expect(batches.map((b) => b.batchNo)).toEqual(batches.map((_, i) => i + 1));
    expect(batches.reduce((a, b) => a + b.rows, 0)).toBe(rows[0]!.n);
    expect(batches.every((b) => !b.wideLock)).toBe(true);
  });

  test('restart recomputes a drifted summary from scratch, removing stale rows beyond the last key', async () => {
    // drift the way bulk loads do: writes that skip the triggers (and the guard)
    await db.pool.query(`
      SET session_replication_role = replica;
      DELETE FROM public.ev WHERE id % 29 = 0;
      INSERT INTO public.ev_ab (a, b, n, s, lo, hi, _tally_rows, _tally_nn_s) VALUES (5000, 'stale', 1, 1, 1, date '2020-01-01', 1, 1),
                                                                               (NULL, 'stale', 1, 1, 1, date '2020-01-01', 1, 1);
      SET session_replication_role = origin;`);
    expect((await driftOf(db.pool, 'ev_ab')).extra).toBeGreaterThan(0);
    const r = await backfillHere(db.pool, 'ev_ab', { restart: true, batchSize: 7 });
    expect(r.outcome).toBe('done');
    expect(noDrift(await driftOf(db.pool, 'ev_ab'))).toEqual(NO_DRIFT);
    const runs = await listRuns(db.pool, 'ev_ab');
    expect(runs.map((x) => x.status)).toEqual(['done', 'done']);
  });
});

describe('hostile names', () => {
  const SCHEMA = 'a"; drop table x; --';
  const TABLE = "b'; drop table x; --";
  const KEY = 'k"; drop table x; --';
  const VALUE = "v' --";

  test('a source, key and value named to break out of SQL are walked, locked and recomputed exactly', async () => {
    await db.pool.query(`
      CREATE TABLE public.x (id int);
      CREATE SCHEMA ${q(SCHEMA)};
      CREATE TABLE ${q(SCHEMA)}.${q(TABLE)} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ${q(KEY)} text, ${q(VALUE)} integer);
      INSERT INTO ${q(SCHEMA)}.${q(TABLE)} (${q(KEY)}, ${q(VALUE)})
      SELECT CASE WHEN g % 10 = 0 THEN NULL ELSE 'it''s "' || (g % 37) END, g FROM generate_series(1, 3000) g;
      CREATE INDEX ON ${q(SCHEMA)}.${q(TABLE)} (${q(KEY)});
      ANALYZE ${q(SCHEMA)}.${q(TABLE)};`);
    await createSummary(
      db.pool,
      definition.parse({
        shape: 'aggregate',
        name: 'hostile_bf',
        source: { schema: SCHEMA, table: TABLE },
        groupBy: [{ kind: 'column', column: KEY }],
        aggregates: [
          { name: 'n', fn: 'count' },
          { name: "s'; --", fn: 'sum', arg: q(VALUE) },
        ],
      }),
      { actor: 't', populate: false },
    );
    const r = await backfillHere(db.pool, 'hostile_bf', { batchSize: 4 });
    expect(r.outcome).toBe('done');
    expect(r.run).toMatchObject({ protocol: 'key_order', walk: { prefix: 1, keys: [KEY] } });
    expect(noDrift(await driftOf(db.pool, 'hostile_bf'))).toEqual(NO_DRIFT);
    expect(
      (await db.pool.query(`SELECT to_regclass('public.x') IS NOT NULL AS ok`)).rows[0].ok,
    ).toBe(true);
  });
});

describe('pause, resume, cancel, throttle', () => {
  beforeAll(async () => {
    await db.pool.query(`
      CREATE TABLE public.pr (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, k integer NOT NULL, v integer);
      INSERT INTO public.pr (k, v) SELECT g % 400, g FROM generate_series(1, 20000) g;
      CREATE INDEX pr_k_idx ON public.pr (k);
      ANALYZE public.pr;`);
    await installEmpty(
      db.pool,
      'pr_k',
      'SELECT k, count(*) AS n, sum(v) AS s FROM public.pr GROUP BY k',
    );
  });

  test('a paused run stops after its batch and resumes from its cursor; a cancelled one marks the summary untrustworthy', async () => {
    const controller = new AbortController();
    const outcomes: string[] = [];
    const worker = runBackfillWorker(db.pool, {
      signal: controller.signal,
      pollMs: 50,
      onRun: (_, o) => outcomes.push(o),
    });
    try {
      const run = await startBackfill(db.pool, 'pr_k', {
        actor: 't',
        batchSize: 5,
        throttleMs: 40,
      });
      expect((await getSummary(db.pool, 'pr_k')).status).toBe('backfilling');
      await waitFor('3 batches', async () =>
        (await getRun(db.pool, run.id))!.batchesDone >= 3 ? true : null,
      );

      const paused = await pauseBackfill(db.pool, 'pr_k');
      expect(paused.status).toBe('paused');
      await waitFor('the worker to let go', async () => outcomes.includes('paused'));
      const held = (await getRun(db.pool, run.id))!;
      await new Promise((r) => setTimeout(r, 300));
      expect((await getRun(db.pool, run.id))!.rowsDone).toBe(held.rowsDone);
      expect(held.cursor.phase).toBe('walk');

      // the throttle can change while it runs; resume continues from the cursor
      await adjustBackfill(db.pool, 'pr_k', { throttleMs: 0 });
      await resumeBackfill(db.pool, 'pr_k');
      const done = await waitFor('done', async () => {
        const r = (await getRun(db.pool, run.id))!;
        return r.status === 'done' ? r : null;
      });
      expect(done.rowsDone).toBe(20000);
      expect(done.attempts).toBe(2);
      expect(noDrift(await driftOf(db.pool, 'pr_k'))).toEqual(NO_DRIFT);
      expect((await getSummary(db.pool, 'pr_k')).status).toBe('ready');

      // restart, then cancel midway
      const again = await startBackfill(db.pool, 'pr_k', {
        actor: 't',
        restart: true,
        batchSize: 2,
        throttleMs: 30,
      });
      await waitFor('2 batches', async () =>
        (await getRun(db.pool, again.id))!.batchesDone >= 2 ? true : null,
      );
      const cancelled = await cancelBackfill(db.pool, 'pr_k');
      expect(cancelled.status).toBe('cancelled');
      expect((await getSummary(db.pool, 'pr_k')).status).toBe('cancelled');
      await waitFor('the worker to stop it', async () => outcomes.includes('cancelled'));
      expect(await getLiveRun(db.pool, 'pr_k')).toBeNull();
      await expect(pauseBackfill(db.pool, 'pr_k')).rejects.toThrow(
        /has no backfill that is pending or running/,
      );
    } finally {
      controller.abort();
      await worker;
    }
  });

  test('the route handler starts, pauses, resumes and reports the backfill', async () => {
    process.env.DATABASE_URL = db.url;
    delete process.env.TALLY_PASSWORD;
    const route = await import('../app/api/summaries/[name]/backfill/route');
    const ctx = { params: Promise.resolve({ name: 'pr_k' }) };
    const post = (body: unknown) =>
      route.POST(
        new Request('http://127.0.0.1:3000/api/summaries/pr_k/backfill', {
          method: 'POST',
          headers: {
            origin: 'http://127.0.0.1:3000',
            host: '127.0.0.1:3000',
            'content-type': 'application/json',
          },
          body: JSON.stringify(body),
        }),
        ctx,
      );
    const started = await post({ action: 'start', batchSize: 4, throttleMs: 20 });
    expect(started.status).toBe(200);
    const state = (await started.json()) as {
      current: { status: string; id: number };
      summaryStatus: string;
    };
    expect(state.current.status).toBe('pending');
    expect(state.summaryStatus).toBe('backfilling');

    // drive it here for a few batches, then pause through the API
    const owner = runnerId('route-test');
    expect(await claimRun(db.pool, owner, { runId: state.current.id })).not.toBeNull();
    const driving = driveRun(db.pool, state.current.id, { owner });
    await waitFor('2 batches', async () =>
      (await getRun(db.pool, state.current.id))!.batchesDone >= 2 ? true : null,
    );
    expect((await post({ action: 'pause' })).status).toBe(200);
    expect(await driving).toBe('paused');

    const got = await route.GET(
      new Request('http://127.0.0.1:3000/api/summaries/pr_k/backfill'),
      ctx,
    );
    const view = (await got.json()) as {
      current: { status: string; percent: number };
      history: unknown[];
      batches: unknown[];
    };
    expect(view.current.status).toBe('paused');
    expect(view.current.percent).toBeGreaterThan(0);
    expect(view.current.percent).toBeLessThan(100);
    expect(view.batches.length).toBeGreaterThanOrEqual(2);
    expect(view.history.length).toBeGreaterThanOrEqual(3);

    const bad = await post({ action: 'explode' });
    expect(bad.status).toBe(400);
    const crossSite = await route.POST(
      new Request('http://127.0.0.1:3000/api/summaries/pr_k/backfill', {
        method: 'POST',
        headers: { origin: 'http://evil.example', host: '127.0.0.1:3000' },
        body: JSON.stringify({ action: 'cancel' }),
      }),
      ctx,
    );
    expect(crossSite.status).toBe(403);
    const missing = await route.GET(
      new Request('http://127.0.0.1:3000/api/summaries/nope/backfill'),
      {
        params: Promise.resolve({ name: 'nope' }),
      },
    );
    expect(missing.status).toBe(404);

    expect((await post({ action: 'resume', throttleMs: 0 })).status).toBe(200);
    const owner2 = runnerId('route-test');
    expect(await claimRun(db.pool, owner2, { runId: state.current.id })).not.toBeNull();
    expect(await driveRun(db.pool, state.current.id, { owner: owner2 })).toBe('done');
    expect(noDrift(await driftOf(db.pool, 'pr_k'))).toEqual(NO_DRIFT);
  });
});

describe('leases', () => {
  beforeAll(async () => {
    await db.pool.query(`
      CREATE TABLE public.ls (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, k integer NOT NULL, v integer);
      INSERT INTO public.ls (k, v) SELECT g % 300, g FROM generate_series(1, 30000) g;
      CREATE INDEX ls_k_idx ON public.ls (k);
      ANALYZE public.ls;`);
    await installEmpty(
      db.pool,
      'ls_k',
      'SELECT k, count(*) AS n, sum(v) AS s FROM public.ls GROUP BY k',
    );
  });

  test('of many concurrent claims exactly one wins', async () => {
    const run = await startBackfill(db.pool, 'ls_k', { actor: 't', batchSize: 3, throttleMs: 5 });
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) => claimRun(db.pool, `claimer-${i}`, { runId: run.id })),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    // a fresh lease is not taken over; a lapsed one is
    expect(await claimRun(db.pool, 'late', { runId: run.id, leaseMs: 60_000 })).toBeNull();
    await db.pool.query(
      `UPDATE tally.backfill_runs SET heartbeat_at = now() - interval '1 minute' WHERE id = $1`,
      [run.id],
    );
    const taken = await claimRun(db.pool, 'late', { runId: run.id, leaseMs: 30_000 });
    expect(taken).toMatchObject({ owner: 'late', attempts: 2 });
    await cancelBackfill(db.pool, 'ls_k');
  });

  test('two workers at once: one runs the backfill, each batch exactly once, and the other takes over when it stops', async () => {
    const run = await startBackfill(db.pool, 'ls_k', {
      actor: 't',
      restart: true,
      batchSize: 4,
      throttleMs: 10,
    });
    const stops = [new AbortController(), new AbortController()];
    const seen: { owner: string; batchNo: number }[] = [];
    const workers = stops.map((c, i) =>
      runBackfillWorker(db.pool, {
        owner: `worker-${i}`,
        signal: c.signal,
        pollMs: 20,
        leaseMs: 2000,
        onBatch: (r, b) => seen.push({ owner: `worker-${i}`, batchNo: b.batchNo }),
      }),
    );
    try {
      await waitFor('10 batches', async () =>
        (await getRun(db.pool, run.id))!.batchesDone >= 10 ? true : null,
      );
      const first = (await getRun(db.pool, run.id))!.owner!;
      // the runner stops: it hands the run back after its batch, the other continues
      stops[first === 'worker-0' ? 0 : 1]!.abort();
      const done = await waitFor('done', async () => {
        const r = (await getRun(db.pool, run.id))!;
        return r.status === 'done' ? r : null;
      });
      const batches = await listBatches(db.pool, run.id);
      expect(batches.map((b) => b.batchNo)).toEqual(batches.map((_, i) => i + 1));
      expect(new Set(seen.map((s) => s.batchNo)).size).toBe(seen.length);
      expect(seen.length).toBe(done.batchesDone);
      expect(new Set(batches.map((b) => b.owner))).toEqual(new Set(['worker-0', 'worker-1']));
      // an owner's batches are one contiguous stretch: no interleaving
      const switches = batches.filter((b, i) => i > 0 && b.owner !== batches[i - 1]!.owner).length;
      expect(switches).toBe(1);
      expect(done.rowsDone).toBe(30000);
      expect(batches.reduce((a, b) => a + b.rows, 0)).toBe(30000);
      expect(noDrift(await driftOf(db.pool, 'ls_k'))).toEqual(NO_DRIFT);
    } finally {
      for (const c of stops) c.abort();
      await Promise.all(workers);
    }
  });
});

describe('exact with live writes', () => {
  beforeAll(async () => {
    await buildDemo(db.pool, { scale: 'small' });
  }, 180_000);

  test('the demo traffic runs during the whole backfill of four demo summaries: zero drift', async () => {
    const summaries = {
      talk: `SELECT user_id, sum(duration) FILTER (WHERE duration > 0) AS total_talk_time, count(*) AS calls
             FROM crm.admin_user_call_log GROUP BY user_id`,
      daily: `SELECT company_id, location_id, (created_at AT TIME ZONE 'UTC')::date AS day, event_type, kind,
                     count(*) AS n, count(*) FILTER (WHERE damage) AS damage_count
              FROM app.transactions WHERE deleted_at IS NULL AND NOT draft
              GROUP BY company_id, location_id, (created_at AT TIME ZONE 'UTC')::date, event_type, kind`,
      pnl: `SELECT entity_id, min(pnl_date) AS first_pnl_date, max(pnl_date) AS last_pnl_date, count(*) AS pnl_rows
            FROM sable.pnl_daily_v2 GROUP BY entity_id`,
      activity: `SELECT opportunity_id, count(*) FILTER (WHERE data->>'newStage' = 'not_interested') AS not_interested,
                        array_agg(type ORDER BY created_at, id) AS activity_types
                 FROM crm.admin_activity GROUP BY opportunity_id`,
    };
    for (const [name, sql] of Object.entries(summaries)) await installEmpty(db.pool, name, sql);

    const traffic = new AbortController();
    const load = runTraffic(db.pool, { rate: 150, clients: 4, signal: traffic.signal });
    const workers = new AbortController();
    const running = [0, 1].map((i) =>
      runBackfillWorker(db.pool, { owner: `live-${i}`, signal: workers.signal, pollMs: 20 }),
    );
    try {
      await new Promise((r) => setTimeout(r, 300));
      const runs = await Promise.all(
        // small batches, paced, so that writes interleave with many of them (activity has ~1,000 keys)
        Object.keys(summaries).map((name) =>
          startBackfill(db.pool, name, {
            actor: 't',
            batchSize: name === 'activity' ? 40 : 2,
            throttleMs: 15,
          }),
        ),
      );
      const finished = await waitFor(
        'the backfills',
        async () => {
          const all = await Promise.all(runs.map((r) => getRun(db.pool, r.id)));
          return all.every((r) => r!.status === 'done') ? all : null;
        },
        120_000,
        100,
      );
      // writes went on during the whole run, and it took many batches
      for (const r of finished) expect(r!.batchesDone, r!.summaryName).toBeGreaterThan(2);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      traffic.abort();
      workers.abort();
      await Promise.all(running);
    }
    const stats = await load;
    expect(stats.errors).toBe(0);
    expect(stats.ops).toBeGreaterThan(300);
    for (const name of Object.keys(summaries)) {
      expect(noDrift(await driftOf(db.pool, name)), name).toEqual(NO_DRIFT);
      expect((await getSummary(db.pool, name)).status).toBe('ready');
    }
  });
});
