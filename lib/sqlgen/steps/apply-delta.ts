import { quoteIdent } from '../../db/ident';
import { deltaQuery, foldAssignments, staleCondition } from '../delta-query';
import { indentLines } from '../render/format';
import { ROWS_COLUMN } from '../names';
import type { BodyStep } from '../plan';
import type { DeltaMode, SummaryModel } from '../summary-model';

export const GONE_VAR = '_tally_gone';
export const STALE_VAR = '_tally_stale';

const q = quoteIdent;

/** Which row-id arrays the delta statement collects for the steps after it. */
export function collects(m: SummaryModel, mode: DeltaMode): { gone: boolean; stale: boolean } {
  return { gone: m.keys.length > 0 && mode !== 'insert', stale: staleCondition(m, mode) !== undefined };
}

const ABOUT: Record<DeltaMode, string> = {
  insert: `-- Add the new rows' per-group partial aggregates to their groups (creating new groups).`,
  delete: `-- Subtract the deleted rows' per-group partial aggregates from their groups.`,
  update: `-- Add what the new row versions contribute and subtract what the old ones did, per group;\n-- groups whose aggregates do not change are skipped.`,
};

export function renderApplyDelta(step: Extract<BodyStep, { kind: 'applyDelta' }>, m: SummaryModel): string {
  const { sql, columns } = deltaQuery(m, step.mode);
  const keyed = m.keys.length > 0;
  const set = foldAssignments(m, step.mode, keyed ? 'EXCLUDED' : 'e');
  const write = keyed
    ? [
        `INSERT INTO ${m.table} AS s (${columns.map(q).join(', ')})`,
        sql,
        `ON CONFLICT (${m.keys.map((k) => q(k.name)).join(', ')}) DO UPDATE SET`,
        set.map((a) => `  ${a}`).join(',\n'),
      ].join('\n')
    : [`UPDATE ${m.table} AS s SET`, set.map((a) => `  ${a}`).join(',\n'), `FROM (`, indentLines(sql, '  '), `) AS e`].join('\n');

  const c = collects(m, step.mode);
  if (!c.gone && !c.stale) return `${ABOUT[step.mode]}\n${write};`;
  const stale = staleCondition(m, step.mode);
  // 'true': every touched group is recomputed (count(DISTINCT …), array_agg)
  const everyGroup = stale === 'true';
  const returning = [
    `s.ctid AS row_id`,
    `s.${q(ROWS_COLUMN)} AS group_rows`,
    ...(stale && !everyGroup ? [`(${stale}) AS stale`] : []),
  ];
  const staleFilter = [...(keyed ? ['group_rows > 0'] : []), ...(everyGroup ? [] : ['stale'])];
  const into = [
    ...(c.gone ? [`array_agg(row_id) FILTER (WHERE group_rows <= 0)`] : []),
    ...(c.stale ? [staleFilter.length ? `array_agg(row_id) FILTER (WHERE ${staleFilter.join(' AND ')})` : 'array_agg(row_id)'] : []),
  ];
  const vars = [...(c.gone ? [GONE_VAR] : []), ...(c.stale ? [STALE_VAR] : [])];
  return [
    ABOUT[step.mode],
    c.stale
      ? `-- Collect the groups left empty (deleted below) and those to recompute from the source.`
      : `-- Collect the groups left empty (deleted below).`,
    `WITH changed AS (`,
    indentLines(write, '  '),
    `  RETURNING ${returning.join(', ')}`,
    `)`,
    `SELECT ${into.join(', ')}`,
    `INTO ${vars.join(', ')}`,
    `FROM changed;`,
  ].join('\n');
}
