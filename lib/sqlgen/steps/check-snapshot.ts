import { quoteIdent } from '../../db/ident';
import { indentLines } from '../render/format';
import { joinGroupRows } from '../key-match-join';
import type { SummaryModel } from '../summary-model';
import { STALE_VAR } from './apply-delta';

/**
 * Under REPEATABLE READ or SERIALIZABLE the recompute reads the transaction's snapshot, which
 * may predate a change another transaction committed to the same groups. Every such change
 * also wrote the group's summary row; the upsert above already fails (40001) on rows updated
 * or inserted since the snapshot, and locking the rows the snapshot still sees catches the
 * rest (a group deleted since): 40001 instead of a recompute from stale data.
 */
export function renderCheckSnapshot(m: SummaryModel): string {
  const keys = m.keys.map((k) => ({ expr: `x.${quoteIdent(k.name)}`, value: `s.${quoteIdent(k.name)}`, nullable: !k.notNull }));
  const j = joinGroupRows(m.table, 'x', keys, 'x.ctid');
  const lookup = [
    `SELECT x.ctid`,
    `FROM ${m.table} AS s`,
    indentLines(j.join, '  '),
    `WHERE ${[`s.ctid = ANY (${STALE_VAR})`, ...j.where].join(' AND ')}`,
  ].join('\n');
  return [
    `-- REPEATABLE READ / SERIALIZABLE: the recompute below reads this transaction's snapshot.`,
    `-- Locking the groups' rows as that snapshot sees them raises 40001 (could not serialize)`,
    `-- if another transaction changed these groups since: a retryable error, never drift.`,
    `IF ${STALE_VAR} IS NOT NULL AND pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN`,
    `  PERFORM 1 FROM ${m.table} AS o`,
    `  WHERE o.ctid = ANY (ARRAY(`,
    indentLines(lookup, '    '),
    `  ))`,
    `  FOR UPDATE OF o;`,
    `END IF;`,
  ].join('\n');
}
