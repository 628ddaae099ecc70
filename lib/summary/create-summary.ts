import type pg from 'pg';
import { qualify } from '../db/ident';
import { exec } from '../db/pool';
import type { Definition } from '../definition/definition';
import { validateDefinition } from '../definition/validate-definition';
import { DatabaseError, DefinitionError, isPgError, SqlState, wrapDbError } from '../errors';
import { generateSql, type GeneratedSql } from '../sqlgen/generate';
import { AuditTrail } from './audit';
import { SUMMARY_COLUMNS, toSummaryRecord, type SummaryRecord, type SummaryRow } from './registry';
import { resolveDefinition } from './resolve';

export interface CreateSummaryOptions {
  /** who asked (recorded in the audit log and as created_by) */
  readonly actor: string;
  /** fill the summary with one INSERT … SELECT inside the install transaction (default true) */
  readonly populate?: boolean;
  /** SET LOCAL lock_timeout for the install transaction, in ms (default 5000) */
  readonly lockTimeoutMs?: number;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 5000;

/**
 * Installs a summary: source indexes (CONCURRENTLY, outside any transaction), then in ONE
 * transaction bounded by lock_timeout the table, guard, functions, triggers, the optional
 * populate and the catalog row. On any failure the transaction rolls back, indexes built for
 * it are dropped again, and the error is a DatabaseError (or a DefinitionError for a taken
 * name): nothing is left half-installed. Every statement is audited.
 */
export async function createSummary(
  pool: pg.Pool,
  def: Definition,
  opts: CreateSummaryOptions,
): Promise<SummaryRecord> {
  const d = validateDefinition(def);
  await assertNameFree(pool, d);
  const resolved = await resolveDefinition(pool, d);
  const g = generateSql(resolved);
  const audit = new AuditTrail(opts.actor, 'create', d.name);

  const lockTimeoutMs = opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const built = await buildSourceIndexes(pool, g, audit, qualify(resolved.source.schema, resolved.source.table), lockTimeoutMs);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      const lockTimeout = `SET LOCAL lock_timeout = ${Math.max(0, Math.floor(lockTimeoutMs))}`;
      await audit.record(lockTimeout, () => exec(client, lockTimeout));
      for (const s of g.sections.filter((x) => x.phase === 'install'))
        for (const statement of s.statements) await audit.record(statement, () => execInstall(client, statement, d));
      const populate = opts.populate ?? true;
      if (populate)
        for (const s of g.sections.filter((x) => x.phase === 'populate'))
          for (const statement of s.statements) await audit.record(statement, () => exec(client, statement));
      const record = await audit.record(REGISTER_SQL, () => register(client, d, g, populate ? 'ready' : 'installed', opts.actor));
      await audit.flush(client);
      await client.query('COMMIT');
      return record;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      audit.note('ROLLBACK');
      throw e;
    }
  } catch (e) {
    await dropBuiltIndexes(pool, built, audit, lockTimeoutMs);
    await audit.flush(pool).catch(() => undefined);
    throw mapInstallError(e);
  } finally {
    client.release();
  }
}

async function assertNameFree(pool: pg.Pool, d: Definition): Promise<void> {
  const taken = await pool.query('SELECT 1 FROM tally.summaries WHERE name = $1', [d.name]);
  if (taken.rowCount) throw DefinitionError.single('name', `a summary named "${d.name}" already exists`);
  const t = d.target.schema ?? d.source.schema;
  const table = d.target.table ?? d.name;
  const exists = await pool.query(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [t, table],
  );
  if (exists.rowCount)
    throw DefinitionError.single(d.target.table ? 'target.table' : 'name', `${qualify(t, table)} already exists`, {
      hint: d.target.table ? undefined : 'choose another name, or set target.table',
    });
}

async function execInstall(client: pg.PoolClient, statement: string, d: Definition): Promise<void> {
  try {
    await exec(client, statement);
  } catch (e) {
    // lost a race with a concurrent create of the same table
    if (e instanceof DatabaseError && e.code === SqlState.duplicateTable && /^(--.*\n)*CREATE TABLE/.test(statement))
      throw DefinitionError.single(d.target.table ? 'target.table' : 'name', `the summary table for "${d.name}" already exists`);
    throw e;
  }
}

