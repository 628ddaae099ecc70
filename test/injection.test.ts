import { beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import { qualify, quoteIdent } from '../lib/db/ident';
import { DefinitionError } from '../lib/errors';
import { groupKeyName, targetOf, type DefinitionInput } from '../lib/definition/definition';
import { validateDefinition } from '../lib/definition/validate-definition';
import { normalizeDefinition } from '../lib/definition/normalize';
import { renderDefiningQuery } from '../lib/definition/defining-query';
import { compareWithTruth } from '../lib/summary/compare';
import { createSummary } from '../lib/summary/create-summary';
import { dropSummary } from '../lib/summary/drop-summary';

/**
 * Injection (PRODUCT.md, "Safety"; STYLE.md 12): hostile names are quoted everywhere and work;
 * hostile expressions are refused with a DefinitionError naming the field; afterwards every
 * table that existed still exists, with its rows, and nothing slow (pg_sleep) ran.
 */

const db = await createTestDatabase();
const ACTOR = 'injection-test';

const EVIL_SCHEMA = 'a"; drop table x; --';
const EVIL_TARGET_SCHEMA = "tgt'; drop table t; --";
const EVIL_TABLE = 'select';
const MAX_NAME = `${'é'.repeat(31)}x`; // 63 bytes in UTF-8
const COLUMNS = {
  key: 'with space',
  mixed: 'Mixed"Case',
  unicode: 'ünïcødé 名前',
  quote: "it's",
  long: MAX_NAME,
  backslash: 'back\\slash',
  reserved: 'group',
} as const;

async function tables(): Promise<string[]> {
  const { rows } = await db.pool.query<{ t: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  );
  return rows.map((r) => r.t);
}

async function canaryRows(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    'SELECT (SELECT count(*) FROM public.x) + (SELECT count(*) FROM public.t) + (SELECT count(*) FROM public.canary) AS n',
  );
  return Number(rows[0]!.n);
}

let before: string[];

beforeAll(async () => {
  // the tables the hostile strings try to drop
  await db.pool
    .query(`CREATE TABLE public.x (v int); CREATE TABLE public.t (v int); CREATE TABLE public.canary (v int);
    INSERT INTO public.x VALUES (1); INSERT INTO public.t VALUES (2); INSERT INTO public.canary VALUES (3);`);
  await db.pool.query(`CREATE SCHEMA ${quoteIdent(EVIL_SCHEMA)}`);
  await db.pool.query(`CREATE SCHEMA ${quoteIdent(EVIL_TARGET_SCHEMA)}`);
  await db.pool.query(
    `CREATE TABLE ${qualify(EVIL_SCHEMA, EVIL_TABLE)} (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       ${Object.values(COLUMNS)
         .map(
           (c) =>
             `${quoteIdent(c)} ${c === COLUMNS.key || c === COLUMNS.unicode ? 'text' : c === COLUMNS.backslash ? 'boolean' : 'integer'}`,
         )
         .join(',\n       ')}
     )`,
  );
  before = await tables();
});

function expectRefused(e: unknown, field: string): void {
  expect(e, `expected a DefinitionError for ${field}`).toBeInstanceOf(DefinitionError);
  const fields = (e as DefinitionError).issues.map((i) => i.field);
  expect(fields, (e as Error).message).toContain(field);
}

