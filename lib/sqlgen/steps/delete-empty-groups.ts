import type { SummaryModel } from '../summary-model';
import { GONE_VAR } from './apply-delta';

export function renderDeleteEmptyGroups(m: SummaryModel): string {
  return [
    `-- A group with no rows left disappears, as it does from the defining query.`,
    `IF ${GONE_VAR} IS NOT NULL THEN`,
    `  DELETE FROM ${m.table} WHERE ctid = ANY (${GONE_VAR});`,
    `END IF;`,
  ].join('\n');
}
