import { quoteIdent } from '../../db/ident';
import { emptyGroupValues } from '../delta-query';
import type { SummaryModel } from '../summary-model';

export function renderResetSummary(m: SummaryModel): string {
  if (m.keys.length > 0) return `-- The source is empty: so is every group.\nDELETE FROM ${m.table};`;
  const set = emptyGroupValues(m).map((c) => `${quoteIdent(c.column)} = ${c.expr}`);
  return `-- The source is empty: the single row holds the aggregates over no rows.\nUPDATE ${m.table} SET ${set.join(', ')};`;
}
