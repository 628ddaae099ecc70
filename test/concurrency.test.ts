import type pg from 'pg';
import { beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import {
  createSourceSql,
  domainOf,
  pick,
  randomConcurrentTransaction,
  renderOperation,
  runTransaction,
  seededRandom,
  type SourceShape,
  type Value,
} from './helpers/workload';
import {
  definition,
  groupKeyName,
  targetOf,
  type Definition,
  type DefinitionInput,
} from '../lib/definition/definition';
import { normalizeDefinition } from '../lib/definition/normalize';
import { renderDefiningQuery } from '../lib/definition/defining-query';
import { compareWithTruth, type CompareResult } from '../lib/summary/compare';
import { createSummary } from '../lib/summary/create-summary';
import {
  SEED_ROW_TRIGGER_COLUMNS,
  seedRowTriggerDefiningQuery,
  seedRowTriggerInstallSql,
  type SeedRowTrigger,
} from '../lib/bench/seed-row-trigger';
import { SqlState } from '../lib/errors';
import { slotSql } from '../lib/sqlgen/locks';

/**
 * Concurrency (DESIGN.md § Maintenance, PRODUCT.md quality bar "Correctness"): many
 * connections at once, hot groups, rollbacks, REPEATABLE READ / SERIALIZABLE writers; the
 * summaries must never drift and the triggers must never deadlock. And the first seed's
 * row-level trigger, on the same kind of workload, does lose updates.
 *
 * TALLY_CONCURRENCY_SECONDS sets the length of the long mixed run (default 20).
 */

const MIXED_SECONDS = Number(process.env.TALLY_CONCURRENCY_SECONDS ?? 20);
const WRITERS = 8;
const ACTOR = 'concurrency-test';

const db = await createTestDatabase(16);

interface Installed {
  readonly def: Definition;
  readonly definingQuery: string;
  readonly columns: readonly string[];
}

async function install(input: DefinitionInput): Promise<Installed> {
  const def = definition.parse(input);
  await createSummary(db.pool, def, { actor: ACTOR });
  return {
    def,
    definingQuery: renderDefiningQuery(await normalizeDefinition(def)),
    columns: [...def.groupBy.map(groupKeyName), ...def.aggregates.map((a) => a.name)],
  };
}

/** Compares inside one REPEATABLE READ snapshot, so it is valid while writers run. */
async function drift(s: Installed): Promise<CompareResult> {
  const c = await db.pool.connect();
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const r = await compareWithTruth(c, targetOf(s.def), s.definingQuery, s.columns);
    await c.query('COMMIT');
    return r;
  } finally {
    c.release();
  }
}

async function expectExact(...summaries: Installed[]): Promise<void> {
  for (const s of summaries) {
    const r = await drift(s);
    expect({ summary: s.def.name, missing: r.missing, extra: r.extra, sample: r.sample }).toEqual({
      summary: s.def.name,
      missing: 0,
      extra: 0,
      sample: [],
    });
  }
}

function codeOf(e: unknown): string | undefined {
  return (e as { code?: string }).code;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writer connections. With `orderedScans`, multi-row UPDATE/DELETE by id lists use index scans
 * and so lock rows in id order: the bare workload cannot deadlock on source rows.
 */
async function writerConnections(n: number, { orderedScans = true } = {}): Promise<pg.Client[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const c = await db.connect();
      if (orderedScans) await c.query('SET enable_seqscan = off; SET enable_bitmapscan = off');
      return c;
    }),
  );
}

const SHAPE: SourceShape = {
  schema: 'conc',
  table: 'events',
  columns: [
    { name: 'k', type: 'int', domain: [null, ...Array.from({ length: 300 }, (_, i) => i)] },
    { name: 'v', type: 'int' },
    { name: 'n', type: 'numeric', domain: [null, '-1.5', '0', '2.25', '3', '10.125'] },
    { name: 'd', type: 'date' },
    { name: 't', type: 'text' },
    { name: 'flag', type: 'bool' },
  ],
};
const HOT_KEYS: readonly Value[] = [0, 1, 2];
const COLD_KEYS = domainOf(SHAPE.columns[0]!);

let delta: Installed;
let recompute: Installed;

