import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import { driftOf, installEmpty, noDrift, NO_DRIFT, waitFor } from './helpers/backfill';
import { startBackfill } from '../lib/backfill/backfill-control';
import { getRun, listBatches } from '../lib/backfill/backfill-run';
import { PROJECT_ROOT } from '../lib/db/database';

/**
 * The worker as a process (`tally worker`), as in production: killed with SIGKILL mid-run, a
 * new one resumes from the cursor once the lease lapses; stopped with SIGTERM, it hands the
 * run back at once. Writers keep writing throughout; the summary ends exact.
 */

const db = await createTestDatabase(8);
const children: ChildProcess[] = [];

function startWorker(): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    [
      path.join(PROJECT_ROOT, 'bin', 'tally.mjs'),
      'worker',
      '--lease-ms',
      '1500',
      '--poll-ms',
      '100',
    ],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  children.push(child);
  return { child, output: () => out };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

beforeAll(async () => {
  await db.pool.query(`
    CREATE TABLE public.calls (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id integer, duration integer);
    INSERT INTO public.calls (user_id, duration)
    SELECT CASE WHEN g % 97 = 0 THEN NULL ELSE (g * 7919) % 1500 END, (g * 13) % 600 - 5 FROM generate_series(1, 150000) g;
    CREATE INDEX calls_user_idx ON public.calls (user_id);
    ANALYZE public.calls;`);
  await installEmpty(
    db.pool,
    'talk',
    'SELECT user_id, sum(duration) FILTER (WHERE duration > 0) AS talk, count(*) AS calls, max(duration) AS longest FROM public.calls GROUP BY user_id',
  );
});

/** Single-row writes over all groups until stopped: inserts, moves between groups, deletes. */
async function writeUntil(signal: AbortSignal): Promise<number> {
  const c = await db.pool.connect();
  let n = 0;
  try {
    while (!signal.aborted) {
      const u = Math.floor(Math.random() * 1600);
      const r = Math.random();
      if (r < 0.5)
        await c.query('INSERT INTO public.calls (user_id, duration) VALUES ($1, $2)', [
          u,
          Math.floor(Math.random() * 900),
        ]);
      else if (r < 0.8)
        await c.query(
          'UPDATE public.calls SET user_id = $1, duration = duration + 1 WHERE id = (SELECT floor(random() * 150000)::bigint + 1)',
          [u],
        );
      else
        await c.query(
          'DELETE FROM public.calls WHERE id = (SELECT floor(random() * 150000)::bigint + 1)',
        );
      n++;
      await new Promise((res) => setTimeout(res, 2));
    }
  } finally {
    c.release();
  }
  return n;
}

describe('tally worker processes', { timeout: 240_000 }, () => {
  test('SIGKILL mid-run: the next worker resumes from the cursor, progress never goes back, zero drift', async () => {
    const run = await startBackfill(db.pool, 'talk', { actor: 't', batchSize: 20, throttleMs: 15 });
    const stopWriting = new AbortController();
    const writes = writeUntil(stopWriting.signal);

    // every state the row goes through, as a progress bar polling it would see
    const seen: { rows: number; batches: number; owner: string | null; status: string }[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const r = (await getRun(db.pool, run.id))!;
        seen.push({ rows: r.rowsDone, batches: r.batchesDone, owner: r.owner, status: r.status });
        await new Promise((res) => setTimeout(res, 10));
      }
    })();

    try {
      const first = startWorker();
      await waitFor(
        '15 batches by the first worker',
        async () => ((await getRun(db.pool, run.id))!.batchesDone >= 15 ? true : null),
        60_000,
      );
      first.child.kill('SIGKILL');
      await exited(first.child);
      const atKill = (await getRun(db.pool, run.id))!;
      expect(atKill.status).toBe('running');
      expect(atKill.cursor.phase).toBe('walk');

      const second = startWorker();
      const done = await waitFor(
        'the second worker to finish',
        async () => {
          const r = (await getRun(db.pool, run.id))!;
          return r.status === 'done' ? r : null;
        },
        120_000,
      );
      second.child.kill('SIGTERM');
      expect(await exited(second.child)).toBe(0);

      expect(done.attempts).toBe(2);
      const batches = await listBatches(db.pool, run.id);
      expect(batches.map((b) => b.batchNo)).toEqual(batches.map((_, i) => i + 1));
      const owners = [...new Set(batches.map((b) => b.owner))];
      expect(owners).toHaveLength(2);
      // the second owner's first batch follows the last one the first owner committed
      const handover = batches.findIndex((b) => b.owner === owners[1]);
      expect(batches[handover - 1]!.batchNo).toBe(atKill.batchesDone);
      expect(done.rowsDone).toBe(batches.reduce((a, b) => a + b.rows, 0));
      expect(second.output()).toMatch(
        /claimed backfill #\d+ of "talk" \(resuming after batch \d+\)/,
      );
    } finally {
      watching = false;
      await watcher;
      stopWriting.abort();
    }
    expect(await writes).toBeGreaterThan(50);

    // progress as observed from outside: never backwards (at most one batch, the one lost)
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.batches).toBeGreaterThanOrEqual(seen[i - 1]!.batches - 1);
      expect(seen[i]!.rows).toBeGreaterThanOrEqual(seen[i - 1]!.rows);
    }
    expect(noDrift(await driftOf(db.pool, 'talk'))).toEqual(NO_DRIFT);
  });

  test('SIGTERM hands the run back at once: the next worker goes on without waiting for the lease', async () => {
    const run = await startBackfill(db.pool, 'talk', {
      actor: 't',
      restart: true,
      batchSize: 8,
      throttleMs: 15,
    });
    const first = startWorker();
    await waitFor(
      '10 batches',
      async () => ((await getRun(db.pool, run.id))!.batchesDone >= 10 ? true : null),
      60_000,
    );
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    const handed = (await getRun(db.pool, run.id))!;
    expect(handed).toMatchObject({ status: 'pending', owner: null });
    expect(first.output()).toMatch(/backfill #\d+ of "talk": released/);

    const second = startWorker();
    await waitFor(
      'done',
      async () => ((await getRun(db.pool, run.id))!.status === 'done' ? true : null),
      120_000,
    );
    second.child.kill('SIGTERM');
    await exited(second.child);
    expect(noDrift(await driftOf(db.pool, 'talk'))).toEqual(NO_DRIFT);
  });
});
