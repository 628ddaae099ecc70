import { exec, type Queryable } from '../db/pool';
import {
  auditQuerySchema,
  type AuditEntry,
  type AuditPage,
  type AuditQuery,
} from './summary-views';

/**
 * Reading tally.audit_log (written by audit.ts): newest first, keyset-paginated on id so that
 * entries written while someone pages never shift a page.
 */
const ENTRIES_SQL = `
SELECT id, at, actor, action, summary_name, statement, outcome, error, duration_ms
  FROM tally.audit_log
 WHERE ($1::text IS NULL OR summary_name = $1)
   AND ($2::text IS NULL OR outcome = $2)
   AND ($3::bigint IS NULL OR id < $3)
 ORDER BY id DESC
 LIMIT $4`;

const SUMMARIES_SQL = `
SELECT DISTINCT summary_name FROM tally.audit_log WHERE summary_name IS NOT NULL ORDER BY 1`;

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  summary_name: string | null;
  statement: string;
  outcome: 'ok' | 'error';
  error: string | null;
  duration_ms: number | null;
}

export async function listAuditEntries(db: Queryable, query: AuditQuery = {}): Promise<AuditPage> {
  const q = auditQuerySchema.parse(query);
  const [entries, names] = await Promise.all([
    exec<AuditRow>(db, ENTRIES_SQL, [
      q.summary ?? null,
      q.outcome ?? null,
      q.before ?? null,
      q.limit + 1,
    ]),
    exec<{ summary_name: string }>(db, SUMMARIES_SQL),
  ]);
  const rows = entries.rows.slice(0, q.limit);
  return {
    entries: rows.map((r): AuditEntry => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      actor: r.actor,
      action: r.action,
      summaryName: r.summary_name,
      statement: r.statement,
      outcome: r.outcome,
      error: r.error,
      durationMs: r.duration_ms,
    })),
    nextBefore: entries.rows.length > q.limit ? Number(rows[rows.length - 1]!.id) : null,
    summaries: names.rows.map((r) => r.summary_name),
  };
}