beforeAll(async () => {
  await db.pool.query(createSourceSql(SHAPE));
  await db.pool.query(`CREATE INDEX ON conc.events (k)`);
  // some rows before install, so create has something to populate
  await db.pool.query(
    `INSERT INTO conc.events (k, v, n, d, t, flag)
     SELECT g % 60, g % 7 - 3, (g % 5) * 1.25, DATE '2024-01-01' + g % 30, chr(97 + g % 5), g % 3 = 0
       FROM generate_series(1, 3000) g`,
  );
  delta = await install({
    shape: 'aggregate',
    name: 'conc_delta',
    source: { schema: 'conc', table: 'events' },
    groupBy: [{ kind: 'column', column: 'k' }],
    aggregates: [
      { name: 'c', fn: 'count' },
      { name: 'cv', fn: 'count', arg: 'v' },
      { name: 's', fn: 'sum', arg: 'v' },
      { name: 'sn', fn: 'sum', arg: 'n', filter: 'flag' },
      { name: 'a', fn: 'avg', arg: 'n' },
    ],
  });
  recompute = await install({
    shape: 'aggregate',
    name: 'conc_recompute',
    source: { schema: 'conc', table: 'events' },
    groupBy: [{ kind: 'column', column: 'k' }],
    aggregates: [
      { name: 'lo', fn: 'min', arg: 'v' },
      { name: 'hi', fn: 'max', arg: 'd' },
      { name: 'kinds', fn: 'count_distinct', arg: 't' },
      { name: 'vs', fn: 'array_agg', arg: 'v', orderBy: [{ expr: 'v' }, { expr: 'id' }] },
    ],
  });
  await expectExact(delta, recompute);
});

describe(`${WRITERS} writers for ${MIXED_SECONDS} s, half on ${HOT_KEYS.length} hot groups`, () => {
  test(
    'zero drift (checked in snapshots while running and at the end) and zero deadlocks',
    async () => {
      const writers = await writerConnections(WRITERS);
      let highId = Number((await db.pool.query('SELECT max(id) AS m FROM conc.events')).rows[0].m);
      const stopAt = Date.now() + MIXED_SECONDS * 1000;
      const stats = { committed: 0, rolledBack: 0, deadlocks: 0, other: [] as string[] };

      const runWriter = async (c: pg.Client, i: number) => {
        const rand = seededRandom(1000 + i);
        const profile = {
          keyColumn: 'k',
          keys: i % 2 === 0 ? HOT_KEYS : COLD_KEYS,
          idRange: () => ({ low: 1000, high: highId }),
          // bulk inserts over many groups take the summary-wide lock exclusively (locks.ts)
          bulkShare: i % 2 === 0 ? 0 : 0.03,
        };
        while (Date.now() < stopAt) {
          const tx = randomConcurrentTransaction(SHAPE, rand, profile);
          try {
            await runTransaction(c, SHAPE, tx);
            for (const op of tx.ops) if (op.kind === 'insert') highId += op.rows.length;
            if (tx.commit) stats.committed++;
            else stats.rolledBack++;
          } catch (e) {
            if (codeOf(e) === SqlState.deadlockDetected) stats.deadlocks++;
            else
              stats.other.push(
                `${codeOf(e)}: ${(e as Error).message} in ${JSON.stringify(tx.ops.flatMap((op) => renderOperation(SHAPE, op)))}`,
              );
          }
        }
      };

      const snapshots: { missing: number; extra: number }[] = [];
      const checker = async () => {
        while (Date.now() < stopAt - 1000) {
          await sleep(2500);
          for (const s of [delta, recompute]) {
            const r = await drift(s);
            snapshots.push({ missing: r.missing, extra: r.extra });
            if (r.missing || r.extra) console.error(s.def.name, 'drift in snapshot', r);
          }
        }
      };

      await Promise.all([...writers.map(runWriter), checker()]);
      console.log(
        `[concurrency] ${JSON.stringify({ ...stats, other: stats.other.length, snapshots: snapshots.length })}`,
      );

      expect(stats.other.slice(0, 5)).toEqual([]);
      expect(stats.deadlocks).toBe(0);
      expect(stats.committed).toBeGreaterThan(100);
      expect(stats.rolledBack).toBeGreaterThan(0);
      expect(snapshots.filter((s) => s.missing || s.extra)).toEqual([]);
      await expectExact(delta, recompute);
    },
    (MIXED_SECONDS + 90) * 1000,
  );
});

