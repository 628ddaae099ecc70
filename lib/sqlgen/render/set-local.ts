import { quoteLiteral } from '../../db/ident';
import type { PlanNode } from '../plan';
import { commentLines } from './format';

export function renderSetLocal(n: Extract<PlanNode, { kind: 'setLocal' }>): string {
  if (!/^[a-z_]+\.[a-z_]+$/.test(n.name)) throw new Error(`not a custom setting name: ${n.name}`);
  return `${commentLines(n.comment)}SET LOCAL ${n.name} = ${quoteLiteral(n.value)};`;
}
