import { qualify, quoteIdent } from '../../db/ident';
import type { PlanNode } from '../plan';
import { commentLines, tableName } from './format';

export function renderDropTrigger(n: Extract<PlanNode, { kind: 'dropTrigger' }>): string {
  return `DROP TRIGGER IF EXISTS ${quoteIdent(n.name)} ON ${tableName(n.table)};`;
}

export function renderDropTable(n: Extract<PlanNode, { kind: 'dropTable' }>): string {
  return `DROP TABLE IF EXISTS ${tableName(n.table)};`;
}

export function renderDropFunction(n: Extract<PlanNode, { kind: 'dropFunction' }>): string {
  return `DROP FUNCTION IF EXISTS ${qualify(n.schema, n.name)}();`;
}

export function renderDropIndex(n: Extract<PlanNode, { kind: 'dropIndex' }>): string {
  return `${commentLines(n.comment)}DROP INDEX IF EXISTS ${qualify(n.schema, n.name)};`;
}
