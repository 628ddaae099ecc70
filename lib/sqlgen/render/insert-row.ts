import { quoteIdent } from '../../db/ident';
import type { PlanNode } from '../plan';
import { commentLines, tableName } from './format';

export function renderInsertRow(n: Extract<PlanNode, { kind: 'insertRow' }>): string {
  return (
    `${commentLines(n.comment)}INSERT INTO ${tableName(n.table)} (${n.values.map((v) => quoteIdent(v.column)).join(', ')})\n` +
    `VALUES (${n.values.map((v) => v.value).join(', ')});`
  );
}
