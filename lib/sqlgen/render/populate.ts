import { quoteIdent } from '../../db/ident';
import { fullColumns } from '../delta-query';
import type { SummaryModel } from '../summary-model';

/** The whole summary from the source in one statement (the truth for every group). */
export function renderPopulate(m: SummaryModel): string {
  const cols = fullColumns(m);
  const items = [
    ...m.keys.map((k) => (k.column === k.name ? k.sql : `${k.sql} AS ${quoteIdent(k.name)}`)),
    ...cols.map((c) => `${c.expr} AS ${quoteIdent(c.column)}`),
  ];
  const from = [`FROM ${m.source}`, ...(m.filterSql ? [`WHERE ${m.filterSql}`] : [])];
  if (m.keys.length === 0)
    return [
      `UPDATE ${m.table} SET (${cols.map((c) => quoteIdent(c.column)).join(', ')}) = (`,
      `  SELECT`,
      items.map((i) => `    ${i}`).join(',\n'),
      ...from.map((l) => `  ${l}`),
      `);`,
    ].join('\n');
  return [
    `INSERT INTO ${m.table} (${[...m.keys.map((k) => k.name), ...cols.map((c) => c.column)].map(quoteIdent).join(', ')})`,
    `SELECT`,
    items.map((i) => `  ${i}`).join(',\n'),
    ...from,
    `GROUP BY ${m.keys.map((_, i) => i + 1).join(', ')};`,
  ].join('\n');
}
