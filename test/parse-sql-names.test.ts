import { describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import { parseDefiningQuery } from '../lib/definition/parse-sql';
import { groupKeyName } from '../lib/definition/definition';

/**
 * The output-name rules of parse-sql.ts are a port of PostgreSQL's; this checks them against
 * the server itself (both versions the suite runs on), so pasted queries keep psql's names.
 */
const db = await createTestDatabase(2);

await db.pool.query(`
  CREATE TYPE pair AS (kind text, n int);
  CREATE TABLE t (user_id int, a int, b int, x text, email text, ts timestamp,
                  created_at timestamptz, data jsonb, payload pair, f boolean)`);

const keys = [
  'user_id',
  't.user_id',
  'ts::date',
  "'x'::text",
  "(created_at AT TIME ZONE 'UTC')::date",
  "date_trunc('day', ts)",
  'extract(year FROM ts)',
  'coalesce(a, b)',
  'greatest(a, b)',
  'least(a, b)',
  'CASE WHEN a > 0 THEN 1 ELSE 0 END',
  'CASE WHEN a > 0 THEN 1 ELSE b END',
  '(payload).kind',
  'nullif(a, 0)',
  'ARRAY[a, b]',
  'x COLLATE "C"',
  "data->>'stage'", // ?column?: refused, asking for an alias
  'a + 1',
  "(data->>'n')::int",
  'lower(email)',
  'substring(email FROM 1 FOR 3)',
  'trim(x)',
  'row(a, b)',
  'a::text::varchar',
];

describe('output names agree with the server', () => {
  test.each(keys)('%s', async (expr) => {
    const sql = `SELECT ${expr}, count(*), sum(a), array_agg(x), count(DISTINCT b) AS nd, bool_or(f), min(ts), every(f) FROM t GROUP BY 1`;
    const res = await db.pool.query(`${sql} LIMIT 0`);
    const server = res.fields.map((f) => f.name);
    if (server.includes('?column?')) {
      await expect(parseDefiningQuery(sql, { name: 's' })).rejects.toThrow(
        /\?column\?.*add an alias/,
      );
      return;
    }
    const d = await parseDefiningQuery(sql, { name: 's' });
    expect([...d.groupBy.map(groupKeyName), ...d.aggregates.map((a) => a.name)]).toEqual(server);
  });
});
