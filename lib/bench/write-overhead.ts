import pg from 'pg';
import { definition, type DefinitionInput } from '../definition/definition';
import { createSummary } from '../summary/create-summary';
import { dropSummary } from '../summary/drop-summary';
import { SqlState } from '../errors';
import {
  seedRowTriggerInstallSql,
  seedRowTriggerUninstallSql,
  type SeedRowTrigger,
} from './seed-row-trigger';
import type { BenchRow } from './bench-table';

/**
 * The "Writes" section of `tally bench` (PRODUCT.md, quality bar "Writes"): what the triggers
 * cost each write, as ratios to the same workload with no summary, from one run.
 *
 * Three set-ups are installed in turn on one source table of `rows` rows over `groups`
 * groups: a count/sum/avg summary (delta path), a min/max summary (recompute when the extreme
 * leaves), and the first seed's row-level "recompute the group and upsert" trigger. Within
 * each, every workload alternates between triggers on and triggers bypassed
 * (`session_replication_role = replica`, the way bulk loads skip triggers) in short slices, so
 * both sides of a ratio see the same machine: on a shared two-core box, measuring "bare" and
 * "with summary" minutes apart compares the neighbours' load, not the triggers.
 * Commits are durable, as the server is configured (what applications see); `asyncCommit`
 * measures with synchronous_commit = off instead, where the WAL flush of each single-row
 * commit no longer dilutes the triggers' cost (stricter ratios).
 * Everything lives in schema `tally_bench`, which is dropped afterwards.
 */

export interface WriteBenchOptions {
  /** source rows (default 2,000,000) */
  readonly rows: number;
  /** distinct groups (default 10,000) */
  readonly groups: number;
  /** per side (bare, with triggers) of each fixed-duration throughput run, in seconds */
  readonly seconds: number;
  /** writers for the concurrent workloads (default 8) */
  readonly clients?: number;
  /** SET synchronous_commit = off on the writers */
  readonly asyncCommit?: boolean;
  readonly log?: (line: string) => void;
}

export const BENCH_SCHEMA = 'tally_bench';
const SOURCE = `${BENCH_SCHEMA}.events`;
const SECTION = 'writes';
const ACTOR = 'tally bench';
const HOT_GROUPS = 4;
/** length of one on/off slice of a throughput run */
const SLICE_MS = 250;

type Variant = 'delta' | 'minmax' | 'seed';
const VARIANTS: readonly Variant[] = ['delta', 'minmax', 'seed'];
type Side = 'bare' | 'with';

const SUMMARIES: Record<'delta' | 'minmax', DefinitionInput> = {
  delta: {
    shape: 'aggregate',
    name: 'tally_bench_delta',
    source: { schema: BENCH_SCHEMA, table: 'events' },
    groupBy: [{ kind: 'column', column: 'grp' }],
    aggregates: [
      { name: 'events', fn: 'count' },
      { name: 'amount', fn: 'sum', arg: 'amount' },
      { name: 'avg_price', fn: 'avg', arg: 'price' },
    ],
  },
  minmax: {
    shape: 'aggregate',
    name: 'tally_bench_minmax',
    source: { schema: BENCH_SCHEMA, table: 'events' },
    groupBy: [{ kind: 'column', column: 'grp' }],
    aggregates: [
      { name: 'smallest', fn: 'min', arg: 'amount' },
      { name: 'latest', fn: 'max', arg: 'created_at' },
    ],
  },
};

const SEED: SeedRowTrigger = {
  source: { schema: BENCH_SCHEMA, table: 'events' },
  target: { schema: BENCH_SCHEMA, table: 'seed_totals' },
  keyColumn: 'grp',
  keyType: 'integer',
  valueColumn: 'amount',
};

interface Rate {
  /** statements per second */
  readonly rate: number;
  readonly deadlocks: number;
  readonly errors: number;
}

/** One side's result of every workload. */
interface Measurements {
  /** median ms per 1,000-row INSERT, rows over ~1,000 groups */
  readonly bulkWide: number;
  /** median ms per 1,000-row INSERT, rows over ≤ 10 groups */
  readonly bulkNarrow: number;
  /** single-row INSERTs, 1 client and N clients */
  readonly insert1: Rate;
  readonly insertN: Rate;
  /** single-row UPDATEs moving a row to another group */
  readonly move: Rate;
  readonly delete: Rate;
  /** N writers moving rows among a few hot groups */
  readonly hot: Rate;
}
type Both = Record<Side, Measurements>;

