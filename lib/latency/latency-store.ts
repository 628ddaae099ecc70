import { exec, type Queryable } from '../db/pool';
import { NotFoundError } from '../errors';
import {
  latencyRun,
  resultOf,
  speedupOf,
  type LatencyOverviewItem,
  type LatencyRun,
} from './latency-views';

/** Reads of tally.latency_runs, reshaped once into LatencyRun. */

const RUN_COLUMNS = `id, summary_name, status, runs, timeout_ms, done, total, source_rows, results, write_overhead,
  error, created_by, created_at, updated_at, finished_at`;

interface RunRow {
  id: string;
  summary_name: string;
  status: string;
  runs: number;
  timeout_ms: number;
  done: number;
  total: number;
  source_rows: string | null;
  results: unknown;
  write_overhead: unknown;
  error: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

function toRun(r: RunRow): LatencyRun {
  return latencyRun.parse({
    id: Number(r.id),
    summaryName: r.summary_name,
    status: r.status,
    runs: r.runs,
    timeoutMs: r.timeout_ms,
    done: r.done,
    total: r.total,
    sourceRows: r.source_rows === null ? null : Number(r.source_rows),
    results: r.results,
    writeOverhead: r.write_overhead,
    error: r.error,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
  });
}

export async function getLatencyRun(db: Queryable, id: number): Promise<LatencyRun> {
  const { rows } = await exec<RunRow>(
    db,
    `SELECT ${RUN_COLUMNS} FROM tally.latency_runs WHERE id = $1`,
    [id],
  );
  if (!rows[0]) throw new NotFoundError(`latency run ${id} does not exist`);
  return toRun(rows[0]);
}

/** The summary's runs, newest first. */
export async function listLatencyRuns(
  db: Queryable,
  summaryName: string,
  limit = 50,
): Promise<LatencyRun[]> {
  const { rows } = await exec<RunRow>(
    db,
    `SELECT ${RUN_COLUMNS} FROM tally.latency_runs WHERE summary_name = $1 ORDER BY id DESC LIMIT $2`,
    [summaryName, limit],
  );
  return rows.map(toRun);
}

/** The latest finished run of every summary, best dashboard speed-up first. */
export async function latencyOverview(db: Queryable): Promise<LatencyOverviewItem[]> {
  const { rows } = await exec<RunRow>(
    db,
    `SELECT DISTINCT ON (r.summary_name) ${RUN_COLUMNS.split(',')
      .map((c) => `r.${c.trim()}`)
      .join(', ')}
       FROM tally.latency_runs r JOIN tally.summaries s ON s.name = r.summary_name
      WHERE r.status = 'done'
      ORDER BY r.summary_name, r.id DESC`,
  );
  return rows
    .map(toRun)
    .map((run) => ({
      summaryName: run.summaryName,
      runId: run.id,
      finishedAt: run.finishedAt,
      perKey: speedupOf(
        resultOf(run.results, 'per_key_view')?.stats,
        resultOf(run.results, 'per_key_table')?.stats,
        run.timeoutMs,
      ),
      dashboard: speedupOf(
        resultOf(run.results, 'dashboard_view')?.stats,
        resultOf(run.results, 'dashboard_table')?.stats,
        run.timeoutMs,
      ),
    }))
    .sort((a, b) => (b.dashboard.factor ?? 0) - (a.dashboard.factor ?? 0));
}

/** The timed samples of a run, per query, in run order (for the CLI and debugging). */
export async function latencySamples(
  db: Queryable,
  runId: number,
): Promise<Map<string, { ms: number; timedOut: boolean }[]>> {
  const { rows } = await exec<{ query: string; client_ms: number; timed_out: boolean }>(
    db,
    `SELECT query, client_ms, timed_out FROM tally.latency_samples WHERE run_id = $1 ORDER BY query, seq`,
    [runId],
  );
  const out = new Map<string, { ms: number; timedOut: boolean }[]>();
  for (const r of rows) {
    const list = out.get(r.query) ?? [];
    list.push({ ms: r.client_ms, timedOut: r.timed_out });
    out.set(r.query, list);
  }
  return out;
}
