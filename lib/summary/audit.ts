import type { Queryable } from '../db/pool';
import { formatError } from '../errors';

/**
 * Every statement Tally runs against a user's database is recorded in tally.audit_log.
 * Entries are collected while the work runs and written in one INSERT: inside the work's own
 * transaction when it commits, or on another connection after a rollback (so the record of a
 * failed attempt survives it).
 */
export interface AuditEntry {
  readonly statement: string;
  readonly outcome: 'ok' | 'error';
  readonly error?: string;
  readonly durationMs: number;
}

export class AuditTrail {
  readonly entries: AuditEntry[] = [];
  constructor(
    readonly actor: string,
    readonly action: string,
    readonly summaryName: string,
  ) {}

  /** Runs `statement` through `run`, recording its outcome and duration. */
  async record<T>(statement: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await run();
      this.entries.push({ statement, outcome: 'ok', durationMs: performance.now() - started });
      return result;
    } catch (e) {
      this.entries.push({ statement, outcome: 'error', error: formatError(e), durationMs: performance.now() - started });
      throw e;
    }
  }

  note(statement: string, outcome: 'ok' | 'error' = 'ok', error?: string): void {
    this.entries.push({ statement, outcome, ...(error ? { error } : {}), durationMs: 0 });
  }

  /** Writes the entries not written yet. */
  async flush(db: Queryable): Promise<void> {
    const rows = this.entries.splice(0);
    if (!rows.length) return;
    await db.query(
      `INSERT INTO tally.audit_log (actor, action, summary_name, statement, outcome, error, duration_ms)
       SELECT $1, $2, $3, u.statement, u.outcome, u.error, u.duration_ms
         FROM unnest($4::text[], $5::text[], $6::text[], $7::float8[]) WITH ORDINALITY
              AS u(statement, outcome, error, duration_ms, n)
        ORDER BY u.n`,
      [
        this.actor,
        this.action,
        this.summaryName,
        rows.map((r) => r.statement),
        rows.map((r) => r.outcome),
        rows.map((r) => r.error ?? null),
        rows.map((r) => r.durationMs),
      ],
    );
  }
}
