import { beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import { buildDemo } from '../lib/demo/build-demo';
import { runTraffic, TRAFFIC_OP_KINDS, type TrafficStats } from '../lib/demo/traffic';
import { TRAFFIC_OPS } from '../lib/demo/traffic-ops';
import { NotFoundError } from '../lib/errors';

const db = await createTestDatabase();

beforeAll(async () => {
  await buildDemo(db.pool, { scale: 'small' });
}, 120_000);

/** The group columns of every row, keyed by id, for the tables traffic moves rows in. */
const SNAPSHOTS = {
  'crm.admin_user_call_log': 'user_id, duration',
  'crm.admin_user_task': 'opportunity_id, due_date, deleted',
  'deals.deals': 'hotel_id, is_available',
  'deals.hotels': 'city',
  'app.transactions': 'company_id, location_id, created_at, event_type, kind, draft, deleted_at',
} as const;
type Snapshot = Record<keyof typeof SNAPSHOTS, Map<string, string>>;

async function snapshot(): Promise<Snapshot> {
  const out = {} as Snapshot;
  for (const [table, cols] of Object.entries(SNAPSHOTS) as [keyof typeof SNAPSHOTS, string][]) {
    const { rows } = await db.pool.query<{ id: string; v: string }>(
      `SELECT id, row(${cols})::text AS v FROM ${table}`,
    );
    out[table] = new Map(rows.map((r) => [r.id, r.v]));
  }
  return out;
}

function changes(before: Snapshot, after: Snapshot) {
  const result: Record<string, { changed: number; deleted: number; added: number }> = {};
  for (const table of Object.keys(SNAPSHOTS) as (keyof typeof SNAPSHOTS)[]) {
    let changed = 0;
    let deleted = 0;
    for (const [id, v] of before[table]) {
      const now = after[table].get(id);
      if (now === undefined) deleted++;
      else if (now !== v) changed++;
    }
    const added = [...after[table].keys()].filter((id) => !before[table].has(id)).length;
    result[table] = { changed, deleted, added };
  }
  return result;
}

describe('runTraffic on the small demo', () => {
  test('runs every kind of write at the target rate, without errors, and moves rows between groups', async () => {
    const before = await snapshot();
    const groupsBefore = await db.pool.query(
      'SELECT user_id, count(*)::int AS n FROM crm.admin_user_call_log GROUP BY user_id ORDER BY user_id NULLS FIRST',
    );
    const ticks: TrafficStats[] = [];
    const stats = await runTraffic(db.pool, {
      rate: 200,
      clients: 4,
      durationMs: 2_000,
      onTick: (s) => ticks.push(s),
    });

    expect(stats.lastError).toBeNull();
    expect(stats.errors).toBe(0);
    expect(stats.scenarios).toEqual(['crm', 'deals', 'app', 'sable']);
    for (const kind of TRAFFIC_OP_KINDS) expect(stats.byKind[kind], kind).toBeGreaterThan(0);
    // rate-limited: about 400 ops in 2 s, not as many as 4 connections could do
    expect(stats.ops).toBeGreaterThan(300);
    expect(stats.ops).toBeLessThanOrEqual(410);
    expect(stats.elapsedMs).toBeGreaterThanOrEqual(1_900);
    expect(stats.elapsedMs).toBeLessThan(4_000);
    expect(stats.p50Ms).toBeGreaterThan(0);
    expect(stats.p99Ms!).toBeGreaterThanOrEqual(stats.p50Ms!);
    expect(stats.rows).toBeGreaterThan(stats.ops * 0.8);
    expect(Object.values(stats.byOp).reduce((a, b) => a + b, 0)).toBe(stats.ops);

    // one tick per second, each with the ops of that second
    expect(ticks.length).toBeGreaterThanOrEqual(1);
    expect(ticks.length).toBeLessThanOrEqual(2);
    for (const t of ticks) {
      expect(t.windowMs).toBeGreaterThan(900);
      expect(t.opsPerSec).toBeGreaterThan(120);
      expect(t.opsPerSec).toBeLessThan(260);
    }

    const c = changes(before, await snapshot());
    expect(c['crm.admin_user_call_log']!.changed).toBeGreaterThan(0);
    expect(c['crm.admin_user_call_log']!.added).toBeGreaterThan(0);
    expect(c['crm.admin_user_call_log']!.deleted).toBeGreaterThan(0);
    expect(c['crm.admin_user_task']!.changed).toBeGreaterThan(0);
    expect(c['deals.deals']!.changed).toBeGreaterThan(0);
    expect(c['deals.hotels']!.changed).toBeGreaterThan(0);
    expect(c['app.transactions']!.changed).toBeGreaterThan(0);
    expect(c['app.transactions']!.added).toBeGreaterThan(0);
    expect(c['app.transactions']!.deleted).toBeGreaterThan(0);
    const groupsAfter = await db.pool.query(
      'SELECT user_id, count(*)::int AS n FROM crm.admin_user_call_log GROUP BY user_id ORDER BY user_id NULLS FIRST',
    );
    expect(groupsAfter.rows).not.toEqual(groupsBefore.rows);

    // moved transactions stay consistent: the location belongs to the company
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM app.transactions t JOIN app.locations l ON l.id = t.location_id
       WHERE l.company_id <> t.company_id`,
    );
    expect(rows[0]!.n).toBe(0);
    // new P&L rows arrived through the view chain
    const pnl = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sable.pnl_daily_v2 WHERE created_at > now() - interval '1 minute'`,
    );
    expect(pnl.rows[0]!.n).toBeGreaterThan(0);
  }, 30_000);

  test('leaves the caller’s pool as it found it', async () => {
    const { rows } = await db.pool.query<{ t: string; a: string }>(
      `SELECT current_setting('statement_timeout') AS t, current_setting('application_name') AS a`,
    );
    expect(rows[0]).toEqual({ t: '0', a: 'tally' });
  });

  test('stops promptly when aborted', async () => {
    const controller = new AbortController();
    const t0 = performance.now();
    setTimeout(() => controller.abort(), 300);
    const stats = await runTraffic(db.pool, { rate: 50, clients: 2, signal: controller.signal });
    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(stats.ops).toBeGreaterThan(5);
    expect(stats.ops).toBeLessThan(40);
    expect(stats.errors).toBe(0);
  });

  test('does not fail on empty tables', async () => {
    await db.pool.query(
      'TRUNCATE crm.admin_user_call_log, crm.admin_user_task, crm.admin_activity, deals.deals, app.transactions, sable.pnl_daily_v2',
    );
    const stats = await runTraffic(db.pool, { rate: 300, clients: 3, durationMs: 1_500 });
    expect(stats.lastError).toBeNull();
    expect(stats.errors).toBe(0);
    expect(stats.byKind.insert).toBeGreaterThan(0);
    const { rows } = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM app.transactions',
    );
    expect(rows[0]!.n).toBeGreaterThan(0);

    // parents gone too: inserts that need one insert nothing, the rest still runs
    await db.pool.query('TRUNCATE deals.hotels, deals.deals');
    const again = await runTraffic(db.pool, { rate: 200, clients: 2, durationMs: 1_000 });
    expect(again.errors).toBe(0);
    const deals = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM deals.deals');
    expect(deals.rows[0]!.n).toBe(0);
  }, 30_000);

  test('every op statement is valid SQL with the parameters it is given', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      for (const op of TRAFFIC_OPS) {
        await client.query('SAVEPOINT op');
        await expect(client.query(op.sql, op.params()), op.name).resolves.toBeDefined();
        await client.query('RELEASE SAVEPOINT op');
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  test('bad options and a database without the demo are refused', async () => {
    await expect(runTraffic(db.pool, { rate: 0 })).rejects.toThrow(/rate/);
    await expect(runTraffic(db.pool, { rate: 10, clients: 100 })).rejects.toThrow(/clients/);
    await db.pool.query('DROP SCHEMA crm, deals, app, sable, gold CASCADE');
    await expect(runTraffic(db.pool, { rate: 10, durationMs: 100 })).rejects.toThrow(NotFoundError);
  });
});