const REGISTER_SQL = `INSERT INTO tally.summaries
  (name, shape, target_schema, target_table, source_schema, source_table, definition, defining_query,
   install_sql, uninstall_sql, status, lock_class, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
RETURNING ${SUMMARY_COLUMNS}`;

async function register(
  client: pg.PoolClient,
  d: Definition,
  g: GeneratedSql,
  status: 'installed' | 'ready',
  actor: string,
): Promise<SummaryRecord> {
  const target = { schema: d.target.schema ?? d.source.schema, table: d.target.table ?? d.name };
  const install = g.concurrentIndexes.length
    ? `-- Run first, outside a transaction:\n${g.concurrentIndexes.join('\n')}\n\n${g.install}`
    : g.install;
  try {
    const { rows } = await client.query<SummaryRow>(REGISTER_SQL, [
      d.name,
      d.shape,
      target.schema,
      target.table,
      d.source.schema,
      d.source.table,
      JSON.stringify(d),
      g.definingQuery,
      install,
      g.uninstall,
      status,
      g.lockClass,
      actor,
    ]);
    return toSummaryRecord(rows[0]!);
  } catch (e) {
    if (isPgError(e) && e.code === SqlState.uniqueViolation)
      throw DefinitionError.single('name', `a summary named "${d.name}" (or one on the same table) already exists`);
    throw wrapDbError(e, REGISTER_SQL);
  }
}

interface BuiltIndex {
  readonly schema: string;
  readonly name: string;
}

/**
 * CREATE INDEX CONCURRENTLY cannot run in a transaction: each runs alone, before the install,
 * bounded by the same lock_timeout (it waits for every transaction writing the source).
 */
async function buildSourceIndexes(
  pool: pg.Pool,
  g: GeneratedSql,
  audit: AuditTrail,
  sourceTable: string,
  lockTimeoutMs: number,
): Promise<BuiltIndex[]> {
  const built: BuiltIndex[] = [];
  // the plan lists the concurrent indexes' objects in the same order as their statements
  const wanted = g.objects.filter((o) => o.kind === 'index' && o.on === sourceTable);
  try {
    for (const [i, statement] of g.concurrentIndexes.entries()) {
      const idx = wanted[i];
      if (!idx) throw new Error(`no object recorded for ${statement}`);
      // a failed earlier build leaves an INVALID index that IF NOT EXISTS would keep
      const { rows } = await pool.query<{ valid: boolean }>(
        `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
        [idx.schema, idx.name],
      );
      if (rows[0]?.valid) continue;
      if (rows[0]) await dropIndexConcurrently(pool, idx, audit, lockTimeoutMs, true);
      built.push({ schema: idx.schema, name: idx.name });
      await outsideTransaction(pool, lockTimeoutMs, (c) => audit.record(statement, () => exec(c, statement)));
    }
    await audit.flush(pool);
    return built;
  } catch (e) {
    await dropBuiltIndexes(pool, built, audit, lockTimeoutMs);
    await audit.flush(pool).catch(() => undefined);
    throw e;
  }
}

async function outsideTransaction<T>(pool: pg.Pool, lockTimeoutMs: number, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query(`SET lock_timeout = ${Math.max(0, Math.floor(lockTimeoutMs))}`);
    return await fn(c);
  } finally {
    await c.query('RESET lock_timeout').catch(() => undefined);
    c.release();
  }
}

async function dropIndexConcurrently(
  pool: pg.Pool,
  b: BuiltIndex,
  audit: AuditTrail,
  lockTimeoutMs: number,
  rethrow: boolean,
): Promise<void> {
  const drop = `DROP INDEX CONCURRENTLY IF EXISTS ${qualify(b.schema, b.name)}`;
  const run = outsideTransaction(pool, lockTimeoutMs, (c) => audit.record(drop, () => exec(c, drop)));
  // cleanup after a failure must not hide the original error; a leftover INVALID index is
  // dropped and rebuilt by the next attempt (see above)
  await (rethrow ? run : run.catch(() => undefined));
}

async function dropBuiltIndexes(pool: pg.Pool, built: readonly BuiltIndex[], audit: AuditTrail, lockTimeoutMs: number): Promise<void> {
  for (const b of built) await dropIndexConcurrently(pool, b, audit, lockTimeoutMs, false);
}

function mapInstallError(e: unknown): unknown {
  if (e instanceof DefinitionError || e instanceof DatabaseError) return e;
  return wrapDbError(e);
}
