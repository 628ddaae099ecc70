import { qualify, quoteIdent } from '../db/ident';
import type { TableRef } from '../definition/definition';
import { renderDefiningQuery } from '../definition/defining-query';
import { emptyGroupValues } from './delta-query';
import { MAX_NULLABLE_BRANCH_KEYS } from './key-match';
import { ROWS_COLUMN, type TriggerEvent } from './names';
import type { BodyStep, ColumnSpec, InstallPlan, PlanNode, PlanSection } from './plan';
import { collects, GONE_VAR, STALE_VAR } from './steps/apply-delta';
import { SLOTS_VAR } from './steps/lock-groups';
import { withNonFinite, type DeltaMode, type RunningSum, type SummaryModel } from './summary-model';

/** Tally's maintenance writes set this (SET LOCAL) so the guard lets them through. */
export const MAINTENANCE_SETTING = 'tally.maintenance';
export const NEW_TABLE = '_tally_new';
export const OLD_TABLE = '_tally_old';
export const SUMMARY_FILLFACTOR = 70;

function summaryColumns(m: SummaryModel): ColumnSpec[] {
  const cols: ColumnSpec[] = m.keys.map((k) => ({
    name: k.name,
    type: k.type,
    ...(k.collation ? { collation: k.collation } : {}),
    ...(k.notNull ? { notNull: true } : {}),
  }));
  const hidden: ColumnSpec[] = [
    { name: ROWS_COLUMN, type: 'bigint', notNull: true, comment: 'source rows in the group (passing WHERE)' },
  ];
  for (const a of m.aggregates) {
    const coll = a.resolved.collation ? { collation: a.resolved.collation } : {};
    switch (a.kind) {
      case 'count':
      case 'recompute':
        cols.push({ name: a.name, type: a.resolved.type, ...coll });
        break;
      case 'sum': {
        const nf = a.running.nonFinite;
        if (!nf) cols.push({ name: a.name, type: a.resolved.type, ...coll });
        else {
          cols.push({ name: a.name, type: a.resolved.type, generated: withNonFinite(quoteIdent(a.running.column), nf, a.resolved.type) });
          hidden.push({ name: a.running.column, type: a.sum.sumType, comment: `running sum of the finite values in ${a.name}` });
        }
        hidden.push({ name: a.nn, type: 'bigint', notNull: true, comment: `non-NULL values in ${a.name}` }, ...nonFiniteColumns(a.running, a.name));
        break;
      }
      case 'avg': {
        const sum = a.scaleColumn
          ? `pg_catalog.round(${quoteIdent(a.sumColumn)}, ${quoteIdent(a.scaleColumn)})`
          : quoteIdent(a.sumColumn);
        const avg = a.avg.divide(sum, quoteIdent(a.nn));
        const nf = a.running.nonFinite;
        cols.push({ name: a.name, type: a.resolved.type, generated: nf ? withNonFinite(avg, nf, a.resolved.type) : avg });
        hidden.push(
          { name: a.sumColumn, type: a.avg.sumType, comment: `running sum${nf ? ' of the finite values' : ''} behind ${a.name}` },
          { name: a.nn, type: 'bigint', notNull: true, comment: `non-NULL values behind ${a.name}` },
          ...nonFiniteColumns(a.running, a.name),
        );
        break;
      }
      case 'extreme':
        if (a.hidden) {
          hidden.push({ name: a.name, type: a.hidden.type, comment: a.hidden.comment });
          hidden.push({ name: a.removed, type: a.hidden.type, comment: `NULL at rest; a removed ${a.name} value while it is recomputed` });
          break;
        }
        cols.push({ name: a.name, type: a.resolved.type, ...coll });
        hidden.push({
          name: a.removed,
          type: a.resolved.type,
          ...coll,
          comment: `NULL at rest; a removed ${a.resolved.fn} value while ${a.name} is recomputed`,
        });
        break;
    }
  }
  return [...cols, ...hidden];
}

