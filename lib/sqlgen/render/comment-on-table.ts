import { quoteLiteral } from '../../db/ident';
import type { PlanNode } from '../plan';
import { tableName } from './format';

export function renderCommentOnTable(n: Extract<PlanNode, { kind: 'commentOnTable' }>): string {
  return `COMMENT ON TABLE ${tableName(n.table)} IS ${quoteLiteral(n.text)};`;
}
