import { describe, expect, test } from 'vitest';
import { parseDefiningQuery } from '../lib/definition/parse-sql';
import { normalizeDefinition } from '../lib/definition/normalize';
import { renderDefiningQuery } from '../lib/definition/defining-query';
import { parseDefinitionJson } from '../lib/definition/validate-definition';
import { DefinitionError, type FieldIssue } from '../lib/errors';

const parse = (sql: string, name = 's') => parseDefiningQuery(sql, { name });

async function refusal(sql: string, name = 's'): Promise<FieldIssue[]> {
  const err = await parse(sql, name).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a refusal for: ${sql}`).toBeInstanceOf(DefinitionError);
  return [...(err as DefinitionError).issues];
}

/** 1-based character position of `marker` in `sql` (its `nth` occurrence). */
function at(sql: string, marker: string, nth = 1): number {
  let i = -1;
  for (let k = 0; k < nth; k++) {
    i = sql.indexOf(marker, i + 1);
    if (i < 0) throw new Error(`marker ${marker} not in ${sql}`);
  }
  return [...sql.slice(0, i)].length + 1;
}

describe('the shapes from the seeds', () => {
  test('sum/count with FILTER', async () => {
    expect(
      await parse(
        'SELECT user_id, sum(duration) FILTER (WHERE duration > 0), count(*) FROM admin_user_call_log GROUP BY user_id',
        'calls',
      ),
    ).toEqual({
      version: 1,
      shape: 'aggregate',
      name: 'calls',
      target: {},
      source: { schema: 'public', table: 'admin_user_call_log' },
      groupBy: [{ kind: 'column', column: 'user_id' }],
      aggregates: [
        { name: 'sum', fn: 'sum', arg: 'duration', filter: 'duration > 0' },
        { name: 'count', fn: 'count' },
      ],
    });
  });

  test('JSONB operators and array_agg with ORDER BY, grouped by ordinal', async () => {
    const d = await parse(
      "SELECT opportunity_id, count(*) FILTER (WHERE data->>'newStage' = 'not_interested'), array_agg(type ORDER BY created_at) FROM admin_activity GROUP BY 1",
    );
    expect(d.groupBy).toEqual([{ kind: 'column', column: 'opportunity_id' }]);
    expect(d.aggregates).toEqual([
      { name: 'count', fn: 'count', filter: "(data ->> 'newStage') = 'not_interested'" },
      {
        name: 'array_agg',
        fn: 'array_agg',
        arg: 'type',
        orderBy: [{ expr: 'created_at', direction: 'asc' }],
      },
    ]);
  });

  test('time buckets and soft delete, five ordinals', async () => {
    const d = await parse(
      'SELECT company_id, location_id, created_at::date AS day, event_type, kind, count(*) FROM transactions WHERE deleted_at IS NULL AND NOT draft GROUP BY 1,2,3,4,5',
    );
    expect(d.filter).toBe('deleted_at IS NULL AND NOT (draft)');
    expect(d.groupBy).toEqual([
      { kind: 'column', column: 'company_id' },
      { kind: 'column', column: 'location_id' },
      { kind: 'expression', expr: 'created_at::date', name: 'day' },
      { kind: 'column', column: 'event_type' },
      { kind: 'column', column: 'kind' },
    ]);
  });

  test('min/max', async () => {
    const d = await parse(
      'SELECT entity_id, min(pnl_date), max(pnl_date) FROM pnl_daily GROUP BY entity_id',
    );
    expect(d.aggregates).toEqual([
      { name: 'min', fn: 'min', arg: 'pnl_date' },
      { name: 'max', fn: 'max', arg: 'pnl_date' },
    ]);
  });
});

describe('aggregates', () => {
  test('every supported aggregate, each with FILTER', async () => {
    const d = await parse(`
      SELECT k,
        count(*) FILTER (WHERE a > 0) AS n,
        count(b) FILTER (WHERE a > 1) AS nb,
        count(DISTINCT b) FILTER (WHERE a > 2) AS nd,
        sum(a) FILTER (WHERE a > 3) AS s,
        avg(a) FILTER (WHERE a > 4) AS av,
        min(a) FILTER (WHERE a > 5) AS lo,
        max(a) FILTER (WHERE a > 6) AS hi,
        bool_and(f) FILTER (WHERE a > 7) AS alltrue,
        bool_or(f) FILTER (WHERE a > 8) AS anytrue,
        array_agg(b ORDER BY a DESC NULLS LAST, c) FILTER (WHERE a > 9) AS bs
      FROM t GROUP BY k`);
    expect(d.aggregates).toEqual([
      { name: 'n', fn: 'count', filter: 'a > 0' },
      { name: 'nb', fn: 'count', arg: 'b', filter: 'a > 1' },
      { name: 'nd', fn: 'count_distinct', arg: 'b', filter: 'a > 2' },
      { name: 's', fn: 'sum', arg: 'a', filter: 'a > 3' },
      { name: 'av', fn: 'avg', arg: 'a', filter: 'a > 4' },
      { name: 'lo', fn: 'min', arg: 'a', filter: 'a > 5' },
      { name: 'hi', fn: 'max', arg: 'a', filter: 'a > 6' },
      { name: 'alltrue', fn: 'bool_and', arg: 'f', filter: 'a > 7' },
      { name: 'anytrue', fn: 'bool_or', arg: 'f', filter: 'a > 8' },
      {
        name: 'bs',
        fn: 'array_agg',
        arg: 'b',
        filter: 'a > 9',
        orderBy: [
          { expr: 'a', direction: 'desc', nulls: 'last' },
          { expr: 'c', direction: 'asc' },
        ],
      },
    ]);
  });

  test('aggregate arguments may be expressions; pg_catalog-qualified names and every() are accepted', async () => {
    const d = await parse(
      "SELECT pg_catalog.sum(price * qty) AS revenue, every(paid) AS all_paid, count(1), max(data->>'stage') AS stage FROM sales",
    );
    expect(d.groupBy).toEqual([]);
    expect(d.aggregates).toEqual([
      { name: 'revenue', fn: 'sum', arg: 'price * qty' },
      { name: 'all_paid', fn: 'bool_and', arg: 'paid' },
      { name: 'count', fn: 'count', arg: '1' },
      { name: 'stage', fn: 'max', arg: "data ->> 'stage'" },
    ]);
  });

  test('no GROUP BY: a one-row summary', async () => {
    const d = await parse(
      'SELECT count(*), sum(amount) AS total FROM billing.invoices WHERE NOT void',
    );
    expect(d.source).toEqual({ schema: 'billing', table: 'invoices' });
    expect(d.groupBy).toEqual([]);
    expect(d.filter).toBe('NOT (void)');
    expect(d.aggregates.map((a) => a.name)).toEqual(['count', 'total']);
  });
});

describe('source table, aliases and qualifiers', () => {
  test('an alias is accepted and qualifiers are stripped everywhere', async () => {
    const d = await parse(
      'SELECT c.user_id, sum(c.duration) FILTER (WHERE c.duration > 0) AS talk, array_agg(c.id ORDER BY c.created_at DESC) AS ids FROM crm.admin_user_call_log c WHERE c.kind = 1 GROUP BY c.user_id',
    );
    expect(d.source).toEqual({ schema: 'crm', table: 'admin_user_call_log' });
    expect(d.filter).toBe('kind = 1');
    expect(d.groupBy).toEqual([{ kind: 'column', column: 'user_id' }]);
    expect(d.aggregates).toEqual([
      { name: 'talk', fn: 'sum', arg: 'duration', filter: 'duration > 0' },
      {
        name: 'ids',
        fn: 'array_agg',
        arg: 'id',
        orderBy: [{ expr: 'created_at', direction: 'desc' }],
      },
    ]);
  });

  test('the table name and schema.table work as qualifiers without an alias; public is the default schema', async () => {
    const d = await parse('SELECT t.a, public.t.b, count(*) FROM t GROUP BY t.a, b');
    expect(d.source).toEqual({ schema: 'public', table: 't' });
    expect(d.groupBy).toEqual([
      { kind: 'column', column: 'a' },
      { kind: 'column', column: 'b' },
    ]);
  });

  test('--target-schema goes to target.schema', async () => {
    const d = await parseDefiningQuery('SELECT a, count(*) FROM src.t GROUP BY a', {
      name: 'by_a',
      targetSchema: 'summaries',
    });
    expect(d.target).toEqual({ schema: 'summaries' });
    expect(d.name).toBe('by_a');
  });
});

describe('group keys', () => {
  test('columns and expressions; keys follow the select list order', async () => {
    const d = await parse(
      "SELECT count(*), (created_at AT TIME ZONE 'UTC')::date AS day, data->>'newStage' AS stage, user_id AS u, date_trunc('day', ts) FROM t GROUP BY user_id, 2, stage, date_trunc('day', t.ts)",
    );
    expect(d.groupBy).toEqual([
      { kind: 'expression', expr: "(created_at AT TIME ZONE 'UTC')::date", name: 'day' },
      { kind: 'expression', expr: "data ->> 'newStage'", name: 'stage' },
      { kind: 'column', column: 'user_id', name: 'u' },
      { kind: 'expression', expr: "date_trunc('day', ts)", name: 'date_trunc' },
    ]);
    expect(d.aggregates).toEqual([{ name: 'count', fn: 'count' }]);
  });

  test('GROUP BY a name prefers the input column, as PostgreSQL does', async () => {
    // user_id is grouped as a column even though the item is renamed
    const d = await parse('SELECT user_id AS uid, count(*) FROM t GROUP BY user_id');
    expect(d.groupBy).toEqual([{ kind: 'column', column: 'user_id', name: 'uid' }]);
    // an output name is used when no select item is that column
    const e = await parse('SELECT lower(email) AS who, count(*) FROM t GROUP BY who');
    expect(e.groupBy).toEqual([{ kind: 'expression', expr: 'lower(email)', name: 'who' }]);
  });

  test('the same key twice in GROUP BY is one key', async () => {
    const d = await parse('SELECT a, count(*) FROM t GROUP BY a, 1, t.a');
    expect(d.groupBy).toEqual([{ kind: 'column', column: 'a' }]);
  });

  test('expression texts are re-printed from the parse tree, comments and spacing dropped', async () => {
    const d =
      await parse(`select  Lower( EMAIL )  as  who , /* hi */ COUNT( * ) filter ( where  Score>=10 -- high
      )  from  T  where  NOT  deleted  group  by  1`);
    expect(d.groupBy).toEqual([{ kind: 'expression', expr: 'lower(email)', name: 'who' }]);
    expect(d.aggregates).toEqual([{ name: 'count', fn: 'count', filter: 'score >= 10' }]);
    expect(d.filter).toBe('NOT (deleted)');
    expect(d.source.table).toBe('t');
  });
});

describe('output column names follow PostgreSQL', () => {
  test.each([
    ['user_id', 'user_id'],
    ['t.user_id', 'user_id'],
    ['created_at::date', 'created_at'],
    ["'x'::text", 'text'],
    ["(created_at AT TIME ZONE 'UTC')::date", 'timezone'],
    ["date_trunc('day', ts)", 'date_trunc'],
    ['extract(year FROM ts)', 'extract'],
    ['coalesce(a, b)', 'coalesce'],
    ['greatest(a, b)', 'greatest'],
    ['CASE WHEN a > 0 THEN 1 ELSE 0 END', 'case'],
    ['CASE WHEN a > 0 THEN 1 ELSE b END', 'b'],
    ['(payload).kind', 'kind'],
    ['nullif(a, 0)', 'nullif'],
    ['ARRAY[a, b]', 'array'],
    ['x COLLATE "C"', 'x'],
    ['lower(x) AS "Mixed Case"', 'Mixed Case'],
  ])('%s → %s', async (expr, name) => {
    const d = await parse(`SELECT ${expr}, count(*) AS n FROM t GROUP BY 1`);
    const k = d.groupBy[0]!;
    expect(k.kind === 'column' ? (k.name ?? k.column) : k.name).toBe(name);
  });

  test('aggregates are named after the function, count(DISTINCT …) too', async () => {
    const d = await parse('SELECT count(DISTINCT a), sum(b), array_agg(c) FROM t');
    expect(d.aggregates.map((a) => a.name)).toEqual(['count', 'sum', 'array_agg']);
  });

  test('duplicate names are refused with a request for an alias', async () => {
    const sql = 'SELECT a, count(*), count(b) FROM t GROUP BY a';
    const [issue, ...rest] = await refusal(sql);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ field: 'sql', position: at(sql, 'count(b)') });
    expect(issue!.message).toMatch(/two output columns are named "count"/);
    expect(issue!.hint).toMatch(/AS count_2/);
  });

  test('?column? is refused with a request for an alias', async () => {
    const sql = 'SELECT a + 1, count(*) FROM t GROUP BY 1';
    const [issue] = await refusal(sql);
    expect(issue).toMatchObject({ field: 'sql', position: 8 });
    expect(issue!.message).toMatch(/\?column\?.*add an alias/);
  });

  test('names reserved for hidden columns are refused', async () => {
    const [issue] = await refusal('SELECT count(*) AS _tally_n FROM t');
    expect(issue).toMatchObject({
      position: 8,
      message: expect.stringMatching(/must not start with "_tally_"/),
    });
  });

  test('names longer than 63 bytes are truncated, as PostgreSQL truncates them', async () => {
    const d = await parse(`SELECT count(*) AS ${'x'.repeat(70)} FROM t`);
    expect(d.aggregates[0]!.name).toBe('x'.repeat(63));
  });
});

describe('hostile identifiers survive as names and are quoted on output', () => {
  const hostile = 'a"; drop table x; --';
  const sql = `SELECT "a""; drop table x; --", count(*) AS "n""); drop table y; --", sum("select") FILTER (WHERE "a""; drop table x; --" <> 'x'';drop') AS total FROM "s""x"."t; drop" GROUP BY 1`;

  test('the definition holds the names verbatim', async () => {
    const d = await parse(sql);
    expect(d.source).toEqual({ schema: 's"x', table: 't; drop' });
    expect(d.groupBy).toEqual([{ kind: 'column', column: hostile }]);
    expect(d.aggregates).toEqual([
      { name: 'n"); drop table y; --', fn: 'count' },
      {
        name: 'total',
        fn: 'sum',
        arg: '"select"',
        filter: `"a""; drop table x; --" <> 'x'';drop'`,
      },
    ]);
  });

  test('the defining query quotes them', async () => {
    const text = renderDefiningQuery(await normalizeDefinition(await parse(sql)));
    expect(text).toBe(
      [
        'SELECT',
        '  "a""; drop table x; --",',
        '  count(*) AS "n""); drop table y; --",',
        `  sum("select") FILTER (WHERE "a""; drop table x; --" <> 'x'';drop') AS total`,
        'FROM "s""x"."t; drop"',
        'GROUP BY 1',
      ].join('\n'),
    );
  });
});

describe('round trip: SQL → definition → defining query → the same definition', () => {
  test.each([
    'SELECT user_id, sum(duration) FILTER (WHERE duration > 0), count(*) FROM admin_user_call_log GROUP BY user_id',
    "SELECT opportunity_id, count(*) FILTER (WHERE data->>'newStage' = 'not_interested'), array_agg(type ORDER BY created_at) FROM admin_activity GROUP BY 1",
    'SELECT company_id, location_id, created_at::date AS day, event_type, kind, count(*) FROM transactions WHERE deleted_at IS NULL AND NOT draft GROUP BY 1,2,3,4,5',
    'SELECT entity_id, min(pnl_date), max(pnl_date) FROM pnl_daily GROUP BY entity_id',
    "SELECT c.user_id AS u, count(DISTINCT c.x) AS dx, avg(x), bool_and(b), bool_or(b) FILTER (WHERE x IN (1, 2)), every(b) FROM crm.calls c WHERE c.kind <> 'spam' GROUP BY c.user_id",
    "SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) FROM t GROUP BY 1",
    "SELECT date_trunc('hour', ts) AS h, coalesce(region, '?') AS region, array_agg(id ORDER BY ts DESC NULLS FIRST, id) FROM s.t WHERE ts BETWEEN '2024-01-01' AND '2025-01-01' GROUP BY 1, 2",
    'SELECT count(*), sum(amount) AS total FROM billing.invoices',
    `SELECT "Mixed", "select", count(*) AS "Count" FROM "Odd Schema"."Odd Table" GROUP BY 1, 2`,
    `SELECT "a""; drop table x; --", count(*) AS "n""); drop table y; --" FROM "s""x"."t; drop" GROUP BY 1`,
  ])('%s', async (sql) => {
    const first = await parse(sql);
    const rendered = renderDefiningQuery(await normalizeDefinition(first));
    const second = await parse(rendered);
    expect(second).toEqual(first);
    expect(renderDefiningQuery(await normalizeDefinition(second))).toBe(rendered);
  });
});

describe('refusals name the construct, say why, and point at it', () => {
  // [sql, marker the position must point at (nth occurrence), message pattern]
  const cases: [string, string, number, RegExp][] = [
    [
      'SELECT a, count(*) FROM t GROUP BY a; DROP TABLE t',
      'DROP',
      1,
      /must be one statement, not 2/,
    ],
    ['DELETE FROM t', 'DELETE', 1, /DELETE is not a query/],
    ['INSERT INTO t SELECT 1', 'INSERT', 1, /INSERT is not a query/],
    ['  EXPLAIN SELECT a, count(*) FROM t GROUP BY a', 'EXPLAIN', 1, /EXPLAIN is not a query/],
    [
      'SELECT a, count(*) FROM t JOIN u ON u.id = t.uid GROUP BY a',
      'JOIN',
      1,
      /joins to dimension tables are coming; not supported yet/,
    ],
    [
      'SELECT a, count(*) FROM t LEFT JOIN u USING (id) GROUP BY a',
      'LEFT',
      1,
      /joins to dimension tables are coming/,
    ],
    [
      'SELECT a, count(*) FROM t, u GROUP BY a',
      'u GROUP',
      1,
      /second table in FROM is a join: joins to dimension tables are coming/,
    ],
    [
      'SELECT a, count(*) FROM (SELECT * FROM t) s GROUP BY a',
      '(SELECT',
      1,
      /subquery in FROM is not supported/,
    ],
    [
      'SELECT a, count(*) FROM t WHERE a IN (SELECT id FROM u) GROUP BY a',
      'IN',
      1,
      /subqueries are not supported/,
    ],
    [
      'SELECT a, count(*) FROM t WHERE EXISTS (SELECT 1 FROM u) GROUP BY a',
      'EXISTS',
      1,
      /subqueries are not supported/,
    ],
    [
      'WITH x AS (SELECT * FROM t) SELECT a, count(*) FROM x GROUP BY a',
      'WITH',
      1,
      /WITH \(common table expressions\) is not supported/,
    ],
    [
      'SELECT a, count(*) FROM t GROUP BY a UNION SELECT b, count(*) FROM u GROUP BY b',
      'UNION',
      1,
      /UNION is not supported/,
    ],
    [
      'SELECT a, count(*) FROM t GROUP BY a EXCEPT SELECT a, count(*) FROM u GROUP BY a',
      'EXCEPT',
      1,
      /EXCEPT is not supported/,
    ],
    [
      'SELECT a, count(*), rank() OVER (ORDER BY a) FROM t GROUP BY a',
      'rank',
      1,
      /window function rank\(\) OVER .* is not supported/,
    ],
    ['SELECT a, sum(b) OVER (PARTITION BY a) FROM t', 'sum', 1, /window function sum\(\) OVER/],
    [
      'SELECT a, count(*) FROM t GROUP BY a WINDOW w AS (PARTITION BY a)',
      'WINDOW',
      1,
      /WINDOW is not supported/,
    ],
    ['SELECT DISTINCT a FROM t', 'DISTINCT', 1, /SELECT DISTINCT is not supported/],
    [
      'SELECT DISTINCT ON (opportunity_id) opportunity_id, id, due_date FROM admin_user_task',
      'DISTINCT',
      1,
      /DISTINCT ON .*latest row per group.* not supported yet/,
    ],
    [
      'SELECT a, count(*) FROM t GROUP BY a HAVING count(*) > 1',
      'HAVING',
      1,
      /HAVING is not supported: a HAVING filter hides groups.*triggers/,
    ],
    [
      'SELECT a, array_agg(b ORDER BY b) FROM t GROUP BY a ORDER BY 2',
      'ORDER',
      2,
      /ORDER BY is not supported: the summary holds all groups/,
    ],
    [
      'SELECT a, count(*) FROM t GROUP BY a LIMIT 10',
      'LIMIT',
      1,
      /LIMIT is not supported: the summary holds all groups/,
    ],
    ['SELECT a, count(*) FROM t GROUP BY a OFFSET 10', 'OFFSET', 1, /OFFSET is not supported/],
    [
      'SELECT a, count(*) FROM t GROUP BY a FETCH FIRST 3 ROWS ONLY',
      'FETCH',
      1,
      /FETCH FIRST is not supported/,
    ],
    ['SELECT a, count(*) FROM t GROUP BY ROLLUP (a)', 'ROLLUP', 1, /ROLLUP is not supported/],
    ['SELECT a, b, count(*) FROM t GROUP BY CUBE (a, b)', 'CUBE', 1, /CUBE is not supported/],
    [
      'SELECT a, count(*) FROM t GROUP BY GROUPING SETS ((a), ())',
      'GROUPING',
      1,
      /GROUPING SETS is not supported/,
    ],
    [
      "SELECT a, string_agg(b, ',') FROM t GROUP BY a",
      'string_agg',
      1,
      /aggregate string_agg\(\) is not a supported aggregate/,
    ],
    [
      'SELECT a, json_agg(b) FROM t GROUP BY a',
      'json_agg',
      1,
      /json_agg\(\) is not a supported aggregate/,
    ],
    [
      'SELECT a, percentile_cont(0.5) WITHIN GROUP (ORDER BY b) FROM t GROUP BY a',
      'percentile_cont',
      1,
      /ordered-set aggregate percentile_cont\(\) WITHIN GROUP is not supported/,
    ],
    [
      'SELECT a, stddev(b) FROM t GROUP BY a',
      'stddev',
      1,
      /stddev\(\) is not a supported aggregate/,
    ],
    [
      'SELECT a, sum(DISTINCT b) FROM t GROUP BY a',
      'DISTINCT',
      1,
      /DISTINCT inside sum\(\) is not supported: only count\(DISTINCT x\)/,
    ],
    [
      'SELECT a, array_agg(DISTINCT b) FROM t GROUP BY a',
      'DISTINCT',
      1,
      /DISTINCT inside array_agg\(\)/,
    ],
    [
      'SELECT a, sum(b ORDER BY c) FROM t GROUP BY a',
      'ORDER',
      1,
      /ORDER BY inside sum\(\) is not supported/,
    ],
    [
      'SELECT a, sum(DISTINCT b) FROM t WHERE a IS DISTINCT FROM b GROUP BY a',
      'DISTINCT',
      1,
      /DISTINCT inside sum\(\)/,
    ],

    [
      'SELECT a, sum(count(*)) FROM t GROUP BY a',
      'count',
      1,
      /nested aggregate: count\(\) inside sum\(\)/,
    ],
    [
      'SELECT a, count(*) FILTER (WHERE sum(b) > 0) FROM t GROUP BY a',
      'sum',
      1,
      /aggregate functions are not allowed in FILTER/,
    ],
    [
      'SELECT a, count(*) FROM t WHERE count(*) > 1 GROUP BY a',
      'count',
      2,
      /aggregate functions are not allowed in WHERE/,
    ],
    [
      'SELECT a, sum(b) / count(*) AS ratio FROM t GROUP BY a',
      'sum',
      1,
      /expression over aggregate sum\(\) is not supported/,
    ],
    [
      'SELECT a, count(*) FROM t GROUP BY a FOR UPDATE',
      'FOR',
      1,
      /FOR UPDATE\/SHARE is not supported/,
    ],
    [
      'SELECT a, count(*) INTO new_t FROM t GROUP BY a',
      'INTO',
      1,
      /SELECT … INTO is not supported/,
    ],
    ['SELECT * FROM t', '*', 1, /SELECT \* is not supported/],
    ['SELECT c.*, count(*) FROM t c', 'c.*', 1, /SELECT \* is not supported/],
    [
      "SELECT a, count(*) FROM t WHERE created_at > now() - interval '1 day' GROUP BY a",
      'now',
      1,
      /now\(\) cannot be used/,
    ],
    [
      'SELECT a, count(*) FILTER (WHERE random() < 0.5) FROM t GROUP BY a',
      'random',
      1,
      /random\(\) cannot be used: random\(\) is volatile/,
    ],
    ['SELECT é, count(*) FROM t WHERE random() > x GROUP BY é', 'random', 1, /random\(\)/],
    [
      'SELECT a, count(*) FROM t WHERE d > current_date GROUP BY a',
      'current_date',
      1,
      /current_date is not immutable/,
    ],
    [
      'SELECT a, count(*) FROM t WHERE a = $1 GROUP BY a',
      '$1',
      1,
      /parameters \(\$1\) are not allowed/,
    ],
    [
      'SELECT b, count(*) FROM t GROUP BY a',
      'b',
      1,
      /column "b" must appear in the GROUP BY clause or be used in an aggregate function/,
    ],
    ['SELECT a, count(*) FROM t', 'a', 1, /column "a" must appear in the GROUP BY clause/],
    ['SELECT a, count(*) FROM t GROUP BY a, b', 'b', 1, /GROUP BY key b is not in the select list/],
    ['SELECT a, count(*) FROM t GROUP BY 3', '3', 1, /GROUP BY position 3 is not in select list/],
    [
      'SELECT a, count(*) FROM t GROUP BY 1, 2',
      '2',
      1,
      /aggregate functions are not allowed in GROUP BY/,
    ],
    ["SELECT a, count(*) FROM t GROUP BY a, 'x'", "'x'", 1, /non-integer constant in GROUP BY/],
    [
      'SELECT lower(a), count(*) FROM t GROUP BY upper(a)',
      'lower',
      1,
      /neither a group key nor an aggregate/,
    ],
    [
      'SELECT lower(name) AS name, count(*) FROM t GROUP BY name',
      'name',
      3,
      /groups by the column name, not by the select item named name/,
    ],
    ['SELECT 1 AS one, count(*) FROM t', '1', 1, /is a constant/],
    [
      'SELECT x.a, count(*) FROM t GROUP BY 1',
      'x.a',
      1,
      /x\.a refers to "x", which is not in FROM/,
    ],
    ['SELECT a, count(*) FROM t AS c GROUP BY t.a', 't.a', 1, /t\.a refers to "t".*\(as c\)/],
    ['SELECT a, count(*) FROM ONLY t GROUP BY a', 'ONLY', 1, /FROM ONLY is not supported/],
    ['SELECT a, count(*) FROM db.s.t GROUP BY a', 'db', 1, /database name/],
    [
      'SELECT a, count(*) FROM t TABLESAMPLE SYSTEM (10) GROUP BY a',
      'TABLESAMPLE',
      1,
      /TABLESAMPLE is not supported/,
    ],
    [
      'SELECT g, count(*) FROM generate_series(1, 10) g GROUP BY g',
      'generate_series',
      1,
      /function in FROM is not supported/,
    ],
    ['SELECT a, count(*) FROM t c(a, b) GROUP BY a', 't c', 1, /column aliases in FROM/],
    ['VALUES (1)', 'VALUES', 1, /VALUES is not a query over a table/],
    ['SELECT 1', 'SELECT', 1, /has no FROM/],
    ['SELECT a FROM t GROUP BY a', 'SELECT', 1, /at least one aggregate/],
    ['SELECT a, count(* FROM t GROUP BY a', 'FROM', 1, /syntax error at or near "FROM"/],
    ['SELECT a, sum(*) FROM t GROUP BY a', 'sum', 1, /sum\(\*\) is not valid/],
    ['SELECT a, count() FROM t GROUP BY a', 'count', 1, /count\(\) takes exactly one argument/],
    [
      'SELECT a, myschema.total(b) FILTER (WHERE b > 0) FROM t GROUP BY a',
      'myschema',
      1,
      /myschema\.total\(\) is not a supported aggregate/,
    ],
  ];

  test.each(cases)('%s', async (sql, marker, nth, message) => {
    const issues = await refusal(sql);
    const issue = issues.find((i) => message.test(i.message));
    expect(issue, `issues: ${JSON.stringify(issues)}`).toBeDefined();
    expect(issue!.field).toBe('sql');
    expect(issue!.position).toBe(at(sql, marker, nth));
  });

  test('independent problems are reported together, in order', async () => {
    const sql = 'SELECT a, count(*) FROM t GROUP BY a HAVING count(*) > 1 ORDER BY 2 LIMIT 3';
    const issues = await refusal(sql);
    expect(issues.map((i) => [i.message.split(' ')[0], i.position])).toEqual([
      ['HAVING', at(sql, 'HAVING')],
      ['ORDER', at(sql, 'ORDER')],
      ['LIMIT', at(sql, 'LIMIT')],
    ]);
  });

  test('HAVING explains itself and how to filter instead', async () => {
    const [issue] = await refusal('SELECT a, count(*) FROM t GROUP BY a HAVING count(*) > 1');
    expect(issue!.hint).toMatch(/filter when reading the summary/);
  });

  test('empty input and an invalid summary name', async () => {
    expect(await refusal('  -- nothing\n')).toEqual([
      { field: 'sql', message: expect.stringMatching(/is empty/) },
    ]);
    expect(await refusal('')).toEqual([
      { field: 'sql', message: expect.stringMatching(/is empty/) },
    ]);
    const issues = await refusal('SELECT count(*) FROM t', 'Bad Name');
    expect(issues.map((i) => i.field)).toEqual(['name']);
  });
});

describe('definition JSON', () => {
  test('zod issues name the field path', () => {
    const bad = JSON.stringify({
      shape: 'aggregate',
      name: 'x',
      source: { schema: 'public', table: 't' },
      groupBy: [],
      aggregates: [{ name: 'n', fn: 'median' }],
    });
    const err = (() => {
      try {
        parseDefinitionJson(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DefinitionError);
    expect((err as DefinitionError).issues.map((i) => i.field)).toEqual(['aggregates.0.fn']);
  });

  test('broken JSON names the file', () => {
    expect(() => parseDefinitionJson('{', 'file')).toThrow(/file: is not valid JSON/);
  });
});
