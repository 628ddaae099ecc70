import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import {
  createSourceSql,
  describeStatement,
  renderOperation,
  runTransaction,
  sourceTable,
  workloadArbitrary,
  type SourceShape,
  type Transaction,
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
import { compareWithTruth } from '../lib/summary/compare';
import { qualify } from '../lib/db/ident';
import { DefinitionError } from '../lib/errors';
import { createSummary } from '../lib/summary/create-summary';

/**
 * Differential tests (DESIGN.md § Tests): random transactions against a source table with
 * summaries installed; after every transaction, committed or rolled back, each summary must
 * equal its defining query (EXCEPT ALL both ways, floats within a tolerance).
 *
 * Every aggregate kind is tested with and without FILTER, under three shapes at once: NULL-able
 * column keys; expression keys with a WHERE; and no GROUP BY (one row, always there).
 * TALLY_DIFF_RUNS sets the random runs per kind; TALLY_DIFF_BUDGET_MS caps the time per kind
 * (runs stop early on a loaded machine; a failure found in time is still shrunk and reported
 * until the cap), so the file stays around a minute.
 */

const RUNS = Number(process.env.TALLY_DIFF_RUNS ?? 10);
const BUDGET_MS = Number(process.env.TALLY_DIFF_BUDGET_MS ?? 2500);
const SCHEMA = 'diff';
const ACTOR = 'differential-test';

const db = await createTestDatabase();
let client: pg.PoolClient;

beforeAll(async () => {
  client = await db.pool.connect();
  await client.query(`CREATE SCHEMA ${SCHEMA}`);
});
afterAll(() => client?.release());

function shapeFor(table: string): SourceShape {
  return {
    schema: SCHEMA,
    table,
    columns: [
      { name: 'k', type: 'int', domain: [null, 0, 1, 2, 3] },
      { name: 'k2', type: 'text', domain: [null, 'x', 'y'] },
      { name: 'live', type: 'bool' },
      { name: 'i', type: 'int' },
      { name: 'b', type: 'bigint' },
      { name: 'n', type: 'numeric' },
      { name: 'f', type: 'float8' },
      { name: 'd', type: 'date' },
      { name: 't', type: 'text' },
      { name: 'flag', type: 'bool' },
      { name: 'ts', type: 'timestamptz' },
      { name: 'data', type: 'jsonb' },
    ],
  };
}

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

/** Throws with the drift and the statements that led to it. */
async function expectExact(summaries: readonly Installed[], log: readonly string[]): Promise<void> {
  for (const s of summaries) {
    const r = await compareWithTruth(client, targetOf(s.def), s.definingQuery, s.columns);
    if (r.missing || r.extra) {
      const contents = await client.query(
        `SELECT * FROM ${qualify(s.def.source.schema, s.def.source.table)} ORDER BY id`,
      );
      throw new Error(
        [
          `summary ${s.def.name} drifted: ${r.missing} missing, ${r.extra} extra`,
          `sample: ${JSON.stringify(r.sample)}`,
          `defining query:\n${s.definingQuery}`,
          `statements:\n  ${log.join('\n  ')}`,
          `source rows now: ${JSON.stringify(contents.rows)}`,
        ].join('\n'),
      );
    }
  }
}

/** One property run: start empty, apply the transactions, check after each. */
async function checkWorkload(
  shape: SourceShape,
  summaries: readonly Installed[],
  txs: readonly Transaction[],
): Promise<void> {
  const log: string[] = [`TRUNCATE ${sourceTable(shape)}`];
  await client.query(`TRUNCATE ${sourceTable(shape)}`);
  await expectExact(summaries, log);
  for (const tx of txs) {
    log.push('BEGIN');
    try {
      await runTransaction(client, shape, tx, { log });
    } catch (e) {
      throw new Error(`${(e as Error).message}\nstatements:\n  ${log.join('\n  ')}`, { cause: e });
    }
    await expectExact(summaries, log);
  }
}

interface AggregateKind {
  readonly label: string;
  readonly fn: DefinitionInput['aggregates'][number]['fn'];
  readonly arg?: string;
  readonly orderBy?: { expr: string; direction?: 'asc' | 'desc' }[];
  /** the FILTER of the second column */
  readonly filter: string;
}

const KINDS: readonly AggregateKind[] = [
  { label: 'count_star', fn: 'count', filter: 'flag' },
  { label: 'count_x', fn: 'count', arg: 't', filter: 'i > 0' },
  { label: 'count_distinct', fn: 'count_distinct', arg: 't', filter: 'flag' },
  { label: 'sum_int', fn: 'sum', arg: 'i', filter: 'flag' },
  { label: 'sum_bigint', fn: 'sum', arg: 'b', filter: 'i > 0' },
  { label: 'sum_numeric', fn: 'sum', arg: 'n', filter: 'flag' },
  { label: 'sum_float8', fn: 'sum', arg: 'f', filter: 'i > 0' },
  { label: 'avg_int', fn: 'avg', arg: 'i', filter: 'flag' },
  { label: 'avg_numeric', fn: 'avg', arg: 'n', filter: 'i > 0' },
  { label: 'avg_float8', fn: 'avg', arg: 'f', filter: 'flag' },
  { label: 'min_int', fn: 'min', arg: 'i', filter: 'flag' },
  { label: 'max_int', fn: 'max', arg: 'i', filter: 'flag' },
  { label: 'min_date', fn: 'min', arg: 'd', filter: 'i > 0' },
  { label: 'max_date', fn: 'max', arg: 'd', filter: 'i > 0' },
  { label: 'min_text', fn: 'min', arg: 't', filter: 'flag' },
  { label: 'max_text', fn: 'max', arg: 't', filter: 'flag' },
  { label: 'bool_and', fn: 'bool_and', arg: 'flag', filter: 'i > 0' },
  { label: 'bool_or', fn: 'bool_or', arg: 'flag', filter: 'i > 0' },
  {
    label: 'array_agg',
    fn: 'array_agg',
    arg: 't',
    orderBy: [{ expr: 'i' }, { expr: 'id' }],
    filter: "data->>'k' IS NOT NULL",
  },
  {
    label: 'array_agg_desc',
    fn: 'array_agg',
    arg: 'd',
    orderBy: [
      { expr: 'n', direction: 'desc' },
      { expr: 'id', direction: 'desc' },
    ],
    filter: 'flag',
  },
];

function aggregatesOf(kind: AggregateKind): DefinitionInput['aggregates'] {
  const base = {
    fn: kind.fn,
    ...(kind.arg ? { arg: kind.arg } : {}),
    ...(kind.orderBy ? { orderBy: kind.orderBy } : {}),
  };
  return [
    { name: 'v', ...base },
    { name: 'v_filtered', ...base, filter: kind.filter },
  ];
}

describe.each(KINDS)('$label: summary ≡ defining query after every transaction', (kind) => {
  const shape = shapeFor(kind.label);
  const summaries: Installed[] = [];

  beforeAll(async () => {
    await client.query(createSourceSql(shape));
    const source = { schema: SCHEMA, table: kind.label };
    summaries.push(
      await install({
        shape: 'aggregate',
        name: `${kind.label}_by_keys`,
        source,
        groupBy: [
          { kind: 'column', column: 'k' },
          { kind: 'column', column: 'k2', name: 'key two' },
        ],
        aggregates: aggregatesOf(kind),
      }),
      await install({
        shape: 'aggregate',
        name: `${kind.label}_by_expr`,
        source,
        filter: 'live',
        groupBy: [
          { kind: 'expression', expr: "(ts AT TIME ZONE 'UTC')::date", name: 'day' },
          { kind: 'expression', expr: "data->>'k'", name: 'dk' },
        ],
        aggregates: aggregatesOf(kind),
      }),
      await install({
        shape: 'aggregate',
        name: `${kind.label}_total`,
        source,
        filter: 'k IS NOT NULL',
        groupBy: [],
        aggregates: aggregatesOf(kind),
      }),
    );
  });

  test('random multi-row inserts, moving updates, deletes, upserts, truncates, savepoints', async () => {
    await fc.assert(
      fc.asyncProperty(workloadArbitrary(shape), (txs) => checkWorkload(shape, summaries, txs)),
      { numRuns: RUNS, interruptAfterTimeLimit: BUDGET_MS },
    );
  }, 120_000);
});

describe('every aggregate in one summary', () => {
  const shape = shapeFor('kitchen_sink_src');
  const summaries: Installed[] = [];

  beforeAll(async () => {
    await client.query(createSourceSql(shape));
    summaries.push(
      await install({
        shape: 'aggregate',
        name: 'kitchen_sink',
        source: { schema: SCHEMA, table: 'kitchen_sink_src' },
        filter: "live IS NOT FALSE AND (data->>'k') IS DISTINCT FROM 'b'",
        groupBy: [
          { kind: 'column', column: 'k' },
          { kind: 'expression', expr: "(ts AT TIME ZONE 'UTC')::date", name: 'day' },
        ],
        aggregates: KINDS.flatMap((kind) =>
          aggregatesOf(kind).map((a) => ({ ...a, name: `${kind.label}_${a.name}` })),
        ),
      }),
    );
  });

  test('random workload', async () => {
    await fc.assert(
      fc.asyncProperty(workloadArbitrary(shape, { maxRows: 20 }), (txs) =>
        checkWorkload(shape, summaries, txs),
      ),
      { numRuns: RUNS * 2, interruptAfterTimeLimit: BUDGET_MS * 2 },
    );
  }, 120_000);
});

describe('installing on a table that already has rows', () => {
  test('create populates the summary to equal the defining query', async () => {
    // Its own connection: a property run cut off by interruptAfterTimeLimit above may still be
    // finishing its last statements on the shared client.
    const client = await db.connect();
    const shape = shapeFor('prefilled_src');
    await client.query(createSourceSql(shape));
    const sample = fc.sample(workloadArbitrary(shape, { maxTransactions: 8, truncateWeight: 0 }), {
      numRuns: 1,
      seed: 42,
    })[0]!;
    for (const tx of sample) await runTransaction(client, shape, { ...tx, commit: true });
    const s = await install({
      shape: 'aggregate',
      name: 'prefilled',
      source: { schema: SCHEMA, table: 'prefilled_src' },
      groupBy: [{ kind: 'column', column: 'k' }],
      aggregates: KINDS.flatMap((kind) =>
        aggregatesOf(kind).map((a) => ({ ...a, name: `${kind.label}_${a.name}` })),
      ),
    });
    await expectExact(
      [s],
      sample.flatMap((tx) =>
        tx.ops.flatMap((op) => renderOperation(shape, op).map(describeStatement)),
      ),
    );
  });
});

describe('edge cases found by reading the algebra', () => {
  /** A small table and one summary; returns a checker that runs statements then compares. */
  async function scenario(
    name: string,
    columns: string,
    input: Omit<DefinitionInput, 'source' | 'shape' | 'name'>,
  ) {
    await client.query(
      `CREATE TABLE ${SCHEMA}.${name} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ${columns})`,
    );
    const s = await install({
      shape: 'aggregate',
      name: `${name}_summary`,
      source: { schema: SCHEMA, table: name },
      ...input,
    });
    const log: string[] = [];
    return async (...statements: string[]) => {
      for (const stmt of statements) {
        log.push(stmt);
        await client.query(stmt);
      }
      await expectExact([s], log);
    };
  }

  test('avg(numeric) keeps the display scale of the rows that remain', async () => {
    // avg is sum/count; a sum kept by deltas remembers the scale of a value that was deleted
    // (0.000…1 has scale 21), so 1/3 would come out with 21 digits instead of 16.
    const run = await scenario('avg_scale', 'g int, n numeric', {
      groupBy: [{ kind: 'column', column: 'g' }],
      aggregates: [
        { name: 'a', fn: 'avg', arg: 'n' },
        { name: 's', fn: 'sum', arg: 'n' },
      ],
    });
    await run(
      `INSERT INTO ${SCHEMA}.avg_scale (g, n) VALUES (1, 0.000000000000000000001), (1, 1), (1, 0), (1, 0)`,
    );
    await run(`DELETE FROM ${SCHEMA}.avg_scale WHERE n = 0.000000000000000000001`);
  });

  test('avg(numeric) over mixed scales, NaN and ±Infinity through inserts, updates and deletes', async () => {
    // numeric_avg rounds nothing: it divides a sum whose scale is the largest scale present
    const T = `${SCHEMA}.avg_mixed`;
    const run = await scenario('avg_mixed', 'g int, n numeric', {
      groupBy: [{ kind: 'column', column: 'g' }],
      aggregates: [
        { name: 'a', fn: 'avg', arg: 'n' },
        { name: 's', fn: 'sum', arg: 'n' },
      ],
    });
    await run(`INSERT INTO ${T} (g, n) VALUES (1, 1.5), (1, 2.25), (1, 3), (2, 0.125), (2, 'Infinity'), (3, 7), (3, 0.1)`);
    await run(`UPDATE ${T} SET n = n + 0.0001 WHERE n = 3`);
    await run(`DELETE FROM ${T} WHERE n = 2.25`);
    await run(`INSERT INTO ${T} (g, n) VALUES (2, '-Infinity'), (3, 'NaN'), (1, 0.1)`);
    await run(`DELETE FROM ${T} WHERE n = 'NaN'`);
    await run(`UPDATE ${T} SET n = 1 WHERE n = 'Infinity'`);
    await run(`DELETE FROM ${T} WHERE n = 3.0001`);
    await run(`UPDATE ${T} SET g = 1 WHERE g = 3`);
    await run(`DELETE FROM ${T} WHERE n = '-Infinity'`);
    await run(`DELETE FROM ${T} WHERE n = 0.125`);
  });

  test('sum(bigint) does not overflow where the aggregate (numeric) does not', async () => {
    const run = await scenario('big_sum', 'g int, b bigint', {
      groupBy: [{ kind: 'column', column: 'g' }],
      aggregates: [
        { name: 's', fn: 'sum', arg: 'b' },
        { name: 'a', fn: 'avg', arg: 'b' },
      ],
    });
    await run(
      `INSERT INTO ${SCHEMA}.big_sum (g, b) VALUES (1, 9223372036854775807), (1, 9223372036854775807)`,
    );
    await run(`DELETE FROM ${SCHEMA}.big_sum WHERE id = (SELECT min(id) FROM ${SCHEMA}.big_sum)`);
  });

  test('float sums through NaN and Infinity come back when those rows leave', async () => {
    const run = await scenario('float_special', 'g int, f float8', {
      groupBy: [{ kind: 'column', column: 'g' }],
      aggregates: [
        { name: 's', fn: 'sum', arg: 'f' },
        { name: 'a', fn: 'avg', arg: 'f' },
      ],
    });
    await run(
      `INSERT INTO ${SCHEMA}.float_special (g, f) VALUES (1, 1.5), (1, 'Infinity'), (2, 2), (2, 'NaN')`,
    );
    await run(`DELETE FROM ${SCHEMA}.float_special WHERE f IN ('Infinity', 'NaN')`);
  });

  test('numeric NaN in a sum comes back out', async () => {
    const run = await scenario('numeric_nan', 'g int, n numeric', {
      groupBy: [{ kind: 'column', column: 'g' }],
      aggregates: [{ name: 's', fn: 'sum', arg: 'n' }],
    });
    await run(`INSERT INTO ${SCHEMA}.numeric_nan (g, n) VALUES (1, 1.5), (1, 'NaN')`);
    await run(`DELETE FROM ${SCHEMA}.numeric_nan WHERE n = 'NaN'`);
  });

  test('no GROUP BY: one row even when the source is empty (count 0, sum NULL)', async () => {
    const run = await scenario('empty_total', 'g int, x int', {
      groupBy: [],
      aggregates: [
        { name: 'c', fn: 'count' },
        { name: 's', fn: 'sum', arg: 'x' },
        { name: 'm', fn: 'max', arg: 'x' },
        { name: 'a', fn: 'array_agg', arg: 'x', orderBy: [{ expr: 'id' }] },
      ],
    });
    await run();
    await run(`INSERT INTO ${SCHEMA}.empty_total (g, x) VALUES (1, 5), (2, NULL)`);
    await run(`DELETE FROM ${SCHEMA}.empty_total`);
    await run(
      `INSERT INTO ${SCHEMA}.empty_total (g, x) VALUES (1, 5)`,
      `TRUNCATE ${SCHEMA}.empty_total`,
    );
  });

  test('an UPDATE that changes nothing the summary reads, and one that swaps two rows between groups', async () => {
    const run = await scenario('swap', 'g int, x int, other text', {
      groupBy: [{ kind: 'column', column: 'g' }],
      aggregates: [
        { name: 'c', fn: 'count' },
        { name: 'mn', fn: 'min', arg: 'x' },
        { name: 'cd', fn: 'count_distinct', arg: 'x' },
      ],
    });
    await run(`INSERT INTO ${SCHEMA}.swap (g, x) VALUES (1, 1), (2, 2)`);
    await run(`UPDATE ${SCHEMA}.swap SET other = 'o'`);
    await run(`UPDATE ${SCHEMA}.swap SET g = 3 - g`);
    await run(`UPDATE ${SCHEMA}.swap SET x = x + 10 WHERE g = 1`);
  });

  test('writes through a chain of statements in one transaction, partly rolled back to a savepoint', async () => {
    const run = await scenario('subxact', 'g int, x int', {
      groupBy: [{ kind: 'column', column: 'g' }],
      aggregates: [
        { name: 'c', fn: 'count' },
        { name: 'mx', fn: 'max', arg: 'x' },
      ],
    });
    await run(
      'BEGIN',
      `INSERT INTO ${SCHEMA}.subxact (g, x) VALUES (1, 1), (1, 9)`,
      'SAVEPOINT a',
      `DELETE FROM ${SCHEMA}.subxact WHERE x = 9`,
      `INSERT INTO ${SCHEMA}.subxact (g, x) VALUES (2, 2)`,
      'ROLLBACK TO SAVEPOINT a',
      `UPDATE ${SCHEMA}.subxact SET g = 2 WHERE x = 1`,
      'COMMIT',
    );
  });

  // One statement can fire several of a summary's triggers: INSERT … ON CONFLICT DO UPDATE
  // (UPDATE's, then INSERT's), MERGE, a writable CTE. Each trigger sees only its own event's
  // rows, but a recompute reads the source after the whole statement.
  test('an upsert that updates one row and inserts another into the same group (sum(numeric) + count(DISTINCT))', async () => {
    const run = await scenario('upsert_mixed', 'pk int UNIQUE, g int, n numeric, t text', {
      groupBy: [{ kind: 'column', column: 'g' }],
      aggregates: [
        { name: 's', fn: 'sum', arg: 'n' },
        { name: 'kinds', fn: 'count_distinct', arg: 't' },
      ],
    });
    await run(`INSERT INTO ${SCHEMA}.upsert_mixed (pk, g, n, t) VALUES (1, 1, 10, 'a')`);
    await run(
      `INSERT INTO ${SCHEMA}.upsert_mixed (pk, g, n, t) VALUES (1, 1, 20, 'b'), (2, 1, 3, 'c')
       ON CONFLICT (pk) DO UPDATE SET n = EXCLUDED.n, t = EXCLUDED.t`,
    );
  });

  test('a MERGE that updates and inserts in one group (sum(numeric) + array_agg)', async () => {
    const run = await scenario('merge_mixed', 'pk int UNIQUE, g int, n numeric', {
      groupBy: [{ kind: 'column', column: 'g' }],
      aggregates: [
        { name: 's', fn: 'sum', arg: 'n' },
        { name: 'ns', fn: 'array_agg', arg: 'n', orderBy: [{ expr: 'pk' }] },
      ],
    });
    await run(`INSERT INTO ${SCHEMA}.merge_mixed (pk, g, n) VALUES (1, 1, 10), (2, 1, 1)`);
    await run(
      `MERGE INTO ${SCHEMA}.merge_mixed t USING (VALUES (1, 5), (2, NULL), (3, 7)) AS v(pk, n) ON t.pk = v.pk
       WHEN MATCHED AND v.n IS NULL THEN DELETE
       WHEN MATCHED THEN UPDATE SET n = v.n
       WHEN NOT MATCHED THEN INSERT (pk, g, n) VALUES (v.pk, 1, v.n)`,
    );
  });

  test('an upsert that replaces a NaN and inserts into the same group (sum(numeric) alone)', async () => {
    const run = await scenario('upsert_nan', 'pk int UNIQUE, g int, n numeric', {
      groupBy: [{ kind: 'column', column: 'g' }],
      aggregates: [{ name: 's', fn: 'sum', arg: 'n' }],
    });
    await run(`INSERT INTO ${SCHEMA}.upsert_nan (pk, g, n) VALUES (1, 1, 'NaN'), (2, 1, 1)`);
    await run(
      `INSERT INTO ${SCHEMA}.upsert_nan (pk, g, n) VALUES (1, 1, 5), (3, 1, 3) ON CONFLICT (pk) DO UPDATE SET n = EXCLUDED.n`,
    );
  });

  test('a timestamptz key pinned with AT TIME ZONE does not depend on the session TimeZone', async () => {
    const run = await scenario('tz', 'ts timestamptz, x int', {
      groupBy: [{ kind: 'expression', expr: "(ts AT TIME ZONE 'UTC')::date", name: 'day' }],
      aggregates: [{ name: 'c', fn: 'count' }],
    });
    await run(
      `SET TimeZone = 'Asia/Tokyo'`,
      `INSERT INTO ${SCHEMA}.tz (ts, x) VALUES ('2024-01-01 23:30:00+00', 1)`,
      `SET TimeZone = 'America/Los_Angeles'`,
      `INSERT INTO ${SCHEMA}.tz (ts, x) VALUES ('2024-01-01 23:40:00+00', 1)`,
      `DELETE FROM ${SCHEMA}.tz WHERE x = 1 AND ts < '2024-01-01 23:35:00+00'`,
      'RESET TimeZone',
    );
  });
});

describe('writes that reach the source without naming it', () => {
  /** Either refused with a DefinitionError on source, or exact after the writes. */
  async function refusedOrExact(
    name: string,
    table: string,
    writes: readonly string[],
  ): Promise<void> {
    const input: DefinitionInput = {
      shape: 'aggregate',
      name,
      source: { schema: SCHEMA, table },
      groupBy: [{ kind: 'column', column: 'k' }],
      aggregates: [
        { name: 'c', fn: 'count' },
        { name: 's', fn: 'sum', arg: 'v' },
      ],
    };
    let s: Installed;
    try {
      s = await install(input);
    } catch (e) {
      expect(e).toBeInstanceOf(DefinitionError);
      expect((e as DefinitionError).issues.map((i) => i.field).join(' ')).toMatch(/^source/);
      return;
    }
    for (const w of writes) await client.query(w);
    await expectExact([s], writes);
  }

  test('a partition as the source: writes made through the partitioned parent', async () => {
    await client.query(`CREATE TABLE ${SCHEMA}.pt (id int, k int, v int) PARTITION BY RANGE (id);
      CREATE TABLE ${SCHEMA}.pt_low PARTITION OF ${SCHEMA}.pt FOR VALUES FROM (0) TO (100);
      CREATE TABLE ${SCHEMA}.pt_high PARTITION OF ${SCHEMA}.pt FOR VALUES FROM (100) TO (200);`);
    await refusedOrExact('pt_low_summary', 'pt_low', [
      `INSERT INTO ${SCHEMA}.pt VALUES (1, 1, 10), (2, 1, 5), (3, 2, 7)`,
      `UPDATE ${SCHEMA}.pt SET v = v + 1`,
      `DELETE FROM ${SCHEMA}.pt WHERE id = 2`,
      `UPDATE ${SCHEMA}.pt SET id = 150 WHERE id = 1`,
    ]);
  });

  test('an inheritance child as the source: writes made through its parent', async () => {
    await client.query(`CREATE TABLE ${SCHEMA}.ih_parent (id int, k int, v int);
      CREATE TABLE ${SCHEMA}.ih_child () INHERITS (${SCHEMA}.ih_parent);`);
    await refusedOrExact('ih_child_summary', 'ih_child', [
      `INSERT INTO ${SCHEMA}.ih_child VALUES (1, 1, 10), (2, 1, 5)`,
      `UPDATE ${SCHEMA}.ih_parent SET v = v + 100`,
      `DELETE FROM ${SCHEMA}.ih_parent WHERE id = 2`,
    ]);
  });

  test('MERGE, writable CTEs on the source, and foreign-key cascades that set keys NULL', async () => {
    await client.query(`CREATE TABLE ${SCHEMA}.fk_parent (id int PRIMARY KEY);
      INSERT INTO ${SCHEMA}.fk_parent SELECT generate_series(1, 9);
      CREATE TABLE ${SCHEMA}.fk_src (id int PRIMARY KEY, k int REFERENCES ${SCHEMA}.fk_parent ON DELETE SET NULL ON UPDATE CASCADE, v int);
      INSERT INTO ${SCHEMA}.fk_src VALUES (1, 1, 1), (2, 2, 2), (3, 3, 3), (5, 5, 5);`);
    await refusedOrExact('fk_src_summary', 'fk_src', [
      `MERGE INTO ${SCHEMA}.fk_src t USING (VALUES (1, 5, 50), (2, NULL, NULL), (4, 1, 40)) AS s(id, k, v) ON t.id = s.id
         WHEN MATCHED AND s.k IS NULL THEN DELETE
         WHEN MATCHED THEN UPDATE SET k = s.k, v = s.v
         WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.k, s.v)`,
      `WITH moved AS (DELETE FROM ${SCHEMA}.fk_src WHERE k = 1 RETURNING *) INSERT INTO ${SCHEMA}.fk_src SELECT id + 100, 7, v FROM moved`,
      `WITH u AS (UPDATE ${SCHEMA}.fk_src SET v = v + 1 WHERE k = 7 RETURNING *) DELETE FROM ${SCHEMA}.fk_src WHERE k = 3`,
      `DELETE FROM ${SCHEMA}.fk_parent WHERE id = 5`,
      `UPDATE ${SCHEMA}.fk_parent SET id = 70 WHERE id = 7`,
    ]);
  });
});

test('the summary tables reject direct writes', async () => {
  const s = await install({
    shape: 'aggregate',
    name: 'guarded',
    source: { schema: SCHEMA, table: 'count_star' },
    groupBy: [{ kind: 'column', column: 'k' }],
    aggregates: [{ name: 'c', fn: 'count' }],
  });
  const target = targetOf(s.def);
  await client.query(`INSERT INTO ${SCHEMA}.count_star (k) VALUES (1)`);
  await expect(client.query(`UPDATE ${SCHEMA}.${target.table} SET c = c + 1`)).rejects.toThrow();
  await expect(client.query(`DELETE FROM ${SCHEMA}.${target.table}`)).rejects.toThrow();
  await expectExact([s], []);
});
