import type pg from 'pg';
import type { Queryable } from '../db/pool';
import {
  adjustBackfill,
  cancelBackfill,
  getBackfillOverview,
  pauseBackfill,
  resumeBackfill,
  startBackfill,
} from './backfill-control';
import { latestRuns, listBatches } from './backfill-run';
import {
  toBatchView,
  toRunView,
  type BackfillAction,
  type BackfillList,
  type BackfillState,
} from './backfill-view';

/**
 * The console's backfill API, server side: the state a summary's page polls, the list's
 * progress column, and what its buttons do. Shapes are in backfill-view.ts.
 */

/** Batches shown in the chart, and used for the rate. */
const CHART_BATCHES = 300;

export async function getBackfillState(db: Queryable, name: string): Promise<BackfillState> {
  const o = await getBackfillOverview(db, name);
  const batches = o.current ? await listBatches(db, o.current.id, CHART_BATCHES) : [];
  const now = Date.now();
  return {
    summaryName: o.summaryName,
    summaryStatus: o.summaryStatus,
    current: o.current ? toRunView(o.current, batches, now) : null,
    history: o.history.map((r) =>
      r.id === o.current?.id ? toRunView(r, batches, now) : toRunView(r, [], now),
    ),
    batches: batches.map(toBatchView),
  };
}

/** The latest run of every summary, with progress (for the summaries list). */
export async function listBackfills(db: Queryable): Promise<BackfillList> {
  const runs = await latestRuns(db);
  const now = Date.now();
  const views = await Promise.all(
    runs.map(async (r) =>
      toRunView(r, r.status === 'running' ? await listBatches(db, r.id, 20) : [], now),
    ),
  );
  return { runs: views };
}

/** What a console button does; returns the new state. */
export async function applyBackfillAction(
  pool: pg.Pool,
  name: string,
  a: BackfillAction,
  actor: string,
): Promise<BackfillState> {
  const settings = {
    ...(a.throttleMs !== undefined ? { throttleMs: a.throttleMs } : {}),
    ...(a.batchSize !== undefined ? { batchSize: a.batchSize } : {}),
    ...(a.targetBatchMs !== undefined ? { targetBatchMs: a.targetBatchMs } : {}),
  };
  switch (a.action) {
    case 'start':
    case 'restart':
      await startBackfill(pool, name, { actor, restart: a.action === 'restart', ...settings });
      break;
    case 'pause':
      await pauseBackfill(pool, name);
      break;
    case 'resume':
      await resumeBackfill(pool, name);
      if (Object.keys(settings).length) await adjustBackfill(pool, name, settings);
      break;
    case 'cancel':
      await cancelBackfill(pool, name);
      break;
    case 'adjust':
      await adjustBackfill(pool, name, settings);
      break;
  }
  return getBackfillState(pool, name);
}