describe('per-group locking', () => {
  async function insertOne(c: pg.ClientBase, k: number) {
    await c.query(
      `INSERT INTO conc.events (k, v, n, d, t, flag) VALUES ($1, 1, 1, '2024-01-01', 'a', true)`,
      [k],
    );
  }

  /** Keys in [from, to] whose lock slot differs from `k`'s: groups are striped into slots (locks.ts). */
  async function keysNotSharingSlotWith(k: number, from: number, to: number): Promise<number[]> {
    const { rows } = await db.pool.query<{ k: number }>(
      `SELECT g AS k FROM generate_series($2::int, $3::int) AS g
        WHERE ${slotSql(['g'])} <> (SELECT ${slotSql(['$1::int'])})`,
      [k, from, to],
    );
    return rows.map((r) => r.k);
  }

  test('two writers on different groups do not block each other', async () => {
    const [a, b] = await writerConnections(2);
    const others = await keysNotSharingSlotWith(41, 42, 49);
    expect(others.length).toBeGreaterThan(3);
    // A holds group 41 (an insert and an update), its transaction open
    await a!.query('BEGIN');
    await insertOne(a!, 41);
    await a!.query(
      `UPDATE conc.events SET v = v + 1 WHERE id = (SELECT min(id) FROM conc.events WHERE k = 41)`,
    );
    // B writes to other groups (insert, move a row between two of them, delete), committing
    // each time, with a short lock_timeout: it must never wait for A
    await b!.query(`SET lock_timeout = '2s'`);
    const started = Date.now();
    for (const [i, k] of others.entries()) {
      const to = others[(i + 1) % others.length]!;
      await b!.query('BEGIN');
      await insertOne(b!, k);
      await insertOne(b!, k);
      await b!.query(
        `UPDATE conc.events SET k = $1 WHERE id = (SELECT min(id) FROM conc.events WHERE k = $2)`,
        [to, k],
      );
      await b!.query(
        `DELETE FROM conc.events WHERE id = (SELECT max(id) FROM conc.events WHERE k = $1)`,
        [k],
      );
      await b!.query('COMMIT');
    }
    expect(Date.now() - started).toBeLessThan(2000);
    await a!.query('COMMIT');
    await b!.query('RESET lock_timeout');
    await expectExact(delta, recompute);
  });

  test('two transactions on disjoint groups, each a small write then a bulk write, do not deadlock', async () => {
    // A bulk statement (more than 64 slots) takes the summary-wide lock exclusively; a small one
    // took it shared earlier in the same transaction. Upgrading shared → exclusive in two
    // transactions at once is a deadlock, though their groups are disjoint.
    const [a, b] = await writerConnections(2);
    const bulk = (from: number) =>
      `INSERT INTO conc.events (k, v, n, d, t, flag) SELECT g, 1, 1, '2024-01-01', 'a', true FROM generate_series(${from}, ${from + 199}) g`;
    await a!.query('BEGIN');
    await b!.query('BEGIN');
    await insertOne(a!, 1001);
    await insertOne(b!, 2001);
    const results = await Promise.allSettled([
      a!.query(bulk(10_000)).then(() => a!.query('COMMIT')),
      (async () => {
        await sleep(100);
        await b!.query(bulk(20_000));
        await b!.query('COMMIT');
      })(),
    ]);
    for (const c of [a!, b!]) await c.query('ROLLBACK').catch(() => undefined);
    const codes = results.map((r) => (r.status === 'rejected' ? codeOf(r.reason) : 'ok'));
    await db.pool.query('DELETE FROM conc.events WHERE k >= 1000');
    await expectExact(delta, recompute);
    expect(codes).toEqual(['ok', 'ok']);
  });

  test('a writer to the same group waits for the first to commit', async () => {
    const [a, b] = await writerConnections(2);
    await a!.query('BEGIN');
    await insertOne(a!, 47);
    await b!.query('BEGIN');
    await b!.query(`SET LOCAL lock_timeout = '300ms'`);
    const err = await insertOne(b!, 47).catch((e: unknown) => e);
    expect(codeOf(err)).toBe(SqlState.lockNotAvailable);
    await b!.query('ROLLBACK');
    // now B waits without a timeout and goes through as soon as A commits
    await b!.query('BEGIN');
    const waiting = insertOne(b!, 47).then(() => Date.now());
    await sleep(300);
    const committedAt = Date.now();
    await a!.query('COMMIT');
    expect(await waiting).toBeGreaterThanOrEqual(committedAt);
    await b!.query('COMMIT');
    await expectExact(delta, recompute);
  });
});

