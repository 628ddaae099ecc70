import { beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import { definition, type Definition } from '../../lib/definition/definition';
import { DatabaseError, DefinitionError, NotFoundError } from '../../lib/errors';
import { createSummary } from '../../lib/summary/create-summary';
import { dropSummary } from '../../lib/summary/drop-summary';
import { getSummary, listSummaries } from '../../lib/summary/registry';
import { expectExact, leftovers } from './support';

/**
 * createSummary / dropSummary / the registry: one transaction bounded by lock_timeout, every
 * statement audited (a failed install's record survives its rollback), nothing half-installed.
 */

const db = await createTestDatabase();
const ACTOR = 'create-drop-test';

const CALLS: Definition = definition.parse({
  shape: 'aggregate',
  name: 'calls_by_user',
  source: { schema: 'crm', table: 'calls' },
  groupBy: [{ kind: 'column', column: 'user_id' }],
  aggregates: [
    { name: 'calls', fn: 'count' },
    { name: 'longest', fn: 'max', arg: 'duration' },
  ],
});

beforeAll(async () => {
  await db.pool.query(`
    CREATE SCHEMA crm;
    CREATE TABLE crm.calls (id serial PRIMARY KEY, user_id integer, duration integer);
    INSERT INTO crm.calls (user_id, duration) SELECT i % 10, i FROM generate_series(1, 100) i;`);
});

async function audit(action: string, summary: string) {
  const { rows } = await db.pool.query<{ statement: string; outcome: string; error: string | null; actor: string }>(
    `SELECT statement, outcome, error, actor FROM tally.audit_log WHERE action = $1 AND summary_name = $2 ORDER BY id`,
    [action, summary],
  );
  return rows;
}

describe('createSummary', () => {
  test('installs, populates, registers and audits; the source index is built first', async () => {
    const rec = await createSummary(db.pool, CALLS, { actor: ACTOR });
    expect(rec).toMatchObject({
      name: 'calls_by_user',
      status: 'ready',
      targetSchema: 'crm',
      targetTable: 'calls_by_user',
      sourceSchema: 'crm',
      sourceTable: 'calls',
      createdBy: ACTOR,
      definition: CALLS,
    });
    expect(rec.installSql).toMatch(/^-- Run first, outside a transaction:\n-- Recompute looks groups up by key/);
    expect(rec.uninstallSql).toMatch(/DROP INDEX IF EXISTS crm.tally_calls_by_user_src;/);
    await expectExact(db.pool, CALLS);
    await db.pool.query(`DELETE FROM crm.calls WHERE duration = 100`);
    await expectExact(db.pool, CALLS);

    const rows = await audit('create', 'calls_by_user');
    expect(rows.every((r) => r.outcome === 'ok' && r.actor === ACTOR)).toBe(true);
    expect(rows[0]!.statement).toMatch(/^-- Recompute looks.*\nCREATE INDEX CONCURRENTLY IF NOT EXISTS tally_calls_by_user_src/s);
    expect(rows[1]!.statement).toBe('SET LOCAL lock_timeout = 5000');
    expect(rows.some((r) => /^CREATE TRIGGER tally_100_calls_by_user_ins/m.test(r.statement))).toBe(true);
    expect(rows.at(-1)!.statement).toMatch(/^INSERT INTO tally.summaries/);

    expect((await listSummaries(db.pool)).map((s) => s.name)).toEqual(['calls_by_user']);
    expect((await getSummary(db.pool, 'calls_by_user')).lockClass).toBe(rec.lockClass);
    await expect(getSummary(db.pool, 'nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  test('a name or table already taken is a DefinitionError on the field', async () => {
    const again = await createSummary(db.pool, CALLS, { actor: ACTOR }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(DefinitionError);
    expect((again as DefinitionError).issues[0]).toMatchObject({ field: 'name', message: 'a summary named "calls_by_user" already exists' });

    const table = await createSummary(db.pool, definition.parse({ ...CALLS, name: 'other', target: { table: 'calls' } }), {
      actor: ACTOR,
    }).catch((e: unknown) => e);
    expect((table as DefinitionError).issues[0]!.field).toBe('target.table');
  });

  test('populate: false installs an empty, live summary', async () => {
    const d = definition.parse({ ...CALLS, name: 'calls_live', aggregates: [{ name: 'calls', fn: 'count' }] });
    const rec = await createSummary(db.pool, d, { actor: ACTOR, populate: false });
    expect(rec.status).toBe('installed');
    expect((await db.pool.query('SELECT count(*)::int AS n FROM crm.calls_live')).rows[0].n).toBe(0);
    await db.pool.query(`INSERT INTO crm.calls (user_id, duration) VALUES (42, 1)`);
    expect((await db.pool.query('SELECT user_id, calls::int FROM crm.calls_live')).rows).toEqual([{ user_id: 42, calls: 1 }]);
    await dropSummary(db.pool, 'calls_live', { actor: ACTOR });
  });

  test('a lock timeout rolls everything back and the audit rows survive the rollback', async () => {
    const d = definition.parse({ ...CALLS, name: 'calls_blocked', aggregates: [{ name: 'calls', fn: 'count' }] });
    const holder = await db.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE crm.calls IN ROW EXCLUSIVE MODE');
    try {
      const e = await createSummary(db.pool, d, { actor: ACTOR, lockTimeoutMs: 200 }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DatabaseError);
      expect((e as DatabaseError).code).toBe('55P03');
      expect((e as DatabaseError).psql).toMatch(/^ERROR: {2}canceling statement due to lock timeout/);
    } finally {
      await holder.query('ROLLBACK');
    }
    expect(await leftovers(db.pool, d)).toEqual([]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM tally.summaries WHERE name = 'calls_blocked'`)).rows[0].n).toBe(0);
    const rows = await audit('create', 'calls_blocked');
    const failed = rows.find((r) => r.outcome === 'error')!;
    expect(failed.statement).toMatch(/^CREATE TRIGGER tally_100_calls_blocked_ins/m);
    expect(failed.error).toMatch(/lock timeout/);
    expect(rows.at(-1)!.statement).toBe('ROLLBACK');
  });

  test('an index build that cannot get its locks fails within the timeout; the next attempt recovers', async () => {
    const d = definition.parse({ ...CALLS, name: 'calls_indexed', groupBy: [{ kind: 'column', column: 'duration' }] });
    const holder = await db.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE crm.calls IN ROW EXCLUSIVE MODE');
    try {
      const e = await createSummary(db.pool, d, { actor: ACTOR, lockTimeoutMs: 200 }).catch((x: unknown) => x);
      expect((e as DatabaseError).code).toBe('55P03');
    } finally {
      await holder.query('ROLLBACK');
    }
    expect((await audit('create', 'calls_indexed')).find((r) => r.outcome === 'error')!.statement).toMatch(/CREATE INDEX CONCURRENTLY/);
    await createSummary(db.pool, d, { actor: ACTOR });
    const { rows } = await db.pool.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'crm.tally_calls_indexed_src'::regclass`);
    expect(rows).toEqual([{ indisvalid: true }]);
    await expectExact(db.pool, d);
    await dropSummary(db.pool, 'calls_indexed', { actor: ACTOR });
    expect(await leftovers(db.pool, d)).toEqual([]);
  });

  test('a definition PostgreSQL refuses is a DefinitionError and executes nothing', async () => {
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM tally.audit_log')).rows[0].n;
    const d = definition.parse({ ...CALLS, name: 'calls_bad', aggregates: [{ name: 's', fn: 'sum', arg: 'no_such_column' }] });
    await expect(createSummary(db.pool, d, { actor: ACTOR })).rejects.toBeInstanceOf(DefinitionError);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM tally.audit_log')).rows[0].n).toBe(before);
  });
});

describe('dropSummary', () => {
  test('removes triggers, table, functions, the index Tally built, and the catalog row', async () => {
    await dropSummary(db.pool, 'calls_by_user', { actor: ACTOR });
    expect(await leftovers(db.pool, CALLS)).toEqual([]);
    expect(await listSummaries(db.pool)).toEqual([]);
    await db.pool.query(`INSERT INTO crm.calls (user_id, duration) VALUES (1, 1)`); // no trigger left to fail
    const rows = await audit('drop', 'calls_by_user');
    expect(rows.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok']);
    expect(rows[1]!.statement).toMatch(/DROP TRIGGER IF EXISTS tally_100_calls_by_user_ins ON crm.calls;/);
  });

  test('an unknown summary is a NotFoundError', async () => {
    await expect(dropSummary(db.pool, 'nope', { actor: ACTOR })).rejects.toBeInstanceOf(NotFoundError);
  });

  test('a lock timeout leaves the summary installed and maintained', async () => {
    await createSummary(db.pool, CALLS, { actor: ACTOR });
    const holder = await db.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT count(*) FROM crm.calls');
    try {
      const e = await dropSummary(db.pool, 'calls_by_user', { actor: ACTOR, lockTimeoutMs: 200 }).catch((x: unknown) => x);
      expect((e as DatabaseError).code).toBe('55P03');
    } finally {
      await holder.query('ROLLBACK');
    }
    await db.pool.query(`INSERT INTO crm.calls (user_id, duration) VALUES (3, 1000)`);
    await expectExact(db.pool, CALLS);
    expect((await audit('drop', 'calls_by_user')).at(-1)!.statement).toBe('ROLLBACK');
  });
});
