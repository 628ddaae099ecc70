import { qualify, quoteIdent } from '../../db/ident';
import type { PlanNode } from '../plan';
import { commentLines, tableName } from './format';

export function renderCreateTrigger(n: Extract<PlanNode, { kind: 'createTrigger' }>): string {
  const lines = [`CREATE TRIGGER ${quoteIdent(n.name)}`, `  ${n.timing} ${n.events.join(' OR ')} ON ${tableName(n.table)}`];
  const refs = [
    n.oldTable ? `OLD TABLE AS ${quoteIdent(n.oldTable)}` : '',
    n.newTable ? `NEW TABLE AS ${quoteIdent(n.newTable)}` : '',
  ].filter(Boolean);
  if (refs.length) lines.push(`  REFERENCING ${refs.join(' ')}`);
  lines.push('  FOR EACH STATEMENT');
  if (n.when) lines.push(`  WHEN (${n.when})`);
  lines.push(`  EXECUTE FUNCTION ${qualify(n.functionSchema, n.functionName)}();`);
  return commentLines(n.comment) + lines.join('\n');
}
