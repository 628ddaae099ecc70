import { qualify } from '../../db/ident';
import type { PlanNode } from '../plan';

export function renderRevokeExecute(n: Extract<PlanNode, { kind: 'revokeExecute' }>): string {
  return `REVOKE ALL ON FUNCTION ${qualify(n.schema, n.name)}() FROM PUBLIC;`;
}
