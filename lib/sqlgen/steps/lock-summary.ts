import { wideLockSql } from '../locks';
import type { SummaryModel } from '../summary-model';

export function renderLockSummary(m: SummaryModel): string {
  return [`-- Every group changes: take the summary-wide lock exclusively.`, `PERFORM ${wideLockSql(m.lockClass)};`].join('\n');
}
