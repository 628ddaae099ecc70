import { beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import { definition, type DefinitionInput } from '../../lib/definition/definition';
import { DefinitionError } from '../../lib/errors';
import { generateSql } from '../../lib/sqlgen/generate';
import { resolveDefinition } from '../../lib/summary/resolve';

/**
 * resolveDefinition asks PostgreSQL itself: unknown names, type errors, non-immutable
 * expressions and unlockable key types come back as DefinitionErrors naming the field, and
 * nothing is left behind in the database or in the caller's transaction.
 */

const db = await createTestDatabase();

beforeAll(async () => {
  await db.pool.query(`
    CREATE SCHEMA app;
    CREATE TABLE app.ev (
      id bigserial PRIMARY KEY,
      user_id integer NOT NULL,
      team text COLLATE "C",
      code varchar(20),
      amount numeric(10,2),
      qty integer,
      flags bit(3),
      spot point,
      doc json,
      ts timestamp,
      tz timestamptz,
      price money
    );
    CREATE INDEX ev_user_idx ON app.ev (user_id);
    CREATE INDEX ev_team_day_idx ON app.ev (team, ((tz AT TIME ZONE 'UTC')::date));
    CREATE VIEW app.v AS SELECT * FROM app.ev;
    CREATE TABLE app.parted (id int, k int) PARTITION BY RANGE (id);
    CREATE FUNCTION public.twice(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 2';`);
});

function def(over: Partial<DefinitionInput> & Pick<DefinitionInput, 'aggregates'>): ReturnType<typeof definition.parse> {
  return definition.parse({
    shape: 'aggregate',
    name: 'ev_sum',
    source: { schema: 'app', table: 'ev' },
    groupBy: [{ kind: 'column', column: 'user_id' }],
    ...over,
  });
}

async function refusal(d: ReturnType<typeof definition.parse>): Promise<DefinitionError> {
  const e = await resolveDefinition(db.pool, d).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(DefinitionError);
  return e as DefinitionError;
}

const COUNT = [{ name: 'n', fn: 'count' as const }];

describe('unknown names', () => {
  test('schema, table, columns, expressions: each names its field', async () => {
    expect((await refusal(def({ source: { schema: 'nope', table: 'ev' }, aggregates: COUNT }))).issues[0]).toMatchObject({
      field: 'source.schema',
      message: 'schema nope does not exist',
    });
    expect((await refusal(def({ source: { schema: 'app', table: 'nope' }, aggregates: COUNT }))).issues[0]).toMatchObject({
      field: 'source.table',
      message: 'table app.nope does not exist',
    });
    const col = await refusal(def({ groupBy: [{ kind: 'column', column: 'nope' }], aggregates: COUNT }));
    expect(col.issues[0]).toMatchObject({ field: 'groupBy.0.column', message: 'column nope does not exist in app.ev' });
    const expr = await refusal(
      def({
        groupBy: [{ kind: 'column', column: 'user_id' }, { kind: 'expression', expr: 'lower(nope)', name: 'x' }],
        aggregates: [{ name: 's', fn: 'sum', arg: 'missing_col' }],
      }),
    );
    expect(expr.issues.map((i) => [i.field, i.message])).toEqual([
      ['groupBy.1.expr', 'column "nope" does not exist'],
      ['aggregates.0.arg', 'column "missing_col" does not exist'],
    ]);
    expect(expr.issues[0]!.position).toBe(7);
  });

  test('views, partitioned tables and the summary as its own source are refused with the reason', async () => {
    expect((await refusal(def({ source: { schema: 'app', table: 'v' }, aggregates: COUNT }))).message).toMatch(
      /app\.v is a view/,
    );
    expect((await refusal(def({ source: { schema: 'app', table: 'parted' }, groupBy: [], aggregates: COUNT }))).message).toMatch(
      /partitioned table: statement-level triggers on the parent do not fire/,
    );
    expect((await refusal(def({ target: { table: 'ev' }, aggregates: COUNT }))).issues[0]!.field).toBe('target.table');
    expect((await refusal(def({ target: { schema: 'nope' }, aggregates: COUNT }))).issues[0]!.field).toBe('target.schema');
  });
});

describe("PostgreSQL's own type errors, verbatim, on the field", () => {
  test('aggregate over the wrong type, non-boolean filters, missing orderings', async () => {
    const e = await refusal(
      def({
        filter: 'qty + 1',
        aggregates: COUNT,
      }),
    );
    expect(e.issues[0]).toMatchObject({ field: 'filter', message: 'argument of WHERE must be type boolean, not type integer' });

    const f = await refusal(def({ aggregates: [{ name: 'n', fn: 'count', filter: "code || 'x'" }] }));
    expect(f.issues[0]!.field).toBe('aggregates.0.filter');
    expect(f.issues[0]!.message).toMatch(/must be type boolean/);

    const s = await refusal(def({ aggregates: [{ name: 's', fn: 'sum', arg: 'code' }] }));
    expect(s.issues[0]).toMatchObject({
      field: 'aggregates.0.arg',
      message: 'sum(code) is not valid: function sum(character varying) does not exist',
    });

    const m = await refusal(def({ aggregates: [{ name: 'm', fn: 'min', arg: 'spot' }] }));
    expect(m.issues[0]!.message).toBe('min() needs a type with an ordering: function min(point) does not exist');

    const cd = await refusal(def({ aggregates: [{ name: 'c', fn: 'count_distinct', arg: 'doc' }] }));
    expect(cd.issues[0]!.message).toMatch(/could not identify an equality operator for type json/);

    const g = await refusal(def({ groupBy: [{ kind: 'column', column: 'doc' }], aggregates: COUNT }));
    expect(g.issues[0]).toMatchObject({ field: 'groupBy.0.column' });
    expect(g.issues[0]!.message).toMatch(/cannot group by doc: could not identify an equality operator for type json/);
  });

  test('functions outside pg_catalog must be schema-qualified (the triggers pin search_path)', async () => {
    const e = await refusal(def({ aggregates: [{ name: 's', fn: 'sum', arg: 'twice(qty)' }] }));
    expect(e.issues[0]!.field).toBe('aggregates.0.arg');
    expect(e.issues[0]!.hint).toMatch(/search_path = pg_catalog: schema-qualify/);
    await resolveDefinition(db.pool, def({ aggregates: [{ name: 's', fn: 'sum', arg: 'public.twice(qty)' }] }));
  });

  test('types Tally cannot maintain or lock are refused with the reason', async () => {
    const key = await refusal(def({ groupBy: [{ kind: 'column', column: 'flags' }], aggregates: COUNT }));
    expect(key.issues[0]!.message).toMatch(/group key flags of type bit\(3\) cannot be maintained: PostgreSQL has no hash function/);
    const moneyKey = await refusal(def({ groupBy: [{ kind: 'column', column: 'price' }], aggregates: COUNT }));
    expect(moneyKey.issues[0]!.field).toBe('groupBy.0.column');

    const sum = await refusal(def({ aggregates: [{ name: 's', fn: 'sum', arg: "interval '1 day' * 0 + '1'::cash" }] }));
    expect(sum.issues[0]!.field).toBe('aggregates.0.arg');

    const arr = await refusal(def({ aggregates: [{ name: 'a', fn: 'array_agg', arg: 'code' }] }));
    expect(arr.issues[0]).toMatchObject({ field: 'aggregates.0.orderBy' });
    expect(arr.issues[0]!.message).toMatch(/no defined order/);
  });
});

describe('immutability, checked by PostgreSQL', () => {
  test('casting timestamptz to date: the reason and a concrete rewrite', async () => {
    const e = await refusal(
      def({ groupBy: [{ kind: 'column', column: 'user_id' }, { kind: 'expression', expr: 'tz::date', name: 'day' }], aggregates: COUNT }),
    );
    expect(e.issues[0]).toEqual({
      field: 'groupBy.1.expr',
      message: 'tz::date is not immutable (casting timestamptz depends on the session TimeZone)',
      hint: "use (tz AT TIME ZONE 'UTC')::date (or the time zone your day boundaries belong to)",
    });
  });

  test('date_trunc on timestamptz, in a filter and an aggregate argument too', async () => {
    const e = await refusal(
      def({
        groupBy: [{ kind: 'expression', expr: "date_trunc('day', tz)", name: 'day' }],
        filter: "tz::date > '2024-01-01'",
        aggregates: [{ name: 'm', fn: 'max', arg: "date_trunc('hour', tz)" }],
      }),
    );
    expect(e.issues.map((i) => i.field)).toEqual(['groupBy.0.expr', 'aggregates.0.arg', 'filter']);
    expect(e.issues[0]!.message).toBe("date_trunc('day', tz) is not immutable (date_trunc() on timestamptz depends on the session TimeZone)");
    expect(e.issues[0]!.hint).toMatch(/^use date_trunc\('day', \(tz AT TIME ZONE 'UTC'\)\)/);
  });

  test('other stable functions get a generic explanation', async () => {
    const e = await refusal(
      def({ groupBy: [{ kind: 'expression', expr: `to_char(ts, 'YYYY')`, name: 'y' }], aggregates: COUNT }),
    );
    expect(e.issues[0]!.message).toMatch(/^to_char\(ts, 'YYYY'\) is not immutable: PostgreSQL marks/);
  });

  test('the UTC rewrite is accepted', async () => {
    const r = await resolveDefinition(
      db.pool,
      def({ groupBy: [{ kind: 'expression', expr: "(tz AT TIME ZONE 'UTC')::date", name: 'day' }], aggregates: COUNT }),
    );
    expect(r.keys[0]).toMatchObject({ name: 'day', type: 'date', notNull: false });
  });
});

describe('what resolve reads', () => {
  test('output types with typmods, collations, nullability, lock class', async () => {
    const r = await resolveDefinition(
      db.pool,
      def({
        groupBy: [
          { kind: 'column', column: 'user_id' },
          { kind: 'column', column: 'team' },
          { kind: 'column', column: 'code' },
        ],
        aggregates: [
          { name: 'n', fn: 'count' },
          { name: 's', fn: 'sum', arg: 'amount' },
          { name: 'a', fn: 'avg', arg: 'qty' },
          { name: 'm', fn: 'min', arg: 'team' },
          { name: 'codes', fn: 'array_agg', arg: 'code', orderBy: [{ expr: 'id' }] },
        ],
      }),
    );
    expect(r.keys.map((k) => [k.name, k.type, k.notNull, k.collation])).toEqual([
      ['user_id', 'integer', true, undefined],
      ['team', 'text', false, 'pg_catalog."C"'],
      ['code', 'character varying(20)', false, undefined],
    ]);
    expect(r.aggregates.map((a) => [a.name, a.type, a.argType, a.argBaseType, a.collation])).toEqual([
      ['n', 'bigint', undefined, undefined, undefined],
      ['s', 'numeric', 'numeric(10,2)', 'numeric', undefined],
      ['a', 'numeric', 'integer', 'integer', undefined],
      ['m', 'text', 'text', 'text', 'pg_catalog."C"'],
      ['codes', 'character varying[]', 'character varying(20)', 'character varying', undefined],
    ]);
    expect(r.lockClass).toBe(generateSql(r).lockClass);
    expect(r.recomputeIndex).toMatchObject({ covers: 'leading' });
    expect(generateSql(r).warnings.map((w) => w.code)).toContain('source_index_partial');
  });

  test('an existing index on the keys (expressions included) serves the recompute: no index is created', async () => {
    const r = await resolveDefinition(
      db.pool,
      def({
        groupBy: [
          { kind: 'expression', expr: "(tz AT TIME ZONE 'UTC')::date", name: 'day' },
          { kind: 'column', column: 'team' },
        ],
        aggregates: [{ name: 'm', fn: 'max', arg: 'qty' }],
      }),
    );
    expect(r.recomputeIndex).toEqual({ name: 'ev_team_day_idx', covers: 'all' });
    expect(generateSql(r).concurrentIndexes).toEqual([]);
    const none = await resolveDefinition(
      db.pool,
      def({ groupBy: [{ kind: 'column', column: 'code' }], aggregates: [{ name: 'm', fn: 'max', arg: 'qty' }] }),
    );
    expect(none.recomputeIndex).toBeUndefined();
    expect(generateSql(none).concurrentIndexes).toEqual([
      '-- Recompute looks groups up by key on app.ev. Run before the install, outside a transaction.\nCREATE INDEX CONCURRENTLY IF NOT EXISTS tally_ev_sum_src ON app.ev (code);',
    ]);
  });

  test("nothing is left behind, and the caller's transaction stays usable", async () => {
    const before = (await db.pool.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE '_tally%'`)).rows[0].n;
    const c = await db.connect();
    await c.query('BEGIN');
    await c.query('CREATE TEMP TABLE mine (v int)');
    await resolveDefinition(c, def({ aggregates: [{ name: 'm', fn: 'max', arg: 'qty' }] }));
    await refusal(def({ groupBy: [{ kind: 'expression', expr: 'tz::date', name: 'd' }], aggregates: COUNT })).catch(() => undefined);
    await expect(resolveDefinition(c, def({ groupBy: [{ kind: 'expression', expr: 'tz::date', name: 'd' }], aggregates: COUNT }))).rejects.toThrow(
      DefinitionError,
    );
    await c.query('INSERT INTO mine VALUES (1)');
    expect((await c.query(`SELECT current_setting('search_path') AS p`)).rows[0].p).not.toMatch(/pg_temp$/);
    await c.query('COMMIT');
    const after = (await db.pool.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE '_tally%'`)).rows[0].n;
    expect(after).toBe(before);
    // a client outside any transaction: resolve runs its own and rolls it back
    await resolveDefinition(c, def({ aggregates: COUNT }));
    expect((await c.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE '_tally%'`)).rows[0].n).toBe(before);
  });

  test('in a READ ONLY transaction immutability cannot be checked: a warning says so', async () => {
    const c = await db.connect();
    await c.query('BEGIN READ ONLY');
    const r = await resolveDefinition(c, def({ aggregates: [{ name: 'm', fn: 'max', arg: 'qty' }] }));
    await c.query('COMMIT');
    expect(generateSql(r).warnings.map((w) => w.code)).toContain('unchecked_immutability');
  });
});
