import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { exec, type Queryable } from '../db/pool';
import { RUN_COLUMNS, toBackfillRun, type BackfillRun, type RunRow } from './backfill-run';

/**
 * The lease on a run (DESIGN.md § Backfill): a runner claims a pending run, or a running one
 * whose heartbeat is older than the lease, with FOR UPDATE SKIP LOCKED — two runners never
 * claim the same run, and a runner that died is replaced once its lease runs out. Every batch
 * re-checks the lease under a row lock in its own transaction (run-backfill.ts), so a batch
 * commits only while its runner owns the run.
 */
export const DEFAULT_LEASE_MS = 15_000;

/** A name for this runner: host, pid and a random tag (pids are reused across restarts). */
export function runnerId(kind: string): string {
  return `${kind}@${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

const CLAIM_SQL = `
UPDATE tally.backfill_runs AS r
   SET status = 'running', owner = $1, heartbeat_at = now(), updated_at = now(),
       started_at = coalesce(r.started_at, now()), attempts = r.attempts + 1
 WHERE r.id = (
         SELECT c.id FROM tally.backfill_runs AS c
          WHERE (c.status = 'pending'
                 OR (c.status = 'running' AND (c.heartbeat_at IS NULL
                     OR c.heartbeat_at < now() - make_interval(secs => $2::float8 / 1000))))
            AND ($3::bigint IS NULL OR c.id = $3::bigint)
          ORDER BY c.created_at, c.id
          LIMIT 1
          FOR UPDATE SKIP LOCKED)
RETURNING ${RUN_COLUMNS}`;

/** Claims the oldest claimable run (or run `runId` only); null when there is none. */
export async function claimRun(
  db: Queryable,
  owner: string,
  opts: { leaseMs?: number; runId?: number } = {},
): Promise<BackfillRun | null> {
  const { rows } = await exec<RunRow>(db, CLAIM_SQL, [
    owner,
    opts.leaseMs ?? DEFAULT_LEASE_MS,
    opts.runId ?? null,
  ]);
  return rows[0] ? toBackfillRun(rows[0]) : null;
}

export interface Heartbeat {
  readonly throttleMs: number;
}

/**
 * Renews the lease. Null when this runner no longer owns a running run (paused, cancelled,
 * or taken over after a lapse): it must stop.
 */
export async function heartbeat(
  db: Queryable,
  runId: number,
  owner: string,
): Promise<Heartbeat | null> {
  const { rows } = await exec<{ throttle_ms: number }>(
    db,
    `UPDATE tally.backfill_runs SET heartbeat_at = now()
      WHERE id = $1 AND owner = $2 AND status = 'running'
      RETURNING throttle_ms`,
    [runId, owner],
  );
  return rows[0] ? { throttleMs: rows[0].throttle_ms } : null;
}

/**
 * Gives the run up: back to pending (the next runner continues from the cursor at once) or
 * paused (it waits for a resume). Does nothing when this runner no longer owns it.
 */
export async function releaseRun(
  db: Queryable,
  runId: number,
  owner: string,
  to: 'pending' | 'paused',
): Promise<void> {
  await exec(
    db,
    `UPDATE tally.backfill_runs SET status = $3, owner = NULL, heartbeat_at = NULL, updated_at = now()
      WHERE id = $1 AND owner = $2 AND status = 'running'`,
    [runId, owner, to],
  );
}
