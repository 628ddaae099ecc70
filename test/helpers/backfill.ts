import type pg from 'pg';
import { startBackfill, type BackfillSettings } from '../../lib/backfill/backfill-control';
import { getRun, type BackfillRun } from '../../lib/backfill/backfill-run';
import { claimRun, runnerId } from '../../lib/backfill/lease';
import { driveRun, type DriveOptions, type RunOutcome } from '../../lib/backfill/run-backfill';
import { parseDefiningQuery } from '../../lib/definition/parse-sql';
import { groupKeyName, targetOf } from '../../lib/definition/definition';
import { compareWithTruth, type CompareResult } from '../../lib/summary/compare';
import { createSummary } from '../../lib/summary/create-summary';
import { getSummary } from '../../lib/summary/registry';

/** Installs a summary empty (triggers live, nothing counted yet), as `tally create` now does. */
export async function installEmpty(pool: pg.Pool, name: string, sql: string): Promise<void> {
  const def = await parseDefiningQuery(sql, { name });
  await createSummary(pool, def, { actor: 'backfill-test', populate: false });
}

/** Starts a run and drives it here to its end. */
export async function backfillHere(
  pool: pg.Pool,
  name: string,
  settings: BackfillSettings & { restart?: boolean } = {},
  drive: Partial<DriveOptions> = {},
): Promise<{ run: BackfillRun; outcome: RunOutcome }> {
  const started = await startBackfill(pool, name, { actor: 'backfill-test', ...settings });
  const owner = runnerId('test');
  const claimed = await claimRun(pool, owner, { runId: started.id });
  if (!claimed) throw new Error(`could not claim run ${started.id}`);
  const outcome = await driveRun(pool, started.id, { owner, ...drive });
  return { run: (await getRun(pool, started.id))!, outcome };
}

/** Summary vs defining query, in one REPEATABLE READ snapshot (valid while writers run). */
export async function driftOf(pool: pg.Pool, name: string): Promise<CompareResult> {
  const s = await getSummary(pool, name);
  const columns = [
    ...s.definition.groupBy.map(groupKeyName),
    ...s.definition.aggregates.map((a) => a.name),
  ];
  const c = await pool.connect();
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const r = await compareWithTruth(c, targetOf(s.definition), s.definingQuery, columns);
    await c.query('COMMIT');
    return r;
  } finally {
    c.release();
  }
}

export function noDrift(r: CompareResult) {
  return { missing: r.missing, extra: r.extra, sample: r.sample };
}
export const NO_DRIFT = { missing: 0, extra: 0, sample: [] };

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
