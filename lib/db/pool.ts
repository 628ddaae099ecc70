import pg from 'pg';
import { wrapDbError } from '../errors';

export type Queryable = pg.Pool | pg.PoolClient | pg.Client | pg.ClientBase;

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  /** SET LOCAL lock_timeout, in milliseconds (0 = wait forever) */
  lockTimeoutMs?: number;
  /** SET LOCAL statement_timeout, in milliseconds (0 = no limit) */
  statementTimeoutMs?: number;
  readOnly?: boolean;
}

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: 'tally' });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

const globalForPool = globalThis as unknown as { tallyPool?: pg.Pool };

/** The process-wide pool on DATABASE_URL (set by `tally serve` for the console). */
export function getPool(): pg.Pool {
  if (!globalForPool.tallyPool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set');
    globalForPool.tallyPool = createPool(url, Number(process.env.TALLY_POOL_SIZE ?? 10));
  }
  return globalForPool.tallyPool;
}

/** Runs `fn` inside BEGIN … COMMIT on one client, with per-operation timeouts. */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  opts: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    const mode = [
      opts.isolation ? `ISOLATION LEVEL ${opts.isolation.toUpperCase()}` : '',
      opts.readOnly ? 'READ ONLY' : '',
    ]
      .filter(Boolean)
      .join(' ');
    await client.query(`BEGIN ${mode}`);
    if (opts.lockTimeoutMs !== undefined)
      await client.query(`SET LOCAL lock_timeout = ${Math.max(0, Math.floor(opts.lockTimeoutMs))}`);
    if (opts.statementTimeoutMs !== undefined)
      await client.query(
        `SET LOCAL statement_timeout = ${Math.max(0, Math.floor(opts.statementTimeoutMs))}`,
      );
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw wrapDbError(e);
  } finally {
    client.release();
  }
}

/** Runs one statement and attaches its text to any error, for psql-style reporting. */
export async function exec<R extends pg.QueryResultRow = pg.QueryResultRow>(
  db: Queryable,
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult<R>> {
  try {
    return await db.query<R>(text, values);
  } catch (e) {
    throw wrapDbError(e, text);
  }
}
