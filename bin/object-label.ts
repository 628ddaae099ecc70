import { qualify, quoteIdent } from '../lib/db/ident';
import type { InstalledObject } from '../lib/summary/summary-status';

/** How an installed object is named in SQL: triggers by name (they live on a table), the rest qualified. */
export function objectLabel(o: Pick<InstalledObject, 'kind' | 'schema' | 'name'>): string {
  return o.kind === 'trigger' ? quoteIdent(o.name) : qualify(o.schema, o.name);
}
