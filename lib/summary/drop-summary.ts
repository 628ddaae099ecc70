import type pg from 'pg';
import { exec } from '../db/pool';
import { DefinitionError, wrapDbError } from '../errors';
import { AuditTrail } from './audit';
import { DEFAULT_LOCK_TIMEOUT_MS } from './create-summary';
import { getSummary } from './registry';

export interface DropSummaryOptions {
  readonly actor: string;
  /** SET LOCAL lock_timeout, in ms (default 5000): DROP TRIGGER locks the source exclusively */
  readonly lockTimeoutMs?: number;
}

const UNREGISTER_SQL = 'DELETE FROM tally.summaries WHERE name = $1';

/**
 * Removes a summary: its recorded uninstall script (triggers, table, functions, and the source
 * index Tally created for it) and its catalog row, in one transaction bounded by lock_timeout.
 * NotFoundError when there is no such summary; DefinitionError when another summary is built
 * on it. Audited like create.
 */
export async function dropSummary(pool: pg.Pool, name: string, opts: DropSummaryOptions): Promise<void> {
  const s = await getSummary(pool, name);
  const { rows } = await pool.query<{ name: string }>(
    'SELECT name FROM tally.summaries WHERE $1 = ANY (depends_on) ORDER BY name',
    [name],
  );
  if (rows.length)
    throw DefinitionError.single('name', `summary "${name}" is the source of ${rows.map((r) => `"${r.name}"`).join(', ')}: drop those first`);

  const audit = new AuditTrail(opts.actor, 'drop', name);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      const lockTimeout = `SET LOCAL lock_timeout = ${Math.max(0, Math.floor(opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS))}`;
      await audit.record(lockTimeout, () => exec(client, lockTimeout));
      await audit.record(s.uninstallSql, () => exec(client, s.uninstallSql));
      await audit.record(UNREGISTER_SQL, () => exec(client, UNREGISTER_SQL, [name]));
      await audit.flush(client);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      audit.note('ROLLBACK');
      await audit.flush(pool).catch(() => undefined);
      throw wrapDbError(e);
    }
  } finally {
    client.release();
  }
}
