import { quoteIdent } from '../../db/ident';
import { recomputedColumns } from '../delta-query';
import { indentLines } from '../render/format';
import { groupRows } from '../key-match';
import type { BodyStep } from '../plan';
import type { SummaryModel } from '../summary-model';
import { STALE_VAR } from './apply-delta';

const q = quoteIdent;

/** The group's rows in the source, found through the key index (key-match.ts). */
export function sourceGroupSelect(m: SummaryModel, items: readonly string[]): string {
  const keys = m.keys.map((k) => ({ expr: k.sql, value: `s.${q(k.name)}`, nullable: !k.notNull }));
  const g = groupRows(m.source, 't', keys);
  const where = [...g.where, ...(m.filterSql ? [m.filterSql] : [])];
  return [`SELECT ${items.join(', ')}`, `FROM ${g.from}`, ...(where.length ? [`WHERE ${where.join(' AND ')}`] : [])].join('\n');
}

export function renderRecomputeGroups(step: Extract<BodyStep, { kind: 'recomputeGroups' }>, m: SummaryModel): string {
  const { set, clear } = recomputedColumns(m, step.mode);
  const sub = sourceGroupSelect(
    m,
    set.map((c) => c.expr),
  );
  const target = set.length === 1 ? q(set[0]!.column) : `(${set.map((c) => q(c.column)).join(', ')})`;
  const assignments = [`${target} = (\n${indentLines(sub, '  ')}\n)`, ...clear.map((c) => `${q(c)} = NULL`)];
  const why =
    step.mode === 'insert'
      ? `-- count(DISTINCT …) and array_agg cannot be updated from the delta: recompute them for the`
      : `-- Recompute what the delta cannot undo (a removed min/max or numeric scale, count(DISTINCT …),`;
  const why2 =
    step.mode === 'insert'
      ? `-- touched groups from the source (under the group locks, through the index on the keys).`
      : `-- array_agg) for just the stale groups, from the source, under the group locks. Sums are never`;
  return [
    why,
    why2,
    ...(step.mode === 'insert' ? [] : [`-- recomputed: another trigger of the same statement adds its rows' delta to them.`]),
    `IF ${STALE_VAR} IS NOT NULL THEN`,
    `  UPDATE ${m.table} AS s SET`,
    indentLines(assignments.join(',\n'), '    '),
    `  WHERE s.ctid = ANY (${STALE_VAR});`,
    `END IF;`,
  ].join('\n');
}
