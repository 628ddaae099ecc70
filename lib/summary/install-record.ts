import type { GeneratedSql } from '../sqlgen/generate';

/**
 * The install script as tally.summaries.install_sql records it: the concurrent source indexes
 * first (as createSummary runs them, outside the transaction), then the install. Kept in one
 * place so an edit can diff the recorded script of the old version against the new one.
 * createSummary's register() writes the same text; it could call this.
 */
export function installRecordOf(g: Pick<GeneratedSql, 'concurrentIndexes' | 'install'>): string {
  return g.concurrentIndexes.length
    ? `-- Run first, outside a transaction:\n${g.concurrentIndexes.join('\n')}\n\n${g.install}`
    : g.install;
}