/** A small seeded PRNG, so every set-up sees the same sequence of keys and rows. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function codeOf(e: unknown): string | undefined {
  return (e as { code?: string }).code;
}

/** A writer connection that knows which side it is on. */
class Writer {
  private side: Side | undefined;
  constructor(readonly client: pg.Client) {}
  async use(side: Side): Promise<void> {
    if (this.side === side) return;
    await this.client.query(
      `SET session_replication_role = ${side === 'bare' ? 'replica' : 'origin'}`,
    );
    this.side = side;
  }
}

/**
 * Alternates bare and with-triggers statement by statement (swapping which goes first each
 * round) until `count` rounds ran or `maxMs` passed, at least `min`; median ms per side.
 */
async function timeStatements(
  w: Writer,
  statement: (i: number) => pg.QueryConfig,
  opts: { count: number; min: number; maxMs: number },
): Promise<Record<Side, number>> {
  const times: Record<Side, number[]> = { bare: [], with: [] };
  for (const side of ['bare', 'with'] as const) {
    await w.use(side);
    await w.client.query(statement(-1)); // warm-up: plans, caches
  }
  const deadline = performance.now() + opts.maxMs;
  let n = 0;
  for (let i = 0; i < opts.count && (i < opts.min || performance.now() < deadline); i++)
    for (const side of i % 2 ? (['with', 'bare'] as const) : (['bare', 'with'] as const)) {
      await w.use(side);
      const t0 = performance.now();
      await w.client.query(statement(n++));
      times[side].push(performance.now() - t0);
    }
  return { bare: median(times.bare), with: median(times.with) };
}

/**
 * Every writer runs `op` back to back for 2 × `seconds`, switching sides every SLICE_MS (all
 * writers in step); statements per second of each side.
 */
async function throughput(
  writers: readonly Writer[],
  seconds: number,
  op: (rand: () => number, n: number) => pg.QueryConfig,
  seedBase: number,
): Promise<Record<Side, Rate>> {
  const slices = 2 * Math.max(1, Math.round((seconds * 1000) / SLICE_MS));
  const stats = {
    bare: { done: 0, deadlocks: 0, errors: 0 },
    with: { done: 0, deadlocks: 0, errors: 0 },
  };
  const t0 = performance.now();
  const stopAt = t0 + slices * SLICE_MS;
  let counter = 0;
  await Promise.all(
    writers.map(async (w, i) => {
      const rand = seeded(seedBase + i);
      for (let now = performance.now(); now < stopAt; now = performance.now()) {
        const side: Side = Math.floor((now - t0) / SLICE_MS) % 2 === 0 ? 'bare' : 'with';
        await w.use(side);
        try {
          await w.client.query(op(rand, counter++));
          stats[side].done++;
        } catch (e) {
          if (codeOf(e) === SqlState.deadlockDetected) stats[side].deadlocks++;
          else stats[side].errors++;
        }
      }
    }),
  );
  const perSide = ((slices / 2) * SLICE_MS) / 1000;
  const rate = (s: (typeof stats)['bare']): Rate => ({
    rate: s.done / perSide,
    deadlocks: s.deadlocks,
    errors: s.errors,
  });
  return { bare: rate(stats.bare), with: rate(stats.with) };
}

async function setUpSource(pool: pg.Pool, o: WriteBenchOptions): Promise<void> {
  await tearDown(pool);
  await pool.query(`CREATE SCHEMA ${BENCH_SCHEMA}`);
  await pool.query(`CREATE TABLE ${SOURCE} (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    grp integer NOT NULL,
    amount integer NOT NULL,
    price numeric(10, 2) NOT NULL,
    created_at timestamp NOT NULL
  ) WITH (autovacuum_enabled = off)`);
  await pool.query(
    `INSERT INTO ${SOURCE} (grp, amount, price, created_at)
     SELECT g % $2, (g::bigint * 7919) % 1000, ((g::bigint * 31) % 10000) / 100.0, TIMESTAMP '2024-01-01' + g * INTERVAL '1 second'
       FROM generate_series(1, $1::int) g`,
    [o.rows, o.groups],
  );
  // every set-up, bare included, has the index a per-group recompute needs
  await pool.query(`CREATE INDEX events_grp_idx ON ${SOURCE} (grp)`);
  await pool.query(`VACUUM ANALYZE ${SOURCE}`);
  await pool.query('CHECKPOINT').catch(() => undefined); // not while measuring, if we may
}

/** Removes what a previous (possibly interrupted) run left behind. */
async function tearDown(pool: pg.Pool): Promise<void> {
  for (const s of Object.values(SUMMARIES)) {
    const { rowCount } = await pool.query('SELECT 1 FROM tally.summaries WHERE name = $1', [
      s.name,
    ]);
    if (rowCount) await dropSummary(pool, s.name, { actor: ACTOR });
  }
  await pool.query(`DROP SCHEMA IF EXISTS ${BENCH_SCHEMA} CASCADE`);
}

