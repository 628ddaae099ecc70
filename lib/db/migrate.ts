import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { exec } from './pool';

/** migrations/NNNN_name.sql, applied in order, each once, each in its own transaction. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface MigrationFile {
  readonly id: string;
  readonly sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ id: f.replace(/\.sql$/, ''), sql: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/** Applies pending migrations; returns the ids applied now. Safe to run concurrently. */
export async function migrate(client: pg.ClientBase, dir = MIGRATIONS_DIR): Promise<string[]> {
  const applied: string[] = [];
  // Must come first so two starters do not race each other through the same files.
  await client.query(`SELECT pg_advisory_lock(hashtext('tally.migrate'))`);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS tally`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS tally.migrations (
         id text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = new Set(
      (await client.query<{ id: string }>('SELECT id FROM tally.migrations')).rows.map((r) => r.id),
    );
    for (const m of readMigrations(dir)) {
      if (done.has(m.id)) continue;
      await client.query('BEGIN');
      try {
        await exec(client, m.sql);
        await client.query('INSERT INTO tally.migrations (id) VALUES ($1)', [m.id]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
      applied.push(m.id);
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('tally.migrate'))`);
  }
  return applied;
}
