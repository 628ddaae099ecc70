import { beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import {
  buildDemo,
  DEMO_SCHEMA_COMMENT,
  loadedDemoScale,
  selectScenarios,
  type DemoReport,
} from '../lib/demo/build-demo';
import { DEMO_EXAMPLES, DemoExampleSchema } from '../lib/demo/examples';
import { DefinitionError } from '../lib/errors';

const db = await createTestDatabase();

const q = async <T>(text: string, values?: unknown[]) =>
  (await db.pool.query(text, values)).rows as T[];
const one = async <T>(text: string, values?: unknown[]) => (await q<T>(text, values))[0]!;

/** A fingerprint of a table's contents, to compare two builds. */
const fingerprint = (table: string, columns: string) =>
  one<{ md5: string }>(
    `SELECT md5(string_agg(row(${columns})::text, ',' ORDER BY id)) AS md5 FROM ${table}`,
  ).then((r) => r.md5);

let report: DemoReport;
const lines: string[] = [];

beforeAll(async () => {
  report = await buildDemo(db.pool, { scale: 'small', log: (l) => lines.push(l) });
}, 120_000);

describe('the small demo', () => {
  test('row counts per table are in the expected ranges', async () => {
    const expected: Record<string, [number, number]> = {
      'crm.users': [40, 40],
      'crm.opportunities': [1_000, 1_000],
      'crm.admin_user_call_log': [10_000, 10_000],
      'crm.admin_user_task': [3_000, 3_000],
      'crm.admin_activity': [6_000, 6_000],
      'deals.hotels': [300, 300],
      'deals.deals': [10_000, 10_000],
      'app.companies': [60, 60],
      'app.locations': [100, 400],
      'app.transactions': [12_000, 12_000],
      'sable.entities': [6, 6],
      'sable.pnl_daily_v2': [3_000, 10_000],
    };
    expect(report.tables.map((t) => t.table).sort()).toEqual(Object.keys(expected).sort());
    for (const [table, [min, max]] of Object.entries(expected)) {
      const { n } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect(n, table).toBeGreaterThanOrEqual(min);
      expect(n, table).toBeLessThanOrEqual(max);
      const reported = report.tables.find((t) => t.table === table)!;
      expect(reported.rows, table).toBe(n);
      expect(reported.bytes, table).toBeGreaterThan(0);
    }
    // app.transactions is the biggest table at every scale
    const biggest = [...report.tables].sort((a, b) => b.rows - a.rows)[0]!;
    expect(biggest.table).toBe('app.transactions');
    // one progress line per table, with its row count
    for (const t of report.tables)
      expect(
        lines.some((l) => l.startsWith(t.table) && l.includes(t.rows.toLocaleString('en-US'))),
      ).toBe(true);
  });

  test('tenants are skewed: the biggest has at least 10× the median', async () => {
    for (const [table, key] of [
      ['crm.admin_user_call_log', 'user_id'],
      ['app.transactions', 'company_id'],
      ['deals.deals', 'hotel_id'],
    ] as const) {
      const r = await one<{ top: number; median: number }>(
        `SELECT max(n)::float8 AS top, percentile_cont(0.5) WITHIN GROUP (ORDER BY n) AS median
         FROM (SELECT ${key}, count(*) AS n FROM ${table} WHERE ${key} IS NOT NULL GROUP BY ${key}) s`,
      );
      expect(r.top / r.median, table).toBeGreaterThanOrEqual(10);
    }
  });

  test('data looks like the seeds: NULLs, anomalies, JSONB stages, two years of history', async () => {
    const calls = await one<{ nulls: number; zero: number; negative: number; nullUser: number }>(
      `SELECT count(*) FILTER (WHERE duration IS NULL)::int AS nulls, count(*) FILTER (WHERE duration = 0)::int AS zero,
              count(*) FILTER (WHERE duration < 0)::int AS negative, count(*) FILTER (WHERE user_id IS NULL)::int AS "nullUser"
       FROM crm.admin_user_call_log`,
    );
    expect(calls.nulls).toBeGreaterThan(0);
    expect(calls.zero).toBeGreaterThan(500);
    expect(calls.negative).toBeGreaterThan(0);
    expect(calls.nullUser).toBeGreaterThan(0);

    const activity = await one<{ notInterested: number; stageChanges: number }>(
      `SELECT count(*) FILTER (WHERE data->>'newStage' = 'not_interested')::int AS "notInterested",
              count(*) FILTER (WHERE type = 'stage_change' AND data ? 'oldStage')::int AS "stageChanges"
       FROM crm.admin_activity`,
    );
    expect(activity.notInterested).toBeGreaterThan(0);
    expect(activity.stageChanges).toBeGreaterThan(activity.notInterested);

    const tx = await one<{ deleted: number; draft: number; days: number; wrongCompany: number }>(
      `SELECT count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS deleted, count(*) FILTER (WHERE draft)::int AS draft,
              extract(day FROM max(created_at) - min(created_at))::int AS days,
              (SELECT count(*)::int FROM app.transactions t JOIN app.locations l ON l.id = t.location_id
               WHERE l.company_id <> t.company_id) AS "wrongCompany"
       FROM app.transactions`,
    );
    expect(tx.deleted / 12_000).toBeGreaterThan(0.01);
    expect(tx.deleted / 12_000).toBeLessThan(0.06);
    expect(tx.draft / 12_000).toBeGreaterThan(0.01);
    expect(tx.days).toBeGreaterThan(700);
    expect(tx.wrongCompany).toBe(0);
    // no row is dated after the build
    const future = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM app.transactions WHERE created_at > now()`,
    );
    expect(future.n).toBe(0);

    const cities = await one<{ n: number }>(
      `SELECT count(DISTINCT city)::int AS n FROM deals.hotels`,
    );
    expect(cities.n).toBeGreaterThan(50);
  });

  test('primary keys, foreign keys and the indexes a real app would have', async () => {
    const fks = await q<{ conrelid: string; confrelid: string }>(
      `SELECT conrelid::regclass::text AS conrelid, confrelid::regclass::text AS confrelid FROM pg_constraint
       WHERE contype = 'f' AND connamespace::regnamespace::text IN ('crm', 'deals', 'app', 'sable') AND convalidated`,
    );
    const pairs = fks.map((f) => `${f.conrelid}->${f.confrelid}`);
    for (const p of [
      'crm.admin_user_call_log->crm.users',
      'crm.admin_user_call_log->crm.opportunities',
      'deals.deals->deals.hotels',
      'app.transactions->app.companies',
      'app.transactions->app.locations',
      'sable.pnl_daily_v2->sable.entities',
    ])
      expect(pairs).toContain(p);
    const noPk = await q<{ t: string }>(
      `SELECT c.oid::regclass::text AS t FROM pg_class c
       WHERE c.relkind = 'r' AND c.relnamespace::regnamespace::text IN ('crm', 'deals', 'app', 'sable')
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')`,
    );
    expect(noPk).toEqual([]);
    const identity = await q<{ t: string }>(
      `SELECT table_schema || '.' || table_name AS t FROM information_schema.columns
       WHERE table_schema IN ('crm', 'deals', 'app', 'sable') AND column_name = 'id'
         AND (is_identity <> 'YES' OR data_type <> 'bigint')`,
    );
    expect(identity).toEqual([]);
    // identity sequences continue after the generated ids
    const { id } = await one<{ id: string }>(
      `INSERT INTO crm.users (name, email, created_at) VALUES ('x', 'x@example.com', now()) RETURNING id`,
    );
    expect(Number(id)).toBe(41);
    await db.pool.query('DELETE FROM crm.users WHERE id = 41');
    // an index on the group key alone does not make the dashboard aggregate fast
    const covering = await q<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'crm' AND tablename = 'admin_user_call_log' AND indexdef LIKE '%duration%'`,
    );
    expect(covering).toEqual([]);
  });

  test('the gold views return rows and (entity_id, pnl_date) is unique', async () => {
    const r = await one<{ rows: number; keys: number; entities: number; returns: number }>(
      `SELECT count(*)::int AS rows, count(DISTINCT (entity_id, pnl_date))::int AS keys,
              count(DISTINCT entity_id)::int AS entities, count(daily_return_pct)::int AS returns
       FROM gold.v_dietz_daily`,
    );
    expect(r.rows).toBeGreaterThan(1_000);
    expect(r.keys).toBe(r.rows);
    expect(r.entities).toBe(6);
    expect(r.returns).toBeGreaterThan(r.rows * 0.95);
    // the broker's return agrees with ours to within a few basis points on most days
    const diff = await one<{ close: number; all: number }>(
      `SELECT count(*) FILTER (WHERE abs(daily_diff_bps) < 1)::int AS close, count(daily_diff_bps)::int AS all
       FROM gold.v_dietz_daily`,
    );
    expect(diff.all).toBeGreaterThan(r.rows * 0.9);
    expect(diff.close / diff.all).toBeGreaterThan(0.9);
    // every view of the chain is a real view, not a table
    const views = await q<{ viewname: string }>(
      `SELECT viewname FROM pg_views WHERE schemaname = 'gold' ORDER BY 1`,
    );
    expect(views.map((v) => v.viewname)).toEqual([
      'v_capital_daily',
      'v_dietz_daily',
      'v_nav_daily',
      'v_pnl_daily',
    ]);
    // NAV is the running sum of P&L and flows
    const nav = await one<{ bad: number }>(
      `SELECT count(*)::int AS bad FROM (
         SELECT end_nav, sum(coalesce(daily_pnl, 0) + capital_flow) OVER (PARTITION BY entity_id ORDER BY pnl_date) AS expected
         FROM gold.v_nav_daily) s WHERE end_nav <> expected`,
    );
    expect(nav.bad).toBe(0);
  });

  test('an entity filter cannot be pushed down the view chain (why the seed was slow)', async () => {
    const { rows } = await db.pool.query<{ 'QUERY PLAN': unknown }>(
      'EXPLAIN (FORMAT JSON) SELECT * FROM gold.v_dietz_daily WHERE entity_id = 1',
    );
    const plan = JSON.stringify(rows[0]!['QUERY PLAN']);
    const scans = [...plan.matchAll(/"Relation Name":"pnl_daily_v2"[^}]*/g)].map((m) => m[0]);
    expect(scans.length).toBeGreaterThan(0);
    for (const s of scans) expect(s).not.toMatch(/entity_id/);
  });

  test('loadedDemoScale reports the build', async () => {
    expect(await loadedDemoScale(db.pool)).toBe('small');
    const { value } = await one<{ value: { scale: string; tables: Record<string, number> } }>(
      `SELECT value FROM tally.settings WHERE key = 'demo'`,
    );
    expect(value.scale).toBe('small');
    expect(value.tables['app.transactions']).toBe(12_000);
  });

  test('every example is valid and its SQL runs on the demo', async () => {
    expect(DEMO_EXAMPLES.length).toBeGreaterThanOrEqual(8);
    expect(new Set(DEMO_EXAMPLES.map((e) => e.id)).size).toBe(DEMO_EXAMPLES.length);
    expect(new Set(DEMO_EXAMPLES.map((e) => e.shape))).toEqual(
      new Set(['aggregate', 'latest', 'join', 'view_cache']),
    );
    for (const e of DEMO_EXAMPLES) {
      await db.pool.query(`EXPLAIN ${e.slowQuery}`);
      const slow = await db.pool.query(e.slowQuery);
      expect(slow.rowCount, `${e.id} slow query`).toBeGreaterThan(0);
      const summary =
        e.shape === 'view_cache'
          ? await db.pool.query(`SELECT * FROM ${e.summarySql} LIMIT 100`)
          : await db.pool.query(`SELECT * FROM (${e.summarySql}) s LIMIT 100`);
      expect(summary.rowCount, `${e.id} summary`).toBeGreaterThan(0);
      if (e.key) for (const k of e.key) expect(summary.fields.map((f) => f.name)).toContain(k);
    }
    // the talk-time summary is what the seed computed
    const talk = DEMO_EXAMPLES.find((e) => e.id === 'crm-talk-time')!;
    expect(talk.summarySql).toContain('sum(duration) FILTER (WHERE duration > 0)');
  });

  test('the examples schema rejects a malformed entry', () => {
    const bad = { ...DEMO_EXAMPLES[0]!, shape: 'view_cache' };
    expect(DemoExampleSchema.safeParse(bad).success).toBe(false);
    expect(DemoExampleSchema.safeParse({ ...DEMO_EXAMPLES[0]!, extra: 1 }).success).toBe(false);
  });
});

describe('rebuilding', () => {
  test('is idempotent: the same data, ids and settings', async () => {
    const tables: [string, string][] = [
      ['crm.admin_user_call_log', 'id, user_id, opportunity_id, duration, created_at'],
      ['crm.admin_activity', 'id, opportunity_id, user_id, type, data'],
      ['deals.deals', 'id, hotel_id, price_per_night, is_available, checkin_date'],
      [
        'app.transactions',
        'id, company_id, location_id, event_type, kind, deleted_at, draft, damage',
      ],
      [
        'sable.pnl_daily_v2',
        'id, entity_id, pnl_date, position_id, daily_pnl, capital_flow, btig_daily_ror',
      ],
    ];
    const before = await Promise.all(tables.map(([t, c]) => fingerprint(t, c)));
    // some writes that the rebuild must wipe out
    await db.pool.query('DELETE FROM app.transactions WHERE id % 7 = 0');
    await db.pool.query(`CREATE TABLE crm.stray (id int)`);
    const again = await buildDemo(db.pool, { scale: 'small' });
    const after = await Promise.all(tables.map(([t, c]) => fingerprint(t, c)));
    expect(after).toEqual(before);
    expect(again.tables.map((t) => [t.table, t.rows])).toEqual(
      report.tables.map((t) => [t.table, t.rows]),
    );
    expect(
      (await one<{ t: string | null }>(`SELECT to_regclass('crm.stray')::text AS t`)).t,
    ).toBeNull();
    expect(await loadedDemoScale(db.pool)).toBe('small');
  }, 120_000);

  test('--only rebuilds one scenario and keeps the others', async () => {
    const { id: dealBefore } = await one<{ id: string }>('SELECT max(id) AS id FROM deals.deals');
    await db.pool.query(
      `INSERT INTO deals.deals (hotel_id, checkin_date, created_at) VALUES (1, current_date, now())`,
    );
    await db.pool.query(
      `INSERT INTO crm.users (name, email, created_at) VALUES ('y', 'y@example.com', now())`,
    );
    const r = await buildDemo(db.pool, { scale: 'small', schemas: ['crm'] });
    expect(r.scenarios).toEqual(['crm']);
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM crm.users')).n).toBe(40);
    // deals was not touched
    expect((await one<{ id: string }>('SELECT max(id) AS id FROM deals.deals')).id).toBe(
      String(Number(dealBefore) + 1),
    );
    const { value } = await one<{ value: { tables: Record<string, number> } }>(
      `SELECT value FROM tally.settings WHERE key = 'demo'`,
    );
    expect(Object.keys(value.tables)).toHaveLength(12);
    expect(selectScenarios(['gold', 'CRM'])).toEqual(['crm', 'sable']);
    expect(() => selectScenarios(['nope'])).toThrow(DefinitionError);
  }, 120_000);

  test('refuses to drop a same-named schema it did not create', async () => {
    await db.pool.query(`COMMENT ON SCHEMA deals IS 'production hotel data'`);
    await expect(buildDemo(db.pool, { scale: 'small', schemas: ['deals'] })).rejects.toThrow(
      /not created by tally demo/,
    );
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM deals.hotels')).n).toBe(300);
    await db.pool.query(`COMMENT ON SCHEMA deals IS '${DEMO_SCHEMA_COMMENT.replace(/'/g, "''")}'`);
  });

  test('loadedDemoScale is null once a demo table is gone, and for a bad scale nothing runs', async () => {
    await expect(buildDemo(db.pool, { scale: 'huge' as never })).rejects.toThrow(DefinitionError);
    await db.pool.query('DROP TABLE sable.pnl_daily_v2 CASCADE');
    expect(await loadedDemoScale(db.pool)).toBeNull();
    await db.pool.query(`DELETE FROM tally.settings WHERE key = 'demo'`);
    expect(await loadedDemoScale(db.pool)).toBeNull();
  });
});
