import { quoteIdent } from '../../db/ident';
import type { PlanNode } from '../plan';
import { commentLines, tableName } from './format';
import { commentSafe } from '../names';

export function renderCreateTable(n: Extract<PlanNode, { kind: 'createTable' }>): string {
  const defs = n.columns.map((c) => {
    let d = `${quoteIdent(c.name)} ${c.type}`;
    if (c.collation) d += ` COLLATE ${c.collation}`;
    if (c.generated) d += ` GENERATED ALWAYS AS (${c.generated}) STORED`;
    if (c.notNull) d += ' NOT NULL';
    return { d, comment: c.comment };
  });
  // align the comments, but not behind an exceptionally long column definition
  const width = Math.min(48, Math.max(...defs.map((x) => x.d.length)) + 1);
  const body = defs
    .map((x, i) => {
      const line = `  ${x.d}${i < defs.length - 1 ? ',' : ''}`;
      return x.comment ? `${line.padEnd(width + 3)} -- ${commentSafe(x.comment)}` : line;
    })
    .join('\n');
  return `${commentLines(n.comment)}CREATE TABLE ${tableName(n.table)} (\n${body}\n)${n.fillfactor ? ` WITH (fillfactor = ${n.fillfactor})` : ''};`;
}
