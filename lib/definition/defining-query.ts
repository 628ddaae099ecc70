import { qualify, quoteIdent } from '../db/ident';
import { aggregateCallSql, type NormalizedDefinition } from './normalize';

/**
 * The defining query: the SELECT … GROUP BY whose result the summary table must always equal
 * (PRODUCT.md, "The contract"). Shown to users and used by tests and reconcile as the truth.
 */
export function renderDefiningQuery(n: NormalizedDefinition): string {
  const cols = [
    ...n.keys.map((k) => (k.column === k.name ? k.sql : `${k.sql} AS ${quoteIdent(k.name)}`)),
    ...n.aggregates.map((a) => `${aggregateCallSql(a)} AS ${quoteIdent(a.name)}`),
  ];
  const lines = [`SELECT`, cols.map((c) => `  ${c}`).join(',\n'), `FROM ${qualify(n.source.schema, n.source.table)}`];
  if (n.filterSql) lines.push(`WHERE ${n.filterSql}`);
  if (n.keys.length) lines.push(`GROUP BY ${n.keys.map((_, i) => i + 1).join(', ')}`);
  return lines.join('\n');
}
