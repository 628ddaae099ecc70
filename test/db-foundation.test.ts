import { describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import { DatabaseError, formatPgError } from '../lib/errors';
import { exec, withTransaction } from '../lib/db/pool';
import { migrate, readMigrations } from '../lib/db/migrate';
import { quoteIdent, quoteLiteral } from '../lib/db/ident';
import { sql, ident } from '../lib/db/sql';

const db = await createTestDatabase();

describe('migrations', () => {
  test('the template is migrated and a second run applies nothing', async () => {
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM tally.migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(readMigrations().map((m) => m.id));
    const client = await db.pool.connect();
    try {
      expect(await migrate(client)).toEqual([]);
    } finally {
      client.release();
    }
  });

  test('every migration file is idempotent when replayed', async () => {
    for (const m of readMigrations()) await db.pool.query(m.sql);
  });
});

describe('errors are shown the way psql shows them', () => {
  test('LINE and caret point at the offending token', async () => {
    const statement = 'SELECT 1,\n  nosuchcolumn\nFROM pg_class';
    const err = await exec(db.pool, statement).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as DatabaseError).psql).toBe(
      [
        'ERROR:  column "nosuchcolumn" does not exist',
        'LINE 2:   nosuchcolumn',
        '          ^',
      ].join('\n'),
    );
  });

  test('DETAIL and HINT lines', () => {
    expect(
      formatPgError({ message: 'm', detail: 'd', hint: 'h', severity: 'ERROR' }),
    ).toBe('ERROR:  m\nDETAIL:  d\nHINT:  h');
  });
});

describe('transactions', () => {
  test('rolls back on error and applies lock_timeout', async () => {
    await db.pool.query('CREATE TABLE tx_t (id int)');
    await expect(
      withTransaction(db.pool, async (c) => {
        await c.query('INSERT INTO tx_t VALUES (1)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.pool.query('SELECT count(*)::int AS n FROM tx_t')).rows[0].n).toBe(0);

    const holder = await db.connect();
    await holder.query('BEGIN; LOCK tx_t IN ACCESS EXCLUSIVE MODE');
    const started = Date.now();
    const err = await withTransaction(db.pool, (c) => c.query('SELECT * FROM tx_t'), {
      lockTimeoutMs: 200,
    }).catch((e: unknown) => e);
    await holder.query('ROLLBACK');
    expect((err as DatabaseError).code).toBe('55P03');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('quoting', () => {
  test('plain names stay bare, everything else is quoted and round-trips', async () => {
    expect(quoteIdent('user_id')).toBe('user_id');
    expect(quoteIdent('select')).toBe('"select"');
    expect(quoteIdent('Mixed')).toBe('"Mixed"');
    const hostile = 'a"; drop table x; --';
    expect(quoteIdent(hostile)).toBe('"a""; drop table x; --"');
    await db.pool.query(`CREATE TABLE ${quoteIdent(hostile)} (${quoteIdent('select')} int)`);
    const { rows } = await db.pool.query(sql`SELECT relname FROM pg_class WHERE relname = ${hostile}`);
    expect(rows).toHaveLength(1);
    const lit = "it's a \\ test";
    const { rows: r2 } = await db.pool.query(`SELECT ${quoteLiteral(lit)} AS v`);
    expect(r2[0].v).toBe(lit);
    const q = sql`SELECT ${ident('pg_catalog', 'pg_class')} WHERE x = ${1}`;
    expect(q).toEqual({ text: 'SELECT pg_catalog.pg_class WHERE x = $1', values: [1] });
  });
});
