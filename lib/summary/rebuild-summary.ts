import type pg from 'pg';
import { qualify } from '../db/ident';
import { exec, type Queryable } from '../db/pool';
import { targetOf, type Definition } from '../definition/definition';
import { validateDefinition } from '../definition/validate-definition';
import { DefinitionError, isPgError, SqlState, wrapDbError, DatabaseError } from '../errors';
import { generateSql, type GeneratedSql } from '../sqlgen/generate';
import { summaryNames } from '../sqlgen/names';
import type { ResolvedDefinition } from '../sqlgen/resolved-definition';
import { AuditTrail } from './audit';
import { DEFAULT_LOCK_TIMEOUT_MS } from './create-summary';
import { installRecordOf } from './install-record';
import {
  getSummary,
  SUMMARY_COLUMNS,
  toSummaryRecord,
  type SummaryRecord,
  type SummaryRow,
} from './registry';
import { resolveDefinition } from './resolve';

/**
 * Editing an installed summary: never an in-place change, always a rebuild. The old version's
 * uninstall script and the new version's install run in ONE transaction bounded by
 * lock_timeout, and the catalog row is updated in it with version + 1, so readers see either
 * the old summary or the new one. Like createSummary, a source index the new version needs is
 * built CONCURRENTLY before the transaction; every statement is audited (action "rebuild").
 *
 * The source index Tally creates has a name fixed by the summary's name (tally_<name>_src), so
 * old and new versions share it: when the new version needs an index on the same keys, the old
 * one is kept (its DROP is left out of the old uninstall); on other keys it is dropped and
 * rebuilt CONCURRENTLY first (the old triggers' recomputes then read without it for a while:
 * slower, still exact).
 */
export interface RebuildSummaryOptions {
  readonly actor: string;
  /** fill the new summary with one INSERT … SELECT inside the transaction (default false) */
  readonly populate?: boolean;
  /** SET LOCAL lock_timeout, in ms (default 5000) */
  readonly lockTimeoutMs?: number;
}

/** The name of the source index Tally creates for a summary (shared by all its versions). */
function ownIndexName(d: Definition): string {
  return summaryNames(d.name, targetOf(d)).sourceIndex;
}

/** The statement of the old version's uninstall that drops the source index Tally created. */
function ownIndexDrop(old: SummaryRecord): string {
  const name = summaryNames(old.name, {
    schema: old.targetSchema,
    table: old.targetTable,
  }).sourceIndex;
  return `DROP INDEX IF EXISTS ${qualify(old.sourceSchema, name)};`;
}

/**
 * Resolves the new definition while the old version is still installed. An index the old
 * version created is not "an existing index" for the new one: the new version takes it over
 * (its plan creates it IF NOT EXISTS and its uninstall drops it).
 */
export async function resolveForRebuild(
  db: Queryable,
  old: SummaryRecord,
  d: Definition,
): Promise<ResolvedDefinition> {
  const resolved = await resolveDefinition(db, d);
  const oldOwns = old.uninstallSql.includes(ownIndexDrop(old));
  if (
    oldOwns &&
    resolved.recomputeIndex?.name === ownIndexName(d) &&
    old.sourceSchema === d.source.schema &&
    old.sourceTable === d.source.table
  ) {
    return { ...resolved, recomputeIndex: undefined };
  }
  return resolved;
}

interface ExistingIndex {
  readonly table: string;
  readonly valid: boolean;
  readonly keys: string[];
}