async function install(pool: pg.Pool, v: Variant): Promise<void> {
  if (v === 'seed') await pool.query(seedRowTriggerInstallSql(SEED));
  else await createSummary(pool, definition.parse(SUMMARIES[v]), { actor: ACTOR });
  await pool.query(`VACUUM ANALYZE ${SOURCE}`);
}

async function uninstall(pool: pg.Pool, v: Variant): Promise<void> {
  if (v === 'seed') await pool.query(seedRowTriggerUninstallSql(SEED));
  else await dropSummary(pool, SUMMARIES[v].name, { actor: ACTOR });
}

async function measure(
  pool: pg.Pool,
  writers: readonly Writer[],
  o: WriteBenchOptions,
  phase: number,
): Promise<Both> {
  const one = writers[0]!;
  const G = o.groups;
  const bulk = { count: 12, min: 3, maxMs: 6000 };
  // 1,000 rows whose keys are 1,000 distinct groups (a stride through the key space)
  const bulkWide = await timeStatements(
    one,
    (i) => ({
      name: 'bench_bulk_wide',
      text: `INSERT INTO ${SOURCE} (grp, amount, price, created_at)
             SELECT (g * $2::int + $1::int) % $3::int, g % 100, (g % 50) + 0.5, TIMESTAMP '2024-06-01' + g * INTERVAL '1 ms'
               FROM generate_series(1, 1000) g`,
      values: [i + 100, Math.max(1, Math.floor(G / 1000)), G],
    }),
    bulk,
  );
  // 1,000 rows over 10 groups
  const bulkNarrow = await timeStatements(
    one,
    (i) => ({
      name: 'bench_bulk_narrow',
      text: `INSERT INTO ${SOURCE} (grp, amount, price, created_at)
             SELECT ((g % 10) * 97 + $1::int) % $2::int, g % 100, (g % 50) + 0.5, TIMESTAMP '2024-06-01' + g * INTERVAL '1 ms'
               FROM generate_series(1, 1000) g`,
      values: [(i * 13 + 500) % G, G],
    }),
    bulk,
  );
  const insertRow = (rand: () => number): pg.QueryConfig => ({
    name: 'bench_insert',
    text: `INSERT INTO ${SOURCE} (grp, amount, price, created_at) VALUES ($1, $2, $3, TIMESTAMP '2024-06-02')`,
    values: [Math.floor(rand() * G), Math.floor(rand() * 1000), (rand() * 100).toFixed(2)],
  });
  const insert1 = await throughput([one], o.seconds, insertRow, 10);
  const insertN = await throughput(writers, o.seconds, insertRow, 20);
  const move = await throughput(
    [one],
    o.seconds,
    (rand) => ({
      name: 'bench_move',
      text: `UPDATE ${SOURCE} SET grp = $1 WHERE id = $2`,
      values: [Math.floor(rand() * G), 1 + Math.floor(rand() * o.rows)],
    }),
    30,
  );
  // each set-up deletes from its own slice of the original ids, each id once
  const slice = Math.floor(o.rows / VARIANTS.length);
  const del = await throughput(
    [one],
    o.seconds,
    (_rand, n) => ({
      name: 'bench_delete',
      text: `DELETE FROM ${SOURCE} WHERE id = $1`,
      values: [phase * slice + 1 + ((n * 7919) % slice)],
    }),
    40,
  );
  const hotIds = (
    await pool.query<{ id: string }>(`SELECT id FROM ${SOURCE} WHERE grp < $1 ORDER BY id`, [
      HOT_GROUPS,
    ])
  ).rows.map((r) => Number(r.id));
  const hot = await throughput(
    writers,
    o.seconds,
    (rand) => ({
      name: 'bench_hot_move',
      text: `UPDATE ${SOURCE} SET grp = $1, amount = amount + 1 WHERE id = $2`,
      values: [Math.floor(rand() * HOT_GROUPS), hotIds[Math.floor(rand() * hotIds.length)] ?? 0],
    }),
    50,
  );
  const side = (s: Side): Measurements => ({
    bulkWide: bulkWide[s],
    bulkNarrow: bulkNarrow[s],
    insert1: insert1[s],
    insertN: insertN[s],
    move: move[s],
    delete: del[s],
    hot: hot[s],
  });
  return { bare: side('bare'), with: side('with') };
}

const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const perSecond = (x: number) => `${Math.round(x).toLocaleString('en-US')}/s`;

type TimeKey = 'bulkWide' | 'bulkNarrow';
type RateKey = 'insert1' | 'insertN' | 'move' | 'delete' | 'hot';