function nonFiniteColumns(r: RunningSum, name: string): ColumnSpec[] {
  const nf = r.nonFinite;
  if (!nf) return [];
  return [
    { name: nf.nan, type: 'bigint', notNull: true, comment: `NaN values in ${name}` },
    { name: nf.pinf, type: 'bigint', notNull: true, comment: `+Infinity values in ${name}` },
    { name: nf.ninf, type: 'bigint', notNull: true, comment: `-Infinity values in ${name}` },
  ];
}

function keyIndexItems(m: SummaryModel): string[] {
  return m.keys.map((k) => (k.column !== undefined ? quoteIdent(k.column) : `(${k.sql})`));
}

function maintenanceSteps(m: SummaryModel, mode: DeltaMode): BodyStep[] {
  const c = collects(m, mode);
  return [
    { kind: 'lockGroups', mode },
    { kind: 'applyDelta', mode },
    ...(c.gone ? [{ kind: 'deleteEmptyGroups' } as const] : []),
    ...(c.stale && m.keys.length > 0 ? [{ kind: 'checkSnapshot' } as const] : []),
    ...(c.stale ? [{ kind: 'recomputeGroups', mode } as const] : []),
  ];
}

function variablesFor(m: SummaryModel, mode: DeltaMode) {
  const c = collects(m, mode);
  return [
    ...(m.keys.length ? [{ name: SLOTS_VAR, type: 'integer[]' }] : []),
    ...(c.gone ? [{ name: GONE_VAR, type: 'tid[]' }] : []),
    ...(c.stale ? [{ name: STALE_VAR, type: 'tid[]' }] : []),
  ];
}

const EVENT_SQL: Record<TriggerEvent, 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE'> = {
  insert: 'INSERT',
  update: 'UPDATE',
  delete: 'DELETE',
  truncate: 'TRUNCATE',
};

function warningsFor(m: SummaryModel): InstallPlan['warnings'] {
  const w: { code: string; message: string }[] = [];
  const src = qualify(m.r.source.schema, m.r.source.table);
  const recomputed = [
    ...new Set(
      m.aggregates
        .filter((a) => a.kind === 'extreme' || a.kind === 'recompute')
        .map((a) => (a.kind === 'extreme' && a.hidden ? a.hidden.of : a.name)),
    ),
  ];
  if (m.keys.length === 0 && recomputed.length)
    w.push({
      code: 'recompute_scans_source',
      message: `without GROUP BY, recomputing ${recomputed.join(', ')} (after a removed min/max, or any change for count(DISTINCT …)/array_agg) reads all of ${src}`,
    });
  if (m.needsRecomputeIndex && !m.r.recomputeIndex && m.r.keysIndexable)
    w.push({
      code: 'source_index_created',
      message: `${recomputed.join(', ')} are recomputed per group from ${src}: Tally creates index ${quoteIdent(m.names.sourceIndex)} on (${keyIndexItems(m).join(', ')}) CONCURRENTLY before installing (it takes time and space on a large table)`,
    });
  if (m.needsRecomputeIndex && m.r.recomputeIndex?.covers === 'leading')
    w.push({
      code: 'source_index_partial',
      message: `index ${quoteIdent(m.r.recomputeIndex.name)} on ${src} leads with only some of the group keys: each recompute reads every row sharing the leading key; an index on (${keyIndexItems(m).join(', ')}) would read just the group`,
    });
  if (m.keys.filter((k) => !k.notNull).length > MAX_NULLABLE_BRANCH_KEYS && m.needsRecomputeIndex)
    w.push({
      code: 'nullable_keys',
      message: `more than ${MAX_NULLABLE_BRANCH_KEYS} group keys may be NULL: recompute lookups for groups with NULL keys also read the other NULL-key rows; declare key columns NOT NULL where possible`,
    });
  for (const a of m.aggregates) {
    const base = a.resolved.argBaseType;
    if ((a.kind === 'sum' || a.kind === 'avg') && (base === 'real' || base === 'double precision'))
      w.push({
        code: 'float_rounding',
        message: `${a.name}: a floating-point ${a.resolved.fn} is maintained by addition and subtraction, so it can differ from a fresh ${a.resolved.fn} in the last digits; compare with a tolerance`,
      });
    if (a.kind === 'sum' && a.resolved.argType === 'numeric')
      w.push({
        code: 'numeric_scale',
        message: `${a.name}: over unconstrained numeric, the running sum keeps the largest display scale it has seen (2.50 - 0.50 shows as 2.00, equal to 2); declare the column numeric(p, s) to avoid it`,
      });
    if (a.resolved.fn === 'array_agg') {
      const ordered = a.resolved.orderBy.map((o) => o.sql);
      const total = m.r.sourceUniqueColumns.some((u) => u.every((c) => ordered.includes(quoteIdent(c))));
      if (!total)
        w.push({
          code: 'array_agg_ties',
          message: `${a.name}: ORDER BY ${ordered.join(', ')} does not include a unique key of ${src}, so rows that tie may come out in a different order than a fresh query's; add a unique column (e.g. the primary key) to the ORDER BY`,
        });
    }
  }
  return w;
}

