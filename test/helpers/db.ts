import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { createPool } from '../../lib/db/pool';
import { TEMPLATE_DB, withDatabase } from './global-setup';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  readonly pool: pg.Pool;
  /** A dedicated connection outside the pool, closed after the file. */
  connect(): Promise<pg.Client>;
}

/**
 * A fresh database for this test file, cloned from the migrated template and dropped after
 * the file. Use at the top of a test file: `const db = await createTestDatabase();`
 */
export async function createTestDatabase(poolSize = 12): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const url = withDatabase(adminUrl, name);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // CREATE DATABASE … TEMPLATE fails while another session is connected to the template.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
      break;
    } catch (e) {
      if (attempt > 100 || (e as { code?: string }).code !== '55006') throw e;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  await admin.end();

  const pool = createPool(url, poolSize);
  const clients: pg.Client[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await pool.end();
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
  });
  return {
    url,
    name,
    pool,
    async connect() {
      const c = new pg.Client({ connectionString: url, application_name: 'tally-test' });
      await c.connect();
      clients.push(c);
      return c;
    },
  };
}
