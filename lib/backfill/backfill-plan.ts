import { exec, type Queryable } from '../db/pool';
import { groupCountSql, remainingRowsSql, walkProbeSql } from '../sqlgen/backfill-batch';
import { summaryModel, type SummaryModel } from '../sqlgen/summary-model';
import { resolveDefinition } from '../summary/resolve';
import type { SummaryRecord } from '../summary/registry';
import type { BackfillWalk } from './backfill-run';
import type { BackfillProtocol } from './backfill-status';
import { estimateRows, explain, planNodes } from './explain';

/**
 * Which backfill protocol a summary gets, and why (DESIGN.md § Backfill).
 *
 * Key order (protocol 1) needs a source index that returns the group keys in order: each batch
 * then finds its keys by index probes and reads just their rows. The walk takes the longest
 * prefix of the GROUP BY keys such an index serves (the whole key is best: the batch's groups
 * are known without reading their rows). Without such an index every batch would scan the
 * whole source — the quadratic trap — so the summary is filled in one transaction under its
 * summary-wide lock instead, and the reason says which index would allow batches. A summary
 * without GROUP BY has one row: one batch.
 *
 * pg_stats.correlation of the leading key says how key order relates to disk order: near ±1,
 * a batch's rows sit together; near 0, each batch reads rows spread over the table (still read
 * once per batch, not once per group, since a batch recomputes a key range in one statement).
 * The physical-order protocol with a fence (protocol 2) would read each page once; it is not
 * implemented — see the benchmark in lib/bench/backfill.ts for what key order costs.
 */
export interface BackfillPlan {
  readonly protocol: BackfillProtocol;
  readonly walk: BackfillWalk | null;
  readonly reason: string;
  readonly estimatedRows: number;
  readonly estimatedGroups: number;
}

/** The summary's model, resolved against the live database (as the install was). */
export async function loadSummaryModel(db: Queryable, s: SummaryRecord): Promise<SummaryModel> {
  const m = summaryModel(await resolveDefinition(db, s.definition));
  if (m.lockClass !== s.lockClass)
    throw new Error(
      `summary "${s.name}": lock class ${m.lockClass} differs from the installed ${s.lockClass}`,
    );
  return m;
}

/** The index an ordered walk of this prefix would use, or null (Sort or no index scan). */
async function walkIndex(db: Queryable, m: SummaryModel, prefix: number): Promise<string | null> {
  const nodes = planNodes(await explain(db, walkProbeSql(m, { prefix })));
  if (nodes.some((n) => /Sort/.test(n['Node Type']))) return null;
  const scan = nodes.find(
    (n) => n['Node Type'] === 'Index Scan' || n['Node Type'] === 'Index Only Scan',
  );
  return scan?.['Index Name'] ?? null;
}

async function correlationOf(db: Queryable, m: SummaryModel): Promise<number | null> {
  const column = m.keys[0]?.column;
  if (column === undefined) return null;
  const { rows } = await exec<{ correlation: number | null }>(
    db,
    `SELECT correlation FROM pg_catalog.pg_stats WHERE schemaname = $1 AND tablename = $2 AND attname = $3`,
    [m.r.source.schema, m.r.source.table, column],
  );
  return rows[0]?.correlation ?? null;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

export async function planBackfill(db: Queryable, m: SummaryModel): Promise<BackfillPlan> {
  const estimatedRows = await estimateRows(db, remainingRowsSql(m, null));
  if (m.keys.length === 0)
    return {
      protocol: 'single',
      walk: null,
      reason: `no GROUP BY: the summary is one row, filled in one statement (~${fmt(estimatedRows)} source rows)`,
      estimatedRows,
      estimatedGroups: 1,
    };
  const estimatedGroups = await estimateRows(db, groupCountSql(m));
  for (let prefix = m.keys.length; prefix >= 1; prefix--) {
    const index = await walkIndex(db, m, prefix);
    if (!index) continue;
    const correlation = await correlationOf(db, m);
    const keys = m.keys.slice(0, prefix).map((k) => k.name);
    const layout =
      correlation === null
        ? ''
        : Math.abs(correlation) >= 0.5
          ? `; ${keys[0]} correlates with disk order (${correlation.toFixed(2)}): a batch's rows sit together`
          : `; ${keys[0]} barely correlates with disk order (${correlation.toFixed(2)}): each batch reads rows spread over the table`;
    const locks =
      prefix === m.keys.length
        ? 'each batch locks exactly the groups it found'
        : `groups are found by reading each batch's range (no index leads with all ${m.keys.length} keys)`;
    return {
      protocol: 'key_order',
      walk: { prefix, keys, index, correlation },
      reason:
        `key order over (${keys.join(', ')}) through index ${index}; ${locks}${layout}; ` +
        `~${fmt(estimatedRows)} source rows in ~${fmt(estimatedGroups)} groups`,
      estimatedRows,
      estimatedGroups,
    };
  }
  return {
    protocol: 'single',
    walk: null,
    reason:
      `no source index returns ${m.keys[0]!.name} in order, so a batch would scan the whole source: one transaction ` +
      `under the summary-wide lock instead (writers wait for it; ~${fmt(estimatedRows)} rows). ` +
      `CREATE INDEX CONCURRENTLY on (${m.keys.map((k) => k.indexSql).join(', ')}) to backfill in short batches`,
    estimatedRows,
    estimatedGroups,
  };
}
