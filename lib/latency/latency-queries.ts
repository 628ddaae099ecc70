import { qualify, quoteIdent } from '../db/ident';
import type { Queryable } from '../db/pool';
import { groupKeyName } from '../definition/definition';
import type { SummaryRecord } from '../summary/registry';
import type { LatencyQueryId } from './latency-views';
import { sampleRows, tableInfo, type TableInfo } from './source-sample';

/** One statement as it runs: text with $n parameters, and their values. */
export interface Statement {
  readonly text: string;
  readonly values: readonly (string | null)[];
}

/** A read the lab times; run i uses statements[i % statements.length]. */
export interface TimedQuery {
  readonly id: LatencyQueryId;
  readonly label: string;
  readonly statements: readonly Statement[];
}

export const DASHBOARD_LIMIT = 50;

/**
 * `col = $n::type` for each key value, `col IS NULL` for a NULL one, so each side can use its
 * index (IS NOT DISTINCT FROM cannot).
 */
function keyMatch(
  columns: readonly { name: string; type: string }[],
  values: readonly (string | null)[],
): { where: string; values: (string | null)[] } {
  const parts: string[] = [];
  const params: (string | null)[] = [];
  columns.forEach((c, i) => {
    const v = values[i] ?? null;
    if (v === null) parts.push(`${quoteIdent(c.name)} IS NULL`);
    else {
      params.push(v);
      parts.push(`${quoteIdent(c.name)} = $${params.length}::${c.type}`);
    }
  });
  return { where: parts.length ? parts.join(' AND ') : 'true', values: params };
}

function typeOf(info: TableInfo, column: string): string {
  const c = info.columns.find((x) => x.name === column);
  if (!c) throw new Error(`${qualify(info.ref.schema, info.ref.table)} has no column "${column}"`);
  return c.type;
}

export interface LatencyPlan {
  readonly queries: TimedQuery[];
  readonly source: TableInfo;
  readonly sampleKeys: number;
}

/**
 * The reads of DESIGN.md § Latency lab for one summary: a per-key read and the dashboard form
 * (all groups, ordered by an aggregate, top 50), each from the defining query ("view") and from
 * the summary table ("table"), plus a primary-key lookup on the source as the floor. The
 * sample keys are drawn from the summary, so both sides read groups that exist.
 */
export async function buildLatencyQueries(
  db: Queryable,
  s: SummaryRecord,
  sampleKeys: number,
): Promise<LatencyPlan> {
  const target = await tableInfo(db, { schema: s.targetSchema, table: s.targetTable });
  const source = await tableInfo(db, { schema: s.sourceSchema, table: s.sourceTable });
  const keyNames = s.definition.groupBy.map(groupKeyName);
  const visible = [...keyNames, ...s.definition.aggregates.map((a) => a.name)];
  const keyCols = keyNames.map((name) => ({ name, type: typeOf(target, name) }));
  const table = qualify(s.targetSchema, s.targetTable);
  const view = `(\n${s.definingQuery}\n) AS defining_query`;
  const select = visible.map(quoteIdent).join(', ');

  const keys = keyNames.length ? await sampleRows(db, target, keyNames, sampleKeys) : [[]];
  const perKey = (from: string) =>
    (keys.length ? keys : [[]]).map((k) => {
      const m = keyMatch(keyCols, k);
      return { text: `SELECT ${select} FROM ${from} WHERE ${m.where}`, values: m.values };
    });

  // the dashboard sorts by the first aggregate that has an ordering (not an array)
  const orderBy =
    s.definition.aggregates.find((a) => !typeOf(target, a.name).endsWith('[]'))?.name ??
    s.definition.aggregates[0]!.name;
  const dashboard = (from: string) => [
    {
      text: `SELECT ${select} FROM ${from} ORDER BY ${quoteIdent(orderBy)} DESC NULLS LAST LIMIT ${DASHBOARD_LIMIT}`,
      values: [],
    },
  ];

  const queries: TimedQuery[] = [
    { id: 'per_key_view', label: 'per-key read, defining query', statements: perKey(view) },
    { id: 'per_key_table', label: 'per-key read, summary table', statements: perKey(table) },
    {
      id: 'dashboard_view',
      label: `top ${DASHBOARD_LIMIT} by ${orderBy}, defining query`,
      statements: dashboard(view),
    },
    {
      id: 'dashboard_table',
      label: `top ${DASHBOARD_LIMIT} by ${orderBy}, summary table`,
      statements: dashboard(table),
    },
  ];

  if (source.primaryKey.length) {
    const pkCols = source.primaryKey.map((name) => ({ name, type: typeOf(source, name) }));
    const pks = await sampleRows(db, source, source.primaryKey, sampleKeys);
    if (pks.length)
      queries.push({
        id: 'pk_lookup',
        label: 'primary-key lookup on the source (baseline)',
        statements: pks.map((k) => {
          const m = keyMatch(pkCols, k);
          return {
            text: `SELECT * FROM ${qualify(source.ref.schema, source.ref.table)} WHERE ${m.where}`,
            values: m.values,
          };
        }),
      });
  }
  return { queries, source, sampleKeys: keys.length };
}