describe('hostile names are quoted and work', () => {
  const q = (c: string) => quoteIdent(c);
  const input: DefinitionInput = {
    shape: 'aggregate',
    name: 'evil_names',
    source: { schema: EVIL_SCHEMA, table: EVIL_TABLE },
    target: { schema: EVIL_TARGET_SCHEMA, table: 'sum"mary; drop table canary; --' },
    filter: `${q(COLUMNS.backslash)} IS NOT FALSE AND ${q(COLUMNS.reserved)} <> 13`,
    groupBy: [
      { kind: 'column', column: COLUMNS.key },
      { kind: 'column', column: COLUMNS.mixed, name: 'from' },
      {
        kind: 'expression',
        expr: `${q(COLUMNS.unicode)} || '"; drop table t; --'`,
        name: 'key"); drop table x; --',
      },
    ],
    aggregates: [
      { name: 'count "star"', fn: 'count' },
      { name: MAX_NAME, fn: 'sum', arg: q(COLUMNS.long) },
      {
        name: `${'z'.repeat(62)}y`,
        fn: 'avg',
        arg: q(COLUMNS.quote),
        filter: `${q(COLUMNS.reserved)} > 0`,
      },
      { name: 'select', fn: 'min', arg: q(COLUMNS.quote) },
      { name: "it's max", fn: 'max', arg: q(COLUMNS.long) },
      { name: 'distinct', fn: 'count_distinct', arg: q(COLUMNS.unicode) },
      {
        name: 'ünï',
        fn: 'array_agg',
        arg: q(COLUMNS.reserved),
        orderBy: [{ expr: q(COLUMNS.mixed) }, { expr: 'id' }],
      },
      { name: 'and"or', fn: 'bool_or', arg: `${q(COLUMNS.quote)} > 0` },
    ],
  };

  test('install, write, compare, drop', async () => {
    const def = validateDefinition(input);
    await createSummary(db.pool, def, { actor: ACTOR });
    const src = qualify(EVIL_SCHEMA, EVIL_TABLE);
    const cols = Object.values(COLUMNS).map(q).join(', ');
    await db.pool.query(
      `INSERT INTO ${src} (${cols})
       SELECT CASE WHEN g % 4 = 0 THEN NULL ELSE 'k''' || g % 3 END, g % 2, 'ü"' || g % 2, g % 5 - 2, g, g % 3 = 0, g % 4
         FROM generate_series(1, 40) g`,
    );
    await db.pool.query(
      `UPDATE ${src} SET ${q(COLUMNS.key)} = NULL, ${q(COLUMNS.reserved)} = 13 WHERE id % 5 = 0`,
    );
    await db.pool.query(`DELETE FROM ${src} WHERE id % 7 = 0`);
    await db.pool.query(`UPDATE ${src} SET ${q(COLUMNS.mixed)} = 9 WHERE id % 3 = 0`);
    const truth = renderDefiningQuery(await normalizeDefinition(def));
    const visible = [...def.groupBy.map(groupKeyName), ...def.aggregates.map((a) => a.name)];
    const r = await compareWithTruth(db.pool, targetOf(def), truth, visible);
    expect(r).toMatchObject({ missing: 0, extra: 0 });
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM ${qualify(EVIL_TARGET_SCHEMA, targetOf(def).table)}`,
    );
    expect(rows[0].n).toBeGreaterThan(0);
    await db.pool.query(`TRUNCATE ${src}`);
    expect(await compareWithTruth(db.pool, targetOf(def), truth, visible)).toMatchObject({
      missing: 0,
      extra: 0,
    });
    await dropSummary(db.pool, def.name, { actor: ACTOR });
    expect(await tables()).toEqual(before);
    expect(await canaryRows()).toBe(3);
  });
});

describe('hostile definitions are refused, naming the field', () => {
  const base: DefinitionInput = {
    shape: 'aggregate',
    name: 'evil_expr',
    source: { schema: EVIL_SCHEMA, table: EVIL_TABLE },
    groupBy: [{ kind: 'column', column: COLUMNS.key }],
    aggregates: [{ name: 'n', fn: 'sum', arg: quoteIdent(COLUMNS.reserved) }],
  };
  const HOSTILE_EXPRESSIONS = [
    '1); drop table t; --',
    'x; drop table t',
    '1; drop table public.canary',
    '(select pg_sleep(1))',
    'pg_sleep(1) IS NULL',
    '1 = 1) OR (select count(*) from pg_class) > 0 --',
    'now() > now()',
    '$1',
    'sum(1)',
    "'a' || (select string_agg(tablename, ',') from pg_tables)",
  ];
  const FIELDS: { field: string; with: (expr: string) => DefinitionInput }[] = [
    { field: 'filter', with: (e) => ({ ...base, filter: e }) },
    {
      field: 'groupBy.0.expr',
      with: (e) => ({ ...base, groupBy: [{ kind: 'expression', expr: e, name: 'k' }] }),
    },
    {
      field: 'aggregates.0.arg',
      with: (e) => ({ ...base, aggregates: [{ name: 'n', fn: 'sum', arg: e }] }),
    },
    {
      field: 'aggregates.0.filter',
      with: (e) => ({ ...base, aggregates: [{ name: 'n', fn: 'count', filter: e }] }),
    },
    {
      field: 'aggregates.0.orderBy.0.expr',
      with: (e) => ({
        ...base,
        aggregates: [{ name: 'n', fn: 'array_agg', arg: 'id', orderBy: [{ expr: e }] }],
      }),
    },
  ];

  for (const f of FIELDS)
    test(`hostile expressions in ${f.field}`, async () => {
      for (const expr of HOSTILE_EXPRESSIONS) {
        const started = Date.now();
        const e = await (async () =>
          createSummary(db.pool, validateDefinition(f.with(expr)), { actor: ACTOR }))().catch(
          (err: unknown) => err,
        );
        expectRefused(e, f.field);
        expect(Date.now() - started, `${expr} must not run`).toBeLessThan(900);
      }
    });

  test('hostile and over-long names in name, source and target', async () => {
    const long = 'x'.repeat(64);
    const cases: { field: string; input: DefinitionInput }[] = [
      { field: 'name', input: { ...base, name: 'a"; drop table x; --' } },
      { field: 'name', input: { ...base, name: 'Select' } },
      { field: 'source.table', input: { ...base, source: { schema: EVIL_SCHEMA, table: long } } },
      {
        field: 'source.schema',
        input: { ...base, source: { schema: `${'é'.repeat(32)}`, table: EVIL_TABLE } },
      },
      { field: 'target.table', input: { ...base, target: { table: long } } },
      {
        field: 'groupBy.0.column',
        input: { ...base, groupBy: [{ kind: 'column', column: 'a\0b' }] },
      },
      {
        field: 'aggregates.0.name',
        input: { ...base, aggregates: [{ name: '_tally_count', fn: 'count' }] },
      },
    ];
    for (const c of cases) {
      const e = await (async () =>
        createSummary(db.pool, validateDefinition(c.input), { actor: ACTOR }))().catch(
        (err: unknown) => err,
      );
      expectRefused(e, c.field);
    }
  });

  test('names that do not exist are refused, not created', async () => {
    const cases: { field: string; input: DefinitionInput }[] = [
      {
        field: 'source',
        input: { ...base, source: { schema: EVIL_SCHEMA, table: 'x"; drop table t; --' } },
      },
      {
        field: 'groupBy.0.column',
        input: { ...base, groupBy: [{ kind: 'column', column: 'nope"; drop table t; --' }] },
      },
      {
        field: 'aggregates.0.arg',
        input: {
          ...base,
          aggregates: [{ name: 'n', fn: 'sum', arg: '"nope""; drop table t; --"' }],
        },
      },
    ];
    for (const c of cases) {
      const e = await (async () =>
        createSummary(db.pool, validateDefinition(c.input), { actor: ACTOR }))().catch(
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(DefinitionError);
      expect((e as DefinitionError).issues.map((i) => i.field).join(' ')).toContain(c.field);
    }
  });

  test('afterwards every table still exists with its rows, and nothing was installed', async () => {
    expect(await tables()).toEqual(before);
    expect(await canaryRows()).toBe(3);
    const { rows } = await db.pool.query(
      `SELECT name FROM tally.summaries WHERE name = 'evil_expr'`,
    );
    expect(rows).toEqual([]);
    const { rows: triggers } = await db.pool.query(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal`,
      [qualify(EVIL_SCHEMA, EVIL_TABLE)],
    );
    expect(triggers).toEqual([]);
  });
});