describe('REPEATABLE READ and SERIALIZABLE writers: exact, or SQLSTATE 40001', () => {
  type Isolation = 'repeatable read' | 'serializable';

  /**
   * A takes its snapshot, B commits a change to group `k`, then A writes to the same group.
   * A must either fail with 40001 or leave the summaries exact after it commits.
   */
  async function interleave(
    isolation: Isolation,
    setup: string[],
    bWrites: string[],
    aWrites: string[],
  ) {
    const [a, b] = await writerConnections(2);
    for (const s of setup) await b!.query(s);
    await a!.query(`BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`);
    await a!.query('SELECT count(*) FROM conc.events'); // takes the snapshot
    for (const s of bWrites) await b!.query(s);
    let outcome = 'committed';
    try {
      for (const s of aWrites) await a!.query(s);
      await a!.query('COMMIT');
    } catch (e) {
      await a!.query('ROLLBACK');
      if (codeOf(e) !== SqlState.serializationFailure) throw e;
      outcome = '40001';
    }
    await expectExact(delta, recompute);
    return outcome;
  }

  const ins = (k: number, v: number) =>
    `INSERT INTO conc.events (k, v, n, d, t, flag) VALUES (${k}, ${v}, ${v}, DATE '2024-01-01' + ${v}, 't${v}', true)`;
  const scenarios: { name: string; setup: string[]; b: string[]; a: string[] }[] = [
    {
      name: 'both insert into an existing group',
      setup: [ins(50, 5)],
      b: [ins(50, 1)],
      a: [ins(50, 2)],
    },
    { name: 'both insert into a new group', setup: [], b: [ins(51, 1)], a: [ins(51, 2)] },
    {
      name: 'B empties the group, A inserts into it',
      setup: [ins(52, 5)],
      b: ['DELETE FROM conc.events WHERE k = 52'],
      a: [ins(52, 7)],
    },
    {
      name: 'B adds a new minimum, A deletes the old one (recompute from a stale snapshot)',
      setup: [ins(53, 5), ins(53, 6)],
      b: [ins(53, -3)],
      a: ['DELETE FROM conc.events WHERE k = 53 AND v = 5'],
    },
    {
      name: 'B moves a row into the group, A moves another out',
      setup: [ins(54, 1), ins(55, 2)],
      b: ['UPDATE conc.events SET k = 54 WHERE k = 55'],
      a: ['UPDATE conc.events SET k = 56 WHERE k = 54 AND v = 1'],
    },
    {
      name: 'B touches another group only, A writes to its own',
      setup: [ins(57, 1), ins(58, 2)],
      b: [ins(58, 3)],
      a: [ins(57, 4), 'DELETE FROM conc.events WHERE k = 57 AND v = 1'],
    },
  ];

  for (const isolation of ['repeatable read', 'serializable'] as const)
    for (const s of scenarios)
      test(`${isolation}: ${s.name}`, async () => {
        await db.pool.query('DELETE FROM conc.events WHERE k BETWEEN 50 AND 59');
        const outcome = await interleave(isolation, s.setup, s.b, s.a);
        console.log(`[${isolation}] ${s.name}: ${outcome}`);
        expect(['committed', '40001']).toContain(outcome);
      });

  test('a randomized concurrent workload at REPEATABLE READ and SERIALIZABLE, with retries', async () => {
    const writers = await writerConnections(WRITERS);
    let highId = Number((await db.pool.query('SELECT max(id) AS m FROM conc.events')).rows[0].m);
    const stopAt = Date.now() + 8000;
    const stats = {
      committed: 0,
      serializationFailures: 0,
      deadlocks: 0,
      gaveUp: 0,
      other: [] as string[],
    };
    await Promise.all(
      writers.map(async (c, i) => {
        const rand = seededRandom(7000 + i);
        const isolation: Isolation = i % 2 ? 'serializable' : 'repeatable read';
        const profile = {
          keyColumn: 'k',
          keys: i < 6 ? HOT_KEYS : COLD_KEYS,
          idRange: () => ({ low: 1000, high: highId }),
        };
        while (Date.now() < stopAt) {
          const tx = { ...randomConcurrentTransaction(SHAPE, rand, profile), commit: true };
          for (let attempt = 0; ; attempt++) {
            try {
              await c.query(`BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`);
              // read first, so the snapshot is older than the write
              await c.query('SELECT count(*), sum(v) FROM conc.events WHERE k = $1', [
                pick(rand, HOT_KEYS),
              ]);
              if (rand() < 0.5) await sleep(rand() * 5);
              for (const op of tx.ops)
                for (const s of renderOperation(SHAPE, op)) await c.query(s.text, s.values);
              await c.query('COMMIT');
              for (const op of tx.ops) if (op.kind === 'insert') highId += op.rows.length;
              stats.committed++;
              break;
            } catch (e) {
              await c.query('ROLLBACK').catch(() => undefined);
              const code = codeOf(e);
              if (code === SqlState.serializationFailure) stats.serializationFailures++;
              else if (code === SqlState.deadlockDetected) stats.deadlocks++;
              else {
                stats.other.push(`${code}: ${(e as Error).message}`);
                break;
              }
              if (attempt >= 20) {
                stats.gaveUp++;
                break;
              }
            }
          }
        }
      }),
    );
    console.log(
      `[concurrency rr/serializable] ${JSON.stringify({ ...stats, other: stats.other.length })}`,
    );
    expect(stats.other.slice(0, 5)).toEqual([]);
    expect(stats.deadlocks).toBe(0);
    expect(stats.committed).toBeGreaterThan(50);
    await expectExact(delta, recompute);
  }, 60_000);
});