async function existingIndex(
  db: Queryable,
  schema: string,
  name: string,
): Promise<ExistingIndex | null> {
  const { rows } = await exec<{ table_name: string; valid: boolean; keys: string[] }>(
    db,
    `SELECT t.relname AS table_name, i.indisvalid AS valid,
            ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)
                    FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k) AS keys
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
      WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, name],
  );
  const r = rows[0];
  return r ? { table: r.table_name, valid: r.valid, keys: r.keys } : null;
}

const UPDATE_SQL = `UPDATE tally.summaries SET
   shape = $2, target_schema = $3, target_table = $4, source_schema = $5, source_table = $6,
   definition = $7, defining_query = $8, install_sql = $9, uninstall_sql = $10, status = $11,
   lock_class = $12, version = version + 1, updated_at = now()
 WHERE name = $1 AND version = $13
RETURNING ${SUMMARY_COLUMNS}`;

export async function rebuildSummary(
  pool: pg.Pool,
  def: Definition,
  opts: RebuildSummaryOptions,
): Promise<SummaryRecord> {
  const d = validateDefinition(def);
  const old = await getSummary(pool, d.name);
  await assertRebuildable(pool, old, d);
  const resolved = await resolveForRebuild(pool, old, d);
  const g = generateSql(resolved);
  const audit = new AuditTrail(opts.actor, 'rebuild', d.name);
  const lockTimeout = `SET LOCAL lock_timeout = ${Math.max(0, Math.floor(opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS))}`;

  const own = ownIndexName(d);
  const oldDrop = ownIndexDrop(old);
  const oldOwns = old.uninstallSql.includes(oldDrop);
  const newNeeds = g.concurrentIndexes.length > 0;

  // ---- phase 1: the source index, CONCURRENTLY, outside any transaction
  let built = false;
  let droppedOld = false;
  if (newNeeds) {
    const schema = d.source.schema;
    const existing = await existingIndex(pool, schema, own);
    const wanted = resolved.keys.map((k) => k.indexSql);
    const serves =
      existing?.valid &&
      existing.table === d.source.table &&
      existing.keys.join('\n') === wanted.join('\n');
    try {
      if (existing && !serves) {
        if (!oldOwns && existing.valid)
          throw DefinitionError.single(
            'name',
            `index ${qualify(schema, own)} already exists and is not Tally's`,
            {
              hint: 'drop or rename it, then try again',
            },
          );
        const drop = `DROP INDEX CONCURRENTLY IF EXISTS ${qualify(schema, own)}`;
        await audit.record(drop, () => exec(pool, drop));
        droppedOld = oldOwns;
      }
      if (!serves)
        for (const statement of g.concurrentIndexes) {
          built = true;
          await audit.record(statement, () => exec(pool, statement));
        }
      await audit.flush(pool);
    } catch (e) {
      if (built && !droppedOld) await dropIndex(pool, audit, schema, own);
      await audit.flush(pool).catch(() => undefined);
      throw e;
    }
  }

  // ---- phase 2: old out, new in, one transaction
  // the index now belongs to the new version: the old uninstall must not drop it
  const uninstall =
    newNeeds && oldOwns
      ? old.uninstallSql.replace(oldDrop, '-- source index kept: the new version uses it')
      : old.uninstallSql;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await audit.record(lockTimeout, () => exec(client, lockTimeout));
      await audit.record(uninstall, () => exec(client, uninstall));
      for (const s of g.sections.filter((x) => x.phase === 'install'))
        for (const statement of s.statements)
          await audit.record(statement, () => exec(client, statement));
      if (opts.populate)
        for (const s of g.sections.filter((x) => x.phase === 'populate'))
          for (const statement of s.statements)
            await audit.record(statement, () => exec(client, statement));
      const record = await audit.record(UPDATE_SQL, () =>
        update(client, old, d, g, opts.populate ? 'ready' : 'installed'),
      );
      await audit.flush(client);
      await client.query('COMMIT');
      return record;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      audit.note('ROLLBACK');
      throw e;
    }
  } catch (e) {
    // An index built for the new version goes again, unless the old one was replaced by it:
    // the old version (still installed) is then better served by it than by none.
    if (built && !droppedOld) await dropIndex(pool, audit, d.source.schema, own);
    await audit.flush(pool).catch(() => undefined);
    throw e instanceof DefinitionError || e instanceof DatabaseError ? e : wrapDbError(e);
  } finally {
    client.release();
  }
}

async function dropIndex(
  pool: pg.Pool,
  audit: AuditTrail,
  schema: string,
  name: string,
): Promise<void> {
  const drop = `DROP INDEX CONCURRENTLY IF EXISTS ${qualify(schema, name)}`;
  await audit.record(drop, () => exec(pool, drop)).catch(() => undefined);
}

async function assertRebuildable(pool: pg.Pool, old: SummaryRecord, d: Definition): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    'SELECT name FROM tally.summaries WHERE $1 = ANY (depends_on) ORDER BY name',
    [old.name],
  );
  if (rows.length)
    throw DefinitionError.single(
      'name',
      `summary "${old.name}" is the source of ${rows.map((r) => `"${r.name}"`).join(', ')}: rebuild or drop those first`,
    );
  const t = targetOf(d);
  if (t.schema === old.targetSchema && t.table === old.targetTable) return;
  const exists = await pool.query(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [t.schema, t.table],
  );
  if (exists.rowCount)
    throw DefinitionError.single(
      d.target.table ? 'target.table' : 'name',
      `${qualify(t.schema, t.table)} already exists`,
    );
}

async function update(
  client: pg.PoolClient,
  old: SummaryRecord,
  d: Definition,
  g: GeneratedSql,
  status: 'installed' | 'ready',
): Promise<SummaryRecord> {
  const t = targetOf(d);
  try {
    const { rows } = await client.query<SummaryRow>(UPDATE_SQL, [
      d.name,
      d.shape,
      t.schema,
      t.table,
      d.source.schema,
      d.source.table,
      JSON.stringify(d),
      g.definingQuery,
      installRecordOf(g),
      g.uninstall,
      status,
      g.lockClass,
      old.version,
    ]);
    if (!rows[0])
      throw DefinitionError.single(
        'name',
        `summary "${d.name}" was changed by someone else meanwhile (it is no longer version ${old.version})`,
        {
          hint: 'reload it and review the changes again',
        },
      );
    return toSummaryRecord(rows[0]);
  } catch (e) {
    if (isPgError(e) && e.code === SqlState.uniqueViolation)
      throw DefinitionError.single(
        'target.table',
        `another summary already uses ${qualify(t.schema, t.table)}`,
      );
    throw e instanceof DefinitionError ? e : wrapDbError(e, UPDATE_SQL);
  }
}
