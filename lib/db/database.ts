import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { embeddedBinDir, startLocalServer, type LocalServer } from './local-server';
import { createPool } from './pool';
import { migrate } from './migrate';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The embedded database that `npm start` and the CLI share when DATABASE_URL is unset. */
export const EMBEDDED = {
  port: Number(process.env.TALLY_EMBEDDED_PORT ?? 54329),
  password: 'tally',
  database: 'tally',
  dataDir: process.env.TALLY_DATA_DIR ?? path.join(PROJECT_ROOT, '.tally', 'pgdata'),
} as const;

export interface OpenDatabase {
  readonly url: string;
  readonly pool: pg.Pool;
  /** set when the embedded server is in use */
  readonly embedded: LocalServer | null;
  close(): Promise<void>;
}

/** Creates `database` on the server at `adminUrl` if it does not exist. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * DATABASE_URL when set; otherwise the embedded server (started if it is not running).
 * Applies Tally's migrations unless `migrate: false`.
 */
export async function openDatabase(
  opts: { log?: (line: string) => void; migrate?: boolean; poolSize?: number } = {},
): Promise<OpenDatabase> {
  let url = process.env.DATABASE_URL;
  let embedded: LocalServer | null = null;
  if (!url) {
    embedded = await startLocalServer({
      binDir: await embeddedBinDir(),
      dataDir: EMBEDDED.dataDir,
      port: EMBEDDED.port,
      password: EMBEDDED.password,
      settings: { max_connections: '200', shared_buffers: '512MB', max_locks_per_transaction: '256' },
    });
    await ensureDatabase(embedded.url, EMBEDDED.database);
    url = embedded.url.replace(/\/postgres$/, `/${EMBEDDED.database}`);
    if (embedded.startedHere) opts.log?.(`started embedded PostgreSQL on port ${EMBEDDED.port}`);
  }
  const pool = createPool(url, opts.poolSize ?? 10);
  if (opts.migrate !== false) {
    const client = await pool.connect();
    try {
      const applied = await migrate(client);
      if (applied.length) opts.log?.(`applied migrations: ${applied.join(', ')}`);
    } finally {
      client.release();
    }
  }
  return {
    url,
    pool,
    embedded,
    close: async () => {
      await pool.end();
      if (embedded?.startedHere) await embedded.stop();
    },
  };
}