describe('a summary without GROUP BY (one row: every writer takes the summary-wide lock)', () => {
  test(`${WRITERS} writers for 6 s: exact, no deadlocks`, async () => {
    const shape: SourceShape = {
      schema: 'conc',
      table: 'totals_src',
      columns: [
        { name: 'k', type: 'int', domain: [null, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
        { name: 'v', type: 'int' },
        { name: 'flag', type: 'bool' },
      ],
    };
    await db.pool.query(createSourceSql(shape));
    const total = await install({
      shape: 'aggregate',
      name: 'conc_total',
      source: { schema: 'conc', table: 'totals_src' },
      filter: 'flag IS NOT FALSE',
      groupBy: [],
      aggregates: [
        { name: 'c', fn: 'count' },
        { name: 's', fn: 'sum', arg: 'v' },
        { name: 'hi', fn: 'max', arg: 'v' },
        { name: 'keys', fn: 'count_distinct', arg: 'k' },
      ],
    });
    // single-row updates and deletes only, so the planner may scan as it likes (a forced index
    // scan makes the whole-table recompute of this summary crawl on PostgreSQL 15)
    const writers = await writerConnections(WRITERS, { orderedScans: false });
    let highId = 999;
    const stopAt = Date.now() + 6000;
    const stats = { committed: 0, deadlocks: 0, other: [] as string[] };
    await Promise.all(
      writers.map(async (c, i) => {
        const rand = seededRandom(3000 + i);
        const profile = {
          keyColumn: 'k',
          keys: domainOf(shape.columns[0]!),
          idRange: () => ({ low: 1000, high: highId }),
          multiRowWrites: false,
        };
        while (Date.now() < stopAt) {
          const tx = randomConcurrentTransaction(shape, rand, profile);
          try {
            await runTransaction(c, shape, tx);
            for (const op of tx.ops) if (op.kind === 'insert') highId += op.rows.length;
            stats.committed++;
          } catch (e) {
            if (codeOf(e) === SqlState.deadlockDetected) stats.deadlocks++;
            else stats.other.push(`${codeOf(e)}: ${(e as Error).message}`);
          }
        }
      }),
    );
    console.log(
      `[concurrency, no GROUP BY] ${JSON.stringify({ ...stats, other: stats.other.length })}`,
    );
    expect(stats.other.slice(0, 5)).toEqual([]);
    expect(stats.deadlocks).toBe(0);
    expect(stats.committed).toBeGreaterThan(50);
    await expectExact(total);
  }, 60_000);
});

describe("the first seed's row-level trigger loses updates; Tally's does not", () => {
  const seed: SeedRowTrigger = {
    source: { schema: 'seedcmp', table: 'calls' },
    target: { schema: 'seedcmp', table: 'seed_totals' },
    keyColumn: 'user_id',
    keyType: 'integer',
    valueColumn: 'duration',
  };
  const seedDrift = () =>
    compareWithTruth(
      db.pool,
      seed.target,
      seedRowTriggerDefiningQuery(seed),
      SEED_ROW_TRIGGER_COLUMNS,
    );
  let ours: Installed;

  beforeAll(async () => {
    await db.pool.query(`CREATE SCHEMA seedcmp;
      CREATE TABLE seedcmp.calls (id bigserial PRIMARY KEY, user_id int, duration int);
      CREATE INDEX ON seedcmp.calls (user_id);
      INSERT INTO seedcmp.calls (user_id, duration) SELECT g % 10, g FROM generate_series(1, 1000) g;`);
    await db.pool.query(seedRowTriggerInstallSql(seed));
    ours = await install({
      shape: 'aggregate',
      name: 'ours_totals',
      source: seed.source,
      filter: 'user_id IS NOT NULL',
      groupBy: [{ kind: 'column', column: 'user_id', name: 'key' }],
      aggregates: [
        { name: 'total', fn: 'sum', arg: 'duration' },
        { name: 'rows', fn: 'count' },
      ],
    });
  });

  test('two interleaved writers to one group: the seed loses one insert, ours keeps both', async () => {
    const [a, b] = await writerConnections(2);
    await a!.query('BEGIN');
    await a!.query('INSERT INTO seedcmp.calls (user_id, duration) VALUES (3, 100)');
    await b!.query('BEGIN');
    // B's row trigger recomputes without A's row; its upsert then waits on A's summary row
    const bInsert = b!.query('INSERT INTO seedcmp.calls (user_id, duration) VALUES (3, 200)');
    await sleep(200);
    await a!.query('COMMIT');
    await bInsert;
    await b!.query('COMMIT');
    const lost = await seedDrift();
    expect(lost.missing).toBe(1);
    expect(lost.extra).toBe(1);
    await expectExact(ours);
  });

  test(`${WRITERS} writers on one hot group: the seed drifts, ours stays exact`, async () => {
    await db.pool.query(`TRUNCATE seedcmp.seed_totals;
      INSERT INTO seedcmp.seed_totals SELECT user_id, sum(duration), count(*) FROM seedcmp.calls WHERE user_id IS NOT NULL GROUP BY 1`);
    const writers = await writerConnections(WRITERS);
    const stopAt = Date.now() + 4000;
    let seedDriftSeen = 0;
    let rounds = 0;
    const errors: string[] = [];
    await Promise.all(
      writers.map(async (c, i) => {
        const rand = seededRandom(99 + i);
        while (Date.now() < stopAt) {
          try {
            await c.query('BEGIN');
            await c.query('INSERT INTO seedcmp.calls (user_id, duration) VALUES ($1, $2)', [
              rand() < 0.8 ? 7 : 8,
              1 + Math.floor(rand() * 100),
            ]);
            // the application does a little more work before it commits
            await sleep(rand() * 3);
            await c.query('COMMIT');
          } catch (e) {
            await c.query('ROLLBACK').catch(() => undefined);
            errors.push(`${codeOf(e)} ${(e as Error).message}`);
          }
          if (i === 0 && ++rounds % 50 === 0) {
            const r = await seedDrift();
            seedDriftSeen = Math.max(seedDriftSeen, r.missing);
          }
        }
      }),
    );
    const end = await seedDrift();
    console.log(
      `[seed trigger] drifted groups at the end: ${end.missing}, worst seen while running: ${seedDriftSeen}`,
    );
    expect(Math.max(end.missing, seedDriftSeen)).toBeGreaterThan(0);
    // the seed pattern may deadlock too (UPDATEs are not in this run), but never ours
    expect(errors.filter((e) => !e.startsWith(SqlState.deadlockDetected))).toEqual([]);
    await expectExact(ours);
  }, 30_000);
});
