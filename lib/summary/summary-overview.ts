import type { Queryable } from '../db/pool';
import { aggregateCallSql, normalizeDefinition } from '../definition/normalize';
import { listSummaries, getSummary, type SummaryRecord } from './registry';
import { getSummaryStatus, type SummaryStatus } from './summary-status';
import type { SummaryDetail, SummaryListItem } from './summary-views';

/**
 * The console's view of installed summaries: the registry row joined with what pg_catalog
 * says is really installed (summary-status.ts), reshaped once into the HTTP types.
 */

async function listItem(s: SummaryRecord, status: SummaryStatus): Promise<SummaryListItem> {
  const n = await normalizeDefinition(s.definition);
  return {
    name: s.name,
    shape: s.shape,
    sourceSchema: s.sourceSchema,
    sourceTable: s.sourceTable,
    targetSchema: s.targetSchema,
    targetTable: s.targetTable,
    keys: n.keys.map((k) => k.name),
    aggregates: n.aggregates.map(aggregateCallSql),
    status: s.status,
    healthy: status.healthy,
    problems: status.objects
      .filter((o) => !o.ok)
      .map((o) => `${o.role} ${o.name}: ${o.problem ?? 'not working'}`),
    rows: status.rows,
    totalBytes: status.totalBytes,
    size: status.size,
    version: s.version,
    createdBy: s.createdBy,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export async function listSummaryViews(db: Queryable): Promise<SummaryListItem[]> {
  const summaries = await listSummaries(db);
  return Promise.all(summaries.map(async (s) => listItem(s, await getSummaryStatus(db, s))));
}

/** One summary with its SQL and verified objects; NotFoundError when there is none. */
export async function getSummaryDetail(db: Queryable, name: string): Promise<SummaryDetail> {
  const s = await getSummary(db, name);
  const status = await getSummaryStatus(db, s);
  const { rows } = await db.query<{ name: string }>(
    'SELECT name FROM tally.summaries WHERE $1 = ANY (depends_on) ORDER BY name',
    [name],
  );
  return {
    ...(await listItem(s, status)),
    definition: s.definition,
    definingQuery: s.definingQuery,
    installSql: s.installSql,
    uninstallSql: s.uninstallSql,
    objects: status.objects.map((o) => ({ ...o })),
    dependsOn: s.dependsOn,
    usedBy: rows.map((r) => r.name),
  };
}