export function buildInstallPlan(m: SummaryModel): InstallPlan {
  const r = m.r;
  const n = m.names;
  const target: TableRef = r.target;
  const source: TableRef = r.source;
  const fnSchema = target.schema;
  const srcText = qualify(source.schema, source.table);
  const tgtText = qualify(target.schema, target.table);
  const createSourceIndex = m.needsRecomputeIndex && !r.recomputeIndex && r.keysIndexable;

  const sourceIndexes: PlanNode[] = createSourceIndex
    ? [
        {
          kind: 'createIndex',
          name: n.sourceIndex,
          table: source,
          items: keyIndexItems(m),
          concurrently: true,
          ifNotExists: true,
          comment: `Recompute looks groups up by key on ${srcText}. Run before the install, outside a transaction.`,
        },
      ]
    : [];

  const table: PlanNode[] = [
    {
      kind: 'createTable',
      table: target,
      columns: summaryColumns(m),
      fillfactor: SUMMARY_FILLFACTOR,
      comment: [
        `Visible columns = the defining query's; _tally_* columns are Tally's bookkeeping.`,
        `Every write to a group rewrites its row: free space on each page keeps those updates HOT.`,
      ].join('\n'),
    },
    {
      kind: 'commentOnTable',
      table: target,
      text: `Tally summary "${r.name}", kept equal to this query by triggers on ${srcText}:\n${renderDefiningQuery(r)}`,
    },
    m.keys.length
      ? {
          kind: 'createIndex',
          name: n.keyIndex,
          table: target,
          items: m.keys.map((k) => quoteIdent(k.name)),
          unique: true,
          nullsNotDistinct: true,
          comment: 'One row per group; NULL keys form a group, as in GROUP BY.',
        }
      : {
          kind: 'createIndex',
          name: n.keyIndex,
          table: target,
          items: ['(true)'],
          unique: true,
          comment: 'No GROUP BY: exactly one row.',
        },
    ...(m.keys.length === 0
      ? [
          {
            kind: 'insertRow',
            table: target,
            values: emptyGroupValues(m).map((c) => ({ column: c.column, value: c.expr })),
            comment: 'The aggregates over no rows, as SELECT without GROUP BY returns them.',
          } as const,
        ]
      : []),
  ];

  const guard: PlanNode[] = [
    {
      kind: 'createFunction',
      schema: fnSchema,
      name: n.guardFunction,
      about: [`Tally summary "${r.name}": refuses writes to ${tgtText} that do not come from its maintenance.`],
      securityDefiner: false,
      variables: [],
      steps: [
        {
          kind: 'raiseReadOnly',
          setting: MAINTENANCE_SETTING,
          value: r.name,
          message: `${tgtText} is a summary table maintained by Tally (summary "${r.name}"); it cannot be written directly`,
          detail: `Only the triggers on ${srcText} (and Tally's backfill and repair) change it; a direct write would make it disagree with its defining query.`,
          hint: `Write to ${srcText} instead. To repair drift: tally reconcile ${r.name} --repair`,
        },
      ],
    },
    { kind: 'revokeExecute', schema: fnSchema, name: n.guardFunction },
    {
      kind: 'createTrigger',
      name: n.guardTrigger,
      table: target,
      timing: 'BEFORE',
      events: ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'],
      // depth 0: a statement typed by a user; Tally's triggers write at depth >= 1. The WHEN
      // is evaluated for every statement on the table, so it stays this small.
      when: `pg_catalog.pg_trigger_depth() < 1`,
      functionSchema: fnSchema,
      functionName: n.guardFunction,
      comment: 'Direct writes fail with a clear error; the maintenance triggers pass without a function call.',
    },
  ];

  const events: TriggerEvent[] = ['insert', 'update', 'delete', 'truncate'];
  const maintenance: PlanNode[] = events.flatMap((e): PlanNode[] => [
    {
      kind: 'createFunction',
      schema: fnSchema,
      name: n.functions[e],
      about: [
        `Tally summary "${r.name}": keeps ${tgtText} exact after ${EVENT_SQL[e]} on ${srcText}.`,
        `Runs once per statement${e === 'truncate' ? '' : ' and sees all its rows in the transition table(s)'}.`,
      ],
      securityDefiner: true,
      variables: e === 'truncate' ? [] : variablesFor(m, e),
      steps: e === 'truncate' ? [{ kind: 'lockSummary' }, { kind: 'resetSummary' }] : maintenanceSteps(m, e),
    },
    { kind: 'revokeExecute', schema: fnSchema, name: n.functions[e] },
  ]);

  const triggers: PlanNode[] = events.map((e) => ({
    kind: 'createTrigger',
    name: n.triggers[e],
    table: source,
    timing: 'AFTER',
    events: [EVENT_SQL[e]],
    ...(e === 'update' || e === 'delete' ? { oldTable: OLD_TABLE } : {}),
    ...(e === 'update' || e === 'insert' ? { newTable: NEW_TABLE } : {}),
    functionSchema: fnSchema,
    functionName: n.functions[e],
  }));

  const sections: PlanSection[] = [
    ...(sourceIndexes.length
      ? [{ id: 'source_indexes', title: 'Source index for recompute (CONCURRENTLY, before the install transaction)', phase: 'concurrent', nodes: sourceIndexes } as const]
      : []),
    { id: 'table', title: 'Summary table', phase: 'install', nodes: table },
    { id: 'guard', title: 'Guard: the summary table is read-only except to maintenance', phase: 'install', nodes: guard },
    { id: 'maintenance', title: 'Maintenance functions (one per source event)', phase: 'install', nodes: maintenance },
    {
      id: 'triggers',
      title: 'Statement-level triggers on the source (SHARE ROW EXCLUSIVE lock on it until COMMIT)',
      phase: 'install',
      nodes: triggers,
    },
    {
      id: 'populate',
      title: 'Populate from the source (optional; same transaction, after the triggers)',
      phase: 'populate',
      nodes: [
        { kind: 'setLocal', name: MAINTENANCE_SETTING, value: r.name, comment: 'lets this transaction write the summary' },
        { kind: 'populate' },
      ],
    },
  ];

  const uninstall: PlanNode[] = [
    ...events.map((e): PlanNode => ({ kind: 'dropTrigger', name: n.triggers[e], table: source })),
    { kind: 'dropTable', table: target },
    ...[n.guardFunction, ...events.map((e) => n.functions[e])].map(
      (name): PlanNode => ({ kind: 'dropFunction', schema: fnSchema, name }),
    ),
    ...(createSourceIndex
      ? [{ kind: 'dropIndex', schema: source.schema, name: n.sourceIndex, comment: 'created by Tally for the recompute lookups' } as const]
      : []),
  ];

  return { sections, uninstall, warnings: [...r.warnings, ...warningsFor(m)] };
}
