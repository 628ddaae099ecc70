import { NEW_ROWS, OLD_ROWS } from '../delta-query';
import { lockSlotsPlpgsql, slotSql, wideLockSql } from '../locks';
import type { BodyStep } from '../plan';
import type { SummaryModel } from '../summary-model';

export const SLOTS_VAR = '_tally_slots';

function sides(step: Extract<BodyStep, { kind: 'lockGroups' }>): string[] {
  return step.mode === 'insert' ? [NEW_ROWS] : step.mode === 'delete' ? [OLD_ROWS] : [NEW_ROWS, OLD_ROWS];
}

export function renderLockGroups(step: Extract<BodyStep, { kind: 'lockGroups' }>, m: SummaryModel): string {
  const where = m.filterSql ? ` WHERE ${m.filterSql}` : '';
  if (m.keys.length === 0) {
    const probe = sides(step)
      .map((t) => `SELECT 1 FROM ${t}${where}`)
      .join(' UNION ALL ');
    return [
      `-- One group: the summary-wide lock serializes its writers.`,
      `PERFORM 1 FROM (${probe}) AS c LIMIT 1;`,
      `IF NOT FOUND THEN`,
      `  RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain`,
      `END IF;`,
      `PERFORM ${wideLockSql(m.lockClass)};`,
    ].join('\n');
  }
  const slot = slotSql(m.keys.map((k) => k.sql));
  const rows = sides(step)
    .map((t) => `  SELECT ${slot} AS slot FROM ${t}${where}`)
    .join('\n  UNION\n');
  return [
    `-- Lock the groups this statement touches before reading or writing them: one lock per slot`,
    `-- (hash of the group key), taken in ascending order so writers cannot deadlock.`,
    `${SLOTS_VAR} := ARRAY(`,
    sides(step).length === 1 ? rows.replace(/^ {2}SELECT /, '  SELECT DISTINCT ') : rows,
    `  ORDER BY 1`,
    `);`,
    `IF ${SLOTS_VAR} = '{}' THEN`,
    `  RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain`,
    `END IF;`,
    lockSlotsPlpgsql(m.lockClass, SLOTS_VAR),
  ].join('\n');
}

