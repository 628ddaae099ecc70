import { quoteIdent } from '../../db/ident';
import type { PlanNode } from '../plan';
import { commentLines, tableName } from './format';

export function renderCreateIndex(n: Extract<PlanNode, { kind: 'createIndex' }>): string {
  const head = [
    'CREATE',
    n.unique ? 'UNIQUE' : '',
    'INDEX',
    n.concurrently ? 'CONCURRENTLY' : '',
    n.ifNotExists ? 'IF NOT EXISTS' : '',
    quoteIdent(n.name),
    'ON',
    tableName(n.table),
  ]
    .filter(Boolean)
    .join(' ');
  return `${commentLines(n.comment)}${head} (${n.items.join(', ')})${n.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''};`;
}
