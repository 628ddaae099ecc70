import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import { PROJECT_ROOT } from '../lib/db/database';

/**
 * The real CLI as a child process (`node bin/tally.mjs …`) against this file's database:
 * what users and CI scripts see, exit codes included (0 ok, 1 problem, 2 bad input).
 */
const db = await createTestDatabase(4);
const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const TALLY = path.join(PROJECT_ROOT, 'bin', 'tally.mjs');
/** Each CLI start compiles TypeScript through tsx: seconds per run on a loaded machine. */
const SLOW = { timeout: 240_000 };

function tally(
  args: readonly string[],
  opts: { input?: string; tty?: boolean } = {},
): Promise<Run> {
  // util-linux `script` runs the CLI on a pseudo-terminal, as a user at a shell would
  const [cmd, argv] = opts.tty
    ? [
        'script',
        ['-qec', [process.execPath, TALLY, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'],
      ]
    : [process.execPath, [TALLY, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: db.url, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

await db.pool.query(`
  CREATE SCHEMA crm;
  CREATE TABLE crm.calls (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id int,
    duration int NOT NULL,
    kind text NOT NULL,
    data jsonb NOT NULL DEFAULT '{}'
  );
  INSERT INTO crm.calls (user_id, duration, kind, data)
  SELECT g % 7, g % 50 - 5, CASE WHEN g % 3 = 0 THEN 'in' ELSE 'out' END,
         jsonb_build_object('stage', CASE WHEN g % 4 = 0 THEN 'won' ELSE 'open' END)
  FROM generate_series(1, 500) g;
  CREATE TABLE public.plain (id int PRIMARY KEY, grp int, amount numeric(10, 2));
  INSERT INTO public.plain SELECT g, g % 5, g * 1.5 FROM generate_series(1, 100) g;`);

const CALLS_SQL =
  "SELECT c.user_id, sum(c.duration) FILTER (WHERE c.duration > 0) AS talk, count(*), count(*) FILTER (WHERE data->>'stage' = 'won') AS won FROM crm.calls c WHERE kind <> 'spam' GROUP BY c.user_id";

/** Everything a generate must not create: relations, functions, triggers, audit entries. */
async function footprint(): Promise<Record<string, number>> {
  const { rows } = await db.pool.query<Record<string, number>>(`
    SELECT (SELECT count(*) FROM pg_class)::int AS relations,
           (SELECT count(*) FROM pg_proc)::int AS functions,
           (SELECT count(*) FROM pg_trigger)::int AS triggers,
           (SELECT count(*) FROM tally.summaries)::int AS summaries,
           (SELECT count(*) FROM tally.audit_log)::int AS audit`);
  return rows[0]!;
}

function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-cli-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('--help', SLOW, () => {
  test.each(['generate', 'create', 'drop', 'list', 'status'])(
    '%s --help shows examples',
    async (cmd) => {
      const r = await tally([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: tally ${cmd}`);
      expect(r.stdout).toContain('Examples:');
    },
  );
});

describe('tally generate', SLOW, () => {
  test('prints the install SQL and executes nothing', async () => {
    const before = await footprint();
    const r = await tally(['generate', '--name', 'calls_by_user', '--sql', CALLS_SQL]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^-- Tally summary "calls_by_user"/);
    expect(out).toContain('BEGIN;\nSET LOCAL lock_timeout = 5000;');
    expect(out).toContain('CREATE TABLE crm.calls_by_user');
    expect(out).toContain('COMMIT;');
    expect(out.indexOf('BEGIN;')).toBeLessThan(out.indexOf('COMMIT;'));
    // the uninstall script comes last, commented out
    const uninstall = out.slice(out.lastIndexOf('\n', out.indexOf('==== Uninstall')) + 1);
    expect(uninstall).toMatch(/^-- DROP TRIGGER/m);
    expect(uninstall.split('\n').filter((l) => l && !l.startsWith('--'))).toEqual([]);
    expect(await footprint()).toEqual(before);
  });

  test('the printed script runs as it stands, and the uninstall removes everything', async () => {
    const before = await footprint();
    const r = await tally([
      'generate',
      '--name',
      'plain_by_grp',
      '--sql',
      'SELECT grp, sum(amount), count(*) FROM plain GROUP BY grp',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('CONCURRENTLY');
    await db.pool.query(r.stdout);
    const diff = await db.pool.query(`
      (SELECT grp, sum, count FROM public.plain_by_grp EXCEPT ALL SELECT grp, sum(amount), count(*) FROM plain GROUP BY grp)
      UNION ALL
      (SELECT grp, sum(amount), count(*) FROM plain GROUP BY grp EXCEPT ALL SELECT grp, sum, count FROM public.plain_by_grp)`);
    expect(diff.rows).toEqual([]);
    expect(
      (await db.pool.query('SELECT count(*)::int AS n FROM public.plain_by_grp')).rows[0].n,
    ).toBe(5);

    const u = await tally([
      'generate',
      '--name',
      'plain_by_grp',
      '--sql',
      'SELECT grp, sum(amount), count(*) FROM plain GROUP BY grp',
      '--uninstall',
    ]);
    expect(u.code).toBe(0);
    expect(u.stdout).toMatch(/DROP TRIGGER/);
    expect(u.stdout).not.toMatch(/CREATE /);
    await db.pool.query(u.stdout);
    expect(await footprint()).toEqual(before);
  });

  test('source indexes come first, outside the transaction', async () => {
    const r = await tally([
      'generate',
      '--name',
      'kinds',
      '--sql',
      'SELECT user_id, array_agg(id ORDER BY id) AS ids, count(DISTINCT kind) AS kinds FROM crm.calls GROUP BY 1',
    ]);
    expect(r.code).toBe(0);
    const concurrently = r.stdout.indexOf('CREATE INDEX CONCURRENTLY');
    expect(concurrently).toBeGreaterThan(0);
    expect(concurrently).toBeLessThan(r.stdout.indexOf('BEGIN;'));
    expect(r.stdout).toMatch(/cannot run inside a\n-- transaction block/);
  });

  test('--file takes a definition JSON, from a file or stdin', async () => {
    const def = {
      shape: 'aggregate',
      name: 'calls_json',
      source: { schema: 'crm', table: 'calls' },
      groupBy: [{ kind: 'column', column: 'kind' }],
      aggregates: [{ name: 'n', fn: 'count' }],
    };
    const fromFile = await tally(['generate', '--file', tmpFile('def.json', JSON.stringify(def))]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toContain('CREATE TABLE crm.calls_json');
    const fromStdin = await tally(['generate', '--file', '-'], { input: JSON.stringify(def) });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
    // a .sql file is a defining query
    const sqlFile = await tally([
      'generate',
      '--name',
      'calls_sql',
      '--file',
      tmpFile('q.sql', CALLS_SQL),
    ]);
    expect(sqlFile.code).toBe(0);
    expect(sqlFile.stdout).toContain('CREATE TABLE crm.calls_sql');
  });

  test.each([
    {
      what: 'a zod issue names the field path',
      args: () => [
        'generate',
        '--file',
        tmpFile(
          'bad.json',
          JSON.stringify({
            shape: 'aggregate',
            name: 'x',
            source: { schema: 'crm', table: 'calls' },
            groupBy: [],
            aggregates: [{ name: 'n', fn: 'median' }],
          }),
        ),
      ],
      message: /^error: aggregates\.0\.fn: /m,
    },
    {
      what: 'broken JSON',
      args: () => ['generate', '--file', tmpFile('broken.json', '{"shape": ')],
      message: /^error: file: is not valid JSON/m,
    },
    {
      what: 'a missing file',
      args: () => ['generate', '--file', '/nonexistent/def.json'],
      message: /^error: file: cannot read/m,
    },
    {
      what: 'a refused construct, with its position',
      args: () => [
        'generate',
        '--name',
        'x',
        '--sql',
        'SELECT user_id, count(*) FROM crm.calls GROUP BY 1 HAVING count(*) > 1',
      ],
      message: /^error: sql: HAVING is not supported: .* \(at character 52\)\nhint: /m,
    },
    {
      what: '--sql without --name',
      args: () => ['generate', '--sql', CALLS_SQL],
      message: /^error: name: is required/m,
    },
    {
      what: 'neither --sql nor --file',
      args: () => ['generate', '--name', 'x'],
      message: /^error: sql: missing/m,
    },
    {
      what: 'a bad summary name',
      args: () => ['generate', '--name', 'Bad-Name', '--sql', CALLS_SQL],
      message: /^error: name: /m,
    },
    {
      what: 'an unknown column, reported against the database',
      args: () => [
        'generate',
        '--name',
        'x',
        '--sql',
        'SELECT nosuch, count(*) FROM crm.calls GROUP BY 1',
      ],
      message: /nosuch/,
    },
    {
      what: 'a bad --lock-timeout',
      args: () => ['generate', '--name', 'x', '--sql', CALLS_SQL, '--lock-timeout', 'soon'],
      message: /--lock-timeout.*must be a whole number of milliseconds/,
    },
  ])('bad input exits 2: $what', async ({ args, message }) => {
    const before = await footprint();
    const r = await tally(args());
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(await footprint()).toEqual(before);
  });
});

describe('create → list → status → drop', SLOW, () => {
  test('the round trip', async () => {
    const created = await tally(['create', '--name', 'calls_by_user', '--sql', CALLS_SQL]);
    expect(created.stderr).toBe('');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(
      /^created summary "calls_by_user" in [\d.]+s: status ready, 7 rows/,
    );
    expect(created.stdout).toContain('crm.calls_by_user');

    const truth = await db.pool.query(
      `SELECT user_id, sum(duration) FILTER (WHERE duration > 0) AS talk, count(*) AS count FROM crm.calls GROUP BY 1 ORDER BY 1`,
    );
    const table = await db.pool.query(
      'SELECT user_id, talk, count FROM crm.calls_by_user ORDER BY 1',
    );
    expect(table.rows).toEqual(truth.rows);

    // a second create with the same name is bad input
    const again = await tally(['create', '--name', 'calls_by_user', '--sql', CALLS_SQL]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error: name: a summary named "calls_by_user" already exists/m);

    const list = await tally(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^name\s+source\s+shape\s+status\s+rows\s+created$/m);
    expect(list.stdout).toMatch(/^calls_by_user\s+crm\.calls\s+aggregate\s+ready\s+7\s+\d{4}-/m);
    const listJson = JSON.parse((await tally(['list', '--json'])).stdout) as {
      name: string;
      rows: number;
      healthy: boolean;
    }[];
    expect(listJson).toEqual([
      expect.objectContaining({ name: 'calls_by_user', rows: 7, healthy: true, status: 'ready' }),
    ]);

    await db.pool.query(`INSERT INTO crm.calls (user_id, duration, kind) VALUES (100, 10, 'in')`);
    const status = await tally(['status', 'calls_by_user']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^status\s+ready$/m);
    expect(status.stdout).toMatch(/^table\s+crm\.calls_by_user: 8 rows, /m);
    expect(status.stdout).toContain('defining query:\n  SELECT');
    expect(status.stdout).toMatch(/^enabled\s+trigger\s+tally_100_calls_by_user_ins\s+crm\.calls/m);
    const statusJson = JSON.parse((await tally(['status', 'calls_by_user', '--json'])).stdout) as {
      rows: number;
      healthy: boolean;
      objects: { kind: string; exists: boolean }[];
    };
    expect(statusJson.rows).toBe(8);
    expect(statusJson.healthy).toBe(true);
    expect(statusJson.objects.filter((o) => o.kind === 'trigger')).toHaveLength(5);
    expect(statusJson.objects.every((o) => o.exists)).toBe(true);

    // a disabled trigger is the classic cause of drift: status says so and exits 1
    await db.pool.query('ALTER TABLE crm.calls DISABLE TRIGGER tally_100_calls_by_user_upd');
    const broken = await tally(['status', 'calls_by_user']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN: 1 problem/);
    expect(broken.stdout).toMatch(/problem: update trigger tally_100_calls_by_user_upd: disabled/);
    expect((await tally(['list'])).stdout).toMatch(/ready \(broken\)/);
    await db.pool.query('ALTER TABLE crm.calls ENABLE TRIGGER tally_100_calls_by_user_upd');

    // not on a terminal and no --yes: refused, nothing dropped
    const refused = await tally(['drop', 'calls_by_user']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: yes: dropping "calls_by_user" .* confirm with --yes/m);
    expect(
      (await db.pool.query(`SELECT to_regclass('crm.calls_by_user') AS t`)).rows[0].t,
    ).not.toBeNull();

    const dropped = await tally(['drop', 'calls_by_user', '--yes']);
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toMatch(/^dropped summary "calls_by_user"/);
    expect(
      (await db.pool.query(`SELECT to_regclass('crm.calls_by_user') AS t`)).rows[0].t,
    ).toBeNull();
    const triggers = await db.pool.query(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = 'crm.calls'::regclass AND NOT tgisinternal`,
    );
    expect(triggers.rows).toEqual([]);
    expect((await tally(['list'])).stdout).toMatch(/^no summaries yet/);
    const audit = await db.pool.query<{ action: string }>(
      `SELECT DISTINCT action FROM tally.audit_log WHERE summary_name = 'calls_by_user' ORDER BY 1`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'drop']);
  });

  test('--no-backfill installs it empty, with live triggers', async () => {
    const r = await tally([
      'create',
      '--name',
      'plain_empty',
      '--sql',
      'SELECT grp, count(*) FROM plain GROUP BY grp',
      '--no-backfill',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/status installed, 0 rows/);
    expect(r.stdout).toMatch(/installed empty/);
    await db.pool.query('INSERT INTO plain VALUES (1000, 42, 1)');
    const s = JSON.parse((await tally(['status', 'plain_empty', '--json'])).stdout) as {
      rows: number;
      status: string;
    };
    expect(s).toMatchObject({ rows: 1, status: 'installed' });
    expect((await tally(['drop', 'plain_empty', '--yes'])).code).toBe(0);
  });

  test.skipIf(!HAS_SCRIPT)(
    'on a terminal, drop shows the uninstall SQL and wants the name typed',
    async () => {
      const created = await tally([
        'create',
        '--name',
        'plain_tty',
        '--sql',
        'SELECT grp, count(*) FROM plain GROUP BY 1',
      ]);
      expect(created.code, created.stderr).toBe(0);
      const exists = async () =>
        (await db.pool.query(`SELECT to_regclass('public.plain_tty') IS NOT NULL AS e`)).rows[0]
          .e as boolean;

      const wrong = await tally(['drop', 'plain_tty'], { input: 'plain\n', tty: true });
      expect(wrong.stdout).toContain(
        'DROP TRIGGER IF EXISTS tally_100_plain_tty_ins ON public.plain;',
      );
      expect(wrong.stdout).toContain('Type the summary name (plain_tty) to drop it:');
      expect(wrong.stdout).toContain('not dropped: the name did not match');
      expect(wrong.code).toBe(1);
      expect(await exists()).toBe(true);

      const right = await tally(['drop', 'plain_tty'], { input: 'plain_tty\n', tty: true });
      expect(right.stdout).toContain('dropped summary "plain_tty"');
      expect(right.code).toBe(0);
      expect(await exists()).toBe(false);
    },
  );

  test('status and drop of an unknown summary exit 2', async () => {
    const s = await tally(['status', 'nosuch']);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/summary "nosuch" does not exist/);
    const d = await tally(['drop', 'nosuch', '--yes']);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/summary "nosuch" does not exist/);
  });

  test('create refuses what PostgreSQL refuses, and leaves nothing behind', async () => {
    const before = await footprint();
    const r = await tally([
      'create',
      '--name',
      'typo',
      '--sql',
      'SELECT user_id, sum(kind) FROM crm.calls GROUP BY 1',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sum/);
    expect(await footprint()).toEqual(before);
  });
});
