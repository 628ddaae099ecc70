import type pg from 'pg';
import { qualify, quoteIdent } from '../../lib/db/ident';
import { groupKeyName, targetOf, type Definition } from '../../lib/definition/definition';
import { normalizeDefinition } from '../../lib/definition/normalize';
import { renderDefiningQuery } from '../../lib/definition/defining-query';
import { summaryNames } from '../../lib/sqlgen/names';

type Db = pg.Pool | pg.PoolClient | pg.Client;

/**
 * Rows where the summary table and its defining query disagree, as multisets
 * (`EXCEPT ALL` both ways). Empty means exact.
 */
export async function drift(db: Db, def: Definition): Promise<Record<string, unknown>[]> {
  const n = await normalizeDefinition(def);
  const t = targetOf(def);
  const cols = [...def.groupBy.map(groupKeyName), ...def.aggregates.map((a) => a.name)].map(quoteIdent).join(', ');
  const truth = renderDefiningQuery(n);
  const { rows } = await db.query(
    `WITH s AS (SELECT ${cols} FROM ${qualify(t.schema, t.table)}), t AS (${truth})
     SELECT 'only in summary' AS side, * FROM (SELECT * FROM s EXCEPT ALL SELECT * FROM t) AS a
     UNION ALL
     SELECT 'only in truth', * FROM (SELECT * FROM t EXCEPT ALL SELECT * FROM s) AS b`,
  );
  return rows;
}

export async function expectExact(db: Db, def: Definition, after = ''): Promise<void> {
  const rows = await drift(db, def);
  if (rows.length)
    throw new Error(`summary ${def.name} drifted${after ? ` after: ${after}` : ''}\n${JSON.stringify(rows, null, 1).slice(0, 3000)}`);
}

/** Objects a summary left behind: functions, triggers, tables and indexes named after it. */
export async function leftovers(db: Db, def: Definition): Promise<string[]> {
  const names = summaryNames(def.name, targetOf(def));
  const t = targetOf(def);
  const { rows } = await db.query<{ o: string }>(
    `SELECT 'function ' || p.oid::regprocedure::text AS o FROM pg_proc p
      WHERE p.proname = ANY ($1::name[])
     UNION ALL
     SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgname = ANY ($2::name[])
     UNION ALL
     SELECT 'relation ' || c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE (n.nspname = $3 AND c.relname = $4) OR c.relname = ANY ($5::name[])`,
    [
      [names.guardFunction, ...Object.values(names.functions)],
      Object.values(names.triggers),
      t.schema,
      t.table,
      [names.keyIndex, names.sourceIndex],
    ],
  );
  return rows.map((r) => r.o);
}

/** Runs statements one at a time, checking exactness after each. */
export async function exercise(db: Db, def: Definition, statements: readonly string[]): Promise<void> {
  for (const s of statements) {
    await db.query(s);
    await expectExact(db, def, s);
  }
}

/** A small deterministic PRNG (mulberry32), so randomized workloads replay. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
