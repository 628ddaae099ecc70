import { beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import { compareWithTruth } from '../lib/summary/compare';

const db = await createTestDatabase();

/** A "summary" table filled by hand and a truth query over a literal VALUES list. */
async function table(name: string, columns: string, rows: string): Promise<void> {
  await db.pool.query(
    `DROP TABLE IF EXISTS cmp."${name}"; CREATE TABLE cmp."${name}" (${columns})`,
  );
  if (rows) await db.pool.query(`INSERT INTO cmp."${name}" VALUES ${rows}`);
}

beforeAll(async () => {
  await db.pool.query('CREATE SCHEMA cmp');
});

describe('compareWithTruth, exact columns (EXCEPT ALL both ways)', () => {
  test('equal multisets, NULL keys included', async () => {
    await table('s', 'k int, n bigint', `(1, 2), (NULL, 3), (2, NULL)`);
    const truth = `SELECT * FROM (VALUES (NULL::int, 3::bigint), (2, NULL), (1, 2)) AS v(k, n)`;
    expect(
      await compareWithTruth(db.pool, { schema: 'cmp', table: 's' }, truth, ['k', 'n']),
    ).toEqual({
      missing: 0,
      extra: 0,
      sample: [],
    });
  });

  test('missing, extra and duplicate rows are counted as multisets', async () => {
    await table('s', 'k int, n bigint', `(1, 2), (1, 2), (5, 5)`);
    const truth = `SELECT * FROM (VALUES (1, 2::bigint), (3, 4)) AS v(k, n)`;
    const r = await compareWithTruth(db.pool, { schema: 'cmp', table: 's' }, truth, ['k', 'n']);
    expect(r.missing).toBe(1);
    expect(r.extra).toBe(2);
    expect(r.sample).toEqual(
      expect.arrayContaining([
        { kind: 'missing', row: { k: '3', n: '4' } },
        { kind: 'extra', row: { k: '1', n: '2' } },
        { kind: 'extra', row: { k: '5', n: '5' } },
      ]),
    );
  });

  test('samples keep every digit of a numeric', async () => {
    await table('s', 'k int, a numeric', `(1, 2.892857142857142857143)`);
    const truth = `SELECT 1 AS k, 2.8928571428571429::numeric AS a`;
    const r = await compareWithTruth(db.pool, { schema: 'cmp', table: 's' }, truth, ['k', 'a']);
    expect(r.sample).toEqual(
      expect.arrayContaining([
        { kind: 'missing', row: { k: '1', a: '2.8928571428571429' } },
        { kind: 'extra', row: { k: '1', a: '2.892857142857142857143' } },
      ]),
    );
  });

  test('numeric compares by value (1.0 = 1.00), arrays and text exactly', async () => {
    await table('s', 'k text, n numeric, a text[]', `('x', 1.0, '{a,NULL}')`);
    const ok = `SELECT 'x'::text AS k, 1.00::numeric AS n, ARRAY['a', NULL] AS a`;
    expect(
      (await compareWithTruth(db.pool, { schema: 'cmp', table: 's' }, ok, ['k', 'n', 'a'])).missing,
    ).toBe(0);
    const bad = `SELECT 'x'::text AS k, 1.00::numeric AS n, ARRAY[NULL, 'a'] AS a`;
    expect(
      await compareWithTruth(db.pool, { schema: 'cmp', table: 's' }, bad, ['k', 'n', 'a']),
    ).toMatchObject({
      missing: 1,
      extra: 1,
    });
  });

  test('only the visible columns are compared', async () => {
    await table('s', 'k int, n bigint, _tally_count bigint', `(1, 2, 99)`);
    const r = await compareWithTruth(
      db.pool,
      { schema: 'cmp', table: 's' },
      'SELECT 1 AS k, 2::bigint AS n',
      ['k', 'n'],
    );
    expect(r).toMatchObject({ missing: 0, extra: 0 });
  });

  test('hostile schema, table and column names are quoted', async () => {
    const schema = 'a"; drop table cmp.canary; --';
    await db.pool.query(`CREATE TABLE cmp.canary (x int)`);
    await db.pool.query(`CREATE SCHEMA "a""; drop table cmp.canary; --"`);
    await db.pool.query(
      `CREATE TABLE "a""; drop table cmp.canary; --"."select" ("group" int, "we""ird col" int)`,
    );
    await db.pool.query(`INSERT INTO "a""; drop table cmp.canary; --"."select" VALUES (1, 2)`);
    const truth = `SELECT 1 AS "group", 2 AS "we""ird col"`;
    const r = await compareWithTruth(db.pool, { schema, table: 'select' }, truth, [
      'group',
      'we"ird col',
    ]);
    expect(r).toMatchObject({ missing: 0, extra: 0 });
    await expect(db.pool.query('SELECT * FROM cmp.canary')).resolves.toBeTruthy();
  });
});

describe('compareWithTruth, float columns within a tolerance', () => {
  test('last-bit differences pass, real differences do not', async () => {
    await table(
      'f',
      'k int, s float8, c bigint',
      `(1, 0.30000000000000004, 2), (2, 10, 1), (NULL, NULL, 0)`,
    );
    const truth = `SELECT * FROM (VALUES (1, 0.3::float8, 2::bigint), (2, 10.5, 1), (NULL, NULL, 0)) AS v(k, s, c)`;
    const r = await compareWithTruth(db.pool, { schema: 'cmp', table: 'f' }, truth, [
      'k',
      's',
      'c',
    ]);
    expect(r.missing).toBe(1);
    expect(r.extra).toBe(1);
    expect(r.sample).toEqual(
      expect.arrayContaining([
        { kind: 'missing', row: { k: '2', s: '10.5', c: '1' } },
        { kind: 'extra', row: { k: '2', s: '10', c: '1' } },
      ]),
    );
    const exact = await compareWithTruth(
      db.pool,
      { schema: 'cmp', table: 'f' },
      truth,
      ['k', 's', 'c'],
      {
        floatTolerance: 0,
      },
    );
    expect(exact).toMatchObject({ missing: 2, extra: 2 });
  });

  test('NULL against a value is a difference; NaN equals NaN', async () => {
    await table('f', 'k int, s float8', `(1, NULL), (2, 'NaN'), (3, 'Infinity')`);
    const truth = `SELECT * FROM (VALUES (1, 0::float8), (2, 'NaN'), (3, 'Infinity')) AS v(k, s)`;
    const r = await compareWithTruth(db.pool, { schema: 'cmp', table: 'f' }, truth, ['k', 's']);
    expect(r).toMatchObject({ missing: 1, extra: 1 });
  });

  test('duplicate exact columns pair up by float order; missing and extra rows', async () => {
    await table('f', 'k int, s float8', `(1, 1), (1, 2.0000000000001), (7, 7)`);
    const truth = `SELECT * FROM (VALUES (1, 2::float8), (1, 1), (8, 8)) AS v(k, s)`;
    const r = await compareWithTruth(db.pool, { schema: 'cmp', table: 'f' }, truth, ['k', 's'], {
      floatTolerance: 1e-9,
    });
    expect(r).toMatchObject({ missing: 1, extra: 1 });
  });

  test('a summary with no exact column (one row, float only)', async () => {
    await table('f', 's float8', `(0.1 + 0.2)`);
    expect(
      await compareWithTruth(db.pool, { schema: 'cmp', table: 'f' }, 'SELECT 0.3::float8 AS s', [
        's',
      ]),
    ).toMatchObject({ missing: 0, extra: 0 });
    expect(
      await compareWithTruth(
        db.pool,
        { schema: 'cmp', table: 'f' },
        'SELECT s FROM cmp.f WHERE false',
        ['s'],
      ),
    ).toMatchObject({ missing: 0, extra: 1 });
  });
});