function rowsOf(m: Record<Variant, Both>, clients: number): BenchRow[] {
  const seed = m.seed;
  const seedTime = (k: TimeKey) =>
    `${(seed.with[k] / seed.bare[k]).toFixed(1)}× (${ms(seed.with[k])})`;
  const seedRate = (k: RateKey) => `${(seed.with[k].rate / seed.bare[k].rate).toFixed(2)}×`;
  const out: BenchRow[] = [];
  for (const v of ['delta', 'minmax'] as const) {
    const { bare, with: t } = m[v];
    const section = `${SECTION}: ${v === 'delta' ? 'count/sum/avg' : 'min/max'} summary`;
    // the targets are PRODUCT.md's; they gate the delta summary, min/max is shown for information
    const gate = v === 'delta';
    const time = (workload: string, k: TimeKey, max: number): BenchRow => {
      const ratio = t[k] / bare[k];
      return {
        section,
        workload,
        bare: ms(bare[k]),
        tally: ms(t[k]),
        ratio,
        target: `≤ ${max.toFixed(1)}× time`,
        pass: gate ? ratio <= max : null,
        seed: seedTime(k),
      };
    };
    const rate = (workload: string, k: RateKey, min: number): BenchRow => {
      const ratio = t[k].rate / bare[k].rate;
      return {
        section,
        workload,
        bare: perSecond(bare[k].rate),
        tally: perSecond(t[k].rate),
        ratio,
        target: `≥ ${min.toFixed(2)}× rate`,
        pass: gate ? ratio >= min && t[k].errors === 0 : null,
        seed: seedRate(k),
      };
    };
    out.push(
      time('INSERT 1,000 rows into ~1,000 groups', 'bulkWide', 2.0),
      time('INSERT 1,000 rows into ≤ 10 groups', 'bulkNarrow', 1.2),
      rate('single-row INSERT, 1 client', 'insert1', 0.6),
      rate(`single-row INSERT, ${clients} clients`, 'insertN', 0.6),
      {
        section,
        workload: `single-row INSERT, ${clients} clients over 1 client`,
        bare: `${(bare.insertN.rate / bare.insert1.rate).toFixed(2)}×`,
        tally: `${(t.insertN.rate / t.insert1.rate).toFixed(2)}×`,
        ratio: t.insertN.rate / t.insert1.rate,
        target: '> 1.00× (scales)',
        pass: gate ? t.insertN.rate > t.insert1.rate : null,
        seed: `${(seed.with.insertN.rate / seed.with.insert1.rate).toFixed(2)}× (8 over 1)`,
      },
      rate('single-row UPDATE moving a row to another group', 'move', 0.75),
      rate('single-row DELETE', 'delete', 0.75),
      {
        section,
        workload: `${clients} writers moving rows among ${HOT_GROUPS} hot groups`,
        bare: `${perSecond(bare.hot.rate)}, ${bare.hot.deadlocks} deadlocks`,
        tally: `${perSecond(t.hot.rate)}, ${t.hot.deadlocks} deadlocks`,
        ratio: t.hot.rate / bare.hot.rate,
        target: '0 deadlocks',
        pass: gate ? t.hot.deadlocks === 0 && t.hot.errors === 0 : null,
        seed: `${(seed.with.hot.rate / seed.bare.hot.rate).toFixed(2)}×, ${seed.with.hot.deadlocks} deadlocks`,
      },
    );
  }
  return out;
}

export async function runWriteOverhead(
  db: { url: string; pool: pg.Pool },
  o: WriteBenchOptions,
): Promise<BenchRow[]> {
  const log = o.log ?? (() => undefined);
  const n = o.clients ?? 8;
  const writers: Writer[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const c = new pg.Client({ connectionString: db.url, application_name: 'tally-bench' });
      await c.connect();
      writers.push(new Writer(c));
      if (o.asyncCommit) await c.query('SET synchronous_commit = off');
    }
    // bypassing triggers needs superuser (or a grant of SET on session_replication_role)
    await writers[0]!.use('bare');
    log(
      `writes: loading ${o.rows.toLocaleString('en-US')} rows over ${o.groups.toLocaleString('en-US')} groups into ${SOURCE}`,
    );
    await setUpSource(db.pool, o);
    const results = {} as Record<Variant, Both>;
    for (const [i, v] of VARIANTS.entries()) {
      log(
        `writes: ${v === 'seed' ? "the first seed's row-level trigger" : `the ${v} summary`}, against the same writes with triggers bypassed`,
      );
      await install(db.pool, v);
      try {
        results[v] = await measure(db.pool, writers, o, i);
      } finally {
        await uninstall(db.pool, v);
      }
    }
    return rowsOf(results, n);
  } finally {
    await Promise.all(writers.map((w) => w.client.end().catch(() => undefined)));
    await tearDown(db.pool);
  }
}
