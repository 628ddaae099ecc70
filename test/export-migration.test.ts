import { beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import type { DefinitionInput } from '../lib/definition/definition';
import { validateDefinition } from '../lib/definition/validate-definition';
import { generateSql } from '../lib/sqlgen/generate';
import { resolveDefinition } from '../lib/summary/resolve';
import { compareWithTruth } from '../lib/summary/compare';
import {
  exportMigration,
  MIGRATION_FORMATS,
  type MigrationFile,
  type MigrationSql,
} from '../lib/migration-export/export-migration';

/**
 * The migration exporter: file layouts per tool (pure), and the files actually run on
 * PostgreSQL the way each tool runs them: up installs a working summary, down removes it all.
 */

const AT = new Date('2025-03-04T05:06:07.089Z');

const sample: MigrationSql = {
  name: 'orders_by_day',
  concurrentIndexes: [
    {
      create:
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS tally_orders_by_day_src ON shop.orders (customer_id);',
      drop: 'DROP INDEX CONCURRENTLY IF EXISTS shop.tally_orders_by_day_src',
    },
  ],
  install: '-- install\nCREATE TABLE shop.orders_by_day (x int);\n',
  populate: '-- populate\nINSERT INTO shop.orders_by_day VALUES (1);\n',
  uninstall: '-- uninstall\nDROP TABLE IF EXISTS shop.orders_by_day;\n',
  lockTimeoutMs: 2500,
  warnings: [{ code: 'w1', message: 'a warning\nwith a line break' }],
};

const noIndex: MigrationSql = { ...sample, concurrentIndexes: [], populate: '' };

describe('file layouts', () => {
  test('plain: up and down, the index step outside BEGIN … COMMIT', () => {
    const files = exportMigration(sample, 'plain', { at: AT });
    expect(files.map((f) => f.path)).toEqual([
      '20250304050607_tally_orders_by_day.up.sql',
      '20250304050607_tally_orders_by_day.down.sql',
    ]);
    const up = files[0]!.content;
    const index = up.indexOf('CREATE INDEX CONCURRENTLY');
    const begin = up.indexOf('BEGIN;');
    expect(index).toBeGreaterThan(0);
    expect(begin).toBeGreaterThan(index);
    expect(up).toContain('SET LOCAL lock_timeout = 2500;');
    expect(up.indexOf('CREATE TABLE shop.orders_by_day')).toBeGreaterThan(begin);
    expect(up.indexOf('INSERT INTO shop.orders_by_day')).toBeLessThan(up.lastIndexOf('COMMIT;'));
    // a warning's line break cannot end its comment early
    expect(up).toContain('-- warning [w1]: a warning with a line break');
    expect(files[1]!.content).toMatch(
      /BEGIN;\n[\s\S]*DROP TABLE IF EXISTS shop\.orders_by_day;[\s\S]*COMMIT;/,
    );
  });

  test('node-pg-migrate: a noTransaction index migration, then the install; ESM with up and down', () => {
    const files = exportMigration(sample, 'node-pg-migrate', { at: AT });
    const ms = AT.getTime();
    expect(files.map((f) => f.path)).toEqual([
      `migrations/${ms}_tally-orders-by-day-source-index.js`,
      `migrations/${ms + 1}_tally-orders-by-day.js`,
    ]);
    expect(files[0]!.content).toContain('pgm.noTransaction();');
    expect(files[1]!.content).not.toContain('noTransaction');
    expect(files[1]!.content).toMatch(/export const up = \(pgm\) => \{\n {2}pgm\.sql\(/);
    expect(files[1]!.content).toMatch(/export const down = \(pgm\) => \{/);
  });

  test('dbmate: transaction:false for the index, versions in order', () => {
    const files = exportMigration(sample, 'dbmate', { at: AT });
    expect(files.map((f) => f.path)).toEqual([
      'db/migrations/20250304050607_tally_orders_by_day_source_index.sql',
      'db/migrations/20250304050608_tally_orders_by_day.sql',
    ]);
    expect(files[0]!.content).toContain('-- migrate:up transaction:false');
    expect(files[0]!.content).toContain(
      '-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS shop.tally_orders_by_day_src;',
    );
    expect(files[1]!.content).toMatch(
      /-- migrate:up\n[\s\S]*SET LOCAL lock_timeout = 2500;[\s\S]*-- migrate:down\n/,
    );
    expect(exportMigration(noIndex, 'dbmate', { at: AT }).map((f) => f.path)).toEqual([
      'db/migrations/20250304050607_tally_orders_by_day.sql',
    ]);
  });

  test('Flyway: V and U scripts with script configuration, placeholders off', () => {
    const files = exportMigration(sample, 'flyway', { at: AT });
    expect(files.map((f) => f.path)).toEqual([
      'sql/V20250304050607_1__tally_orders_by_day_source_index.sql',
      'sql/V20250304050607_1__tally_orders_by_day_source_index.sql.conf',
      'sql/U20250304050607_1__tally_orders_by_day_source_index.sql',
      'sql/U20250304050607_1__tally_orders_by_day_source_index.sql.conf',
      'sql/V20250304050607_2__tally_orders_by_day.sql',
      'sql/V20250304050607_2__tally_orders_by_day.sql.conf',
      'sql/U20250304050607_2__tally_orders_by_day.sql',
      'sql/U20250304050607_2__tally_orders_by_day.sql.conf',
    ]);
    expect(files[1]!.content).toBe('executeInTransaction=false\nplaceholderReplacement=false\n');
    expect(files[5]!.content).toBe('placeholderReplacement=false\n');
    expect(exportMigration(noIndex, 'flyway', { at: AT }).map((f) => f.path)).toEqual([
      'sql/V20250304050607__tally_orders_by_day.sql',
      'sql/V20250304050607__tally_orders_by_day.sql.conf',
      'sql/U20250304050607__tally_orders_by_day.sql',
      'sql/U20250304050607__tally_orders_by_day.sql.conf',
    ]);
  });

  test('deterministic: the same input gives the same files', () => {
    for (const format of MIGRATION_FORMATS)
      expect(exportMigration(sample, format, { at: AT })).toEqual(
        exportMigration(sample, format, { at: AT }),
      );
  });

  test('SQL that looks like JavaScript stays SQL in node-pg-migrate files', async () => {
    const tricky = { ...noIndex, install: "SELECT '`${process.exit(1)}`\\n\u2028' AS x; -- */" };
    const [f] = exportMigration(tricky, 'node-pg-migrate', { at: AT });
    const calls = await runNodePgMigrate(f!.content, 'up');
    expect(calls.sql.join('')).toContain(tricky.install);
  });
});

// ---- running the files ---------------------------------------------------------------------

interface RecordedMigration {
  noTransaction: boolean;
  sql: string[];
}

/** Loads a node-pg-migrate file as a module and records what it asks pgm to do. */
async function runNodePgMigrate(
  content: string,
  direction: 'up' | 'down',
): Promise<RecordedMigration> {
  const mod = (await import(
    `data:text/javascript;base64,${Buffer.from(content).toString('base64')}`
  )) as Record<'up' | 'down', (pgm: unknown) => void>;
  const rec: RecordedMigration = { noTransaction: false, sql: [] };
  mod[direction]({
    noTransaction: () => {
      rec.noTransaction = true;
    },
    sql: (s: string) => rec.sql.push(s),
  });
  return rec;
}

const db = await createTestDatabase();

const definition: DefinitionInput = {
  shape: 'aggregate',
  name: 'orders_per_customer',
  source: { schema: 'mig', table: 'orders' },
  groupBy: [{ kind: 'column', column: 'customer_id' }],
  aggregates: [
    { name: 'orders', fn: 'count' },
    { name: 'total', fn: 'sum', arg: 'total' },
    // count distinct is recomputed per group: it needs a source index, built CONCURRENTLY
    { name: 'days', fn: 'count_distinct', arg: "(placed_at AT TIME ZONE 'UTC')::date" },
  ],
};

let generated: MigrationSql;
let definingQuery: string;

beforeAll(async () => {
  await db.pool.query(`
    CREATE SCHEMA mig;
    CREATE TABLE mig.orders (id bigint PRIMARY KEY, customer_id int NOT NULL, total numeric(12,2), placed_at timestamptz NOT NULL);
    INSERT INTO mig.orders SELECT g, g % 17, g * 1.25, timestamptz '2025-01-01' + g * interval '5 hours' FROM generate_series(1, 500) g;
  `);
  const g = generateSql(await resolveDefinition(db.pool, validateDefinition(definition)));
  definingQuery = g.definingQuery;
  expect(g.concurrentIndexes).toHaveLength(1);
  generated = {
    name: definition.name,
    concurrentIndexes: g.concurrentIndexes.map((create) => ({
      create,
      drop: 'DROP INDEX CONCURRENTLY IF EXISTS mig.tally_orders_per_customer_src',
    })),
    install: g.install,
    populate: g.populate,
    uninstall: g.uninstall,
    lockTimeoutMs: 3000,
  };
});

async function exact(): Promise<void> {
  const r = await compareWithTruth(
    db.pool,
    { schema: 'mig', table: definition.name },
    definingQuery,
    ['customer_id', 'orders', 'total', 'days'],
  );
  expect(r).toMatchObject({ missing: 0, extra: 0 });
  // and it is live: the triggers keep it exact
  await db.pool.query(
    `INSERT INTO mig.orders VALUES (100000, 3, 9.99, now()); DELETE FROM mig.orders WHERE id = 100000`,
  );
}

async function relations(): Promise<string[]> {
  const { rows } = await db.pool.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'mig' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

async function functions(): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'mig'`,
  );
  return Number(rows[0]!.n);
}

/** Text between two markers of a dbmate file. */
function section(content: string, from: RegExp, to?: RegExp): string {
  const start = content.search(from);
  const rest = content.slice(start).replace(from, '');
  const end = to ? rest.search(to) : -1;
  return end >= 0 ? rest.slice(0, end) : rest;
}

describe('the files run on PostgreSQL', () => {
  test('plain: psql-style up (index alone, then one transaction), then down', async () => {
    const before = await relations();
    const [up, down] = exportMigration(generated, 'plain', { at: AT });
    const [indexPart, txPart] = up!.content.split(/^BEGIN;$/m);
    // psql runs the index statement on its own: outside any transaction block
    for (const s of indexPart!.split(/;\s*$/m).filter((x) => /CREATE INDEX/.test(x)))
      await db.pool.query(s);
    await db.pool.query(`BEGIN;${txPart}`);
    await exact();
    await db.pool.query(down!.content);
    expect(await relations()).toEqual(before);
    expect(await functions()).toBe(0);
  });

  test('node-pg-migrate: the recorded steps, in order, with their transaction modes', async () => {
    const before = await relations();
    const files = exportMigration(generated, 'node-pg-migrate', { at: AT });
    for (const f of files) {
      const m = await runNodePgMigrate(f.content, 'up');
      if (m.noTransaction) for (const s of m.sql) await db.pool.query(s);
      else await db.pool.query(`BEGIN;\n${m.sql.join(';\n')};\nCOMMIT;`);
    }
    await exact();
    for (const f of [...files].reverse()) {
      const m = await runNodePgMigrate(f.content, 'down');
      if (m.noTransaction) for (const s of m.sql) await db.pool.query(s);
      else await db.pool.query(`BEGIN;\n${m.sql.join(';\n')};\nCOMMIT;`);
    }
    expect(await relations()).toEqual(before);
  });

  test('dbmate: up sections in version order, down in reverse', async () => {
    const before = await relations();
    const files = exportMigration(generated, 'dbmate', { at: AT });
    for (const f of files) {
      const up = section(f.content, /^-- migrate:up.*$/m, /^-- migrate:down/m);
      if (/transaction:false/.test(f.content.match(/^-- migrate:up.*$/m)![0]))
        await db.pool.query(up);
      else await db.pool.query(`BEGIN;\n${up}\nCOMMIT;`);
    }
    await exact();
    for (const f of [...files].reverse()) {
      const down = section(f.content, /^-- migrate:down.*$/m);
      if (/transaction:false/.test(f.content.match(/^-- migrate:down.*$/m)![0]))
        await db.pool.query(down);
      else await db.pool.query(`BEGIN;\n${down}\nCOMMIT;`);
    }
    expect(await relations()).toEqual(before);
  });

  test('Flyway: V scripts in version order (the index one without a transaction), then the U scripts', async () => {
    const before = await relations();
    const files = exportMigration(generated, 'flyway', { at: AT });
    const scripts = (prefix: 'V' | 'U') =>
      files.filter((f) => f.path.startsWith(`sql/${prefix}`) && f.path.endsWith('.sql'));
    const run = async (f: MigrationFile) => {
      const conf = files.find((c) => c.path === `${f.path}.conf`)!.content;
      if (conf.includes('executeInTransaction=false')) await db.pool.query(f.content);
      else await db.pool.query(`BEGIN;\n${f.content}\nCOMMIT;`);
    };
    for (const f of scripts('V')) await run(f);
    await exact();
    for (const f of scripts('U').reverse()) await run(f);
    expect(await relations()).toEqual(before);
  });
});
