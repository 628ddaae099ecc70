import pg from 'pg';
import { qualify, quoteIdent } from '../db/ident';
import type { Queryable } from '../db/pool';
import { targetOf, type Definition } from '../definition/definition';
import { deparseExpression, parseExpression, walk } from '../definition/expression';
import { aggregateCallSql, normalizeDefinition, type NormalizedDefinition } from '../definition/normalize';
import { renderDefiningQuery } from '../definition/defining-query';
import { DatabaseError, DefinitionError, isPgError, SqlState, type FieldIssue, type PgErrorLike } from '../errors';
import { SIGN_COLUMN } from '../sqlgen/delta-query';
import { lockClassOf } from '../sqlgen/names';
import type {
  RecomputeIndex,
  ResolvedAggregate,
  ResolvedDefinition,
  ResolvedKey,
  SourceColumn,
} from '../sqlgen/resolved-definition';
import { AVG_ARGUMENT_TYPES, avgTypeOf, SUM_ARGUMENT_TYPES, sumTypeOf } from '../sqlgen/summary-model';

export type { ResolvedDefinition } from '../sqlgen/resolved-definition';

/**
 * Checks a definition against the live database and reads every type the generator needs.
 * Everything is asked of PostgreSQL itself: each expression is planned (LIMIT 0) under the
 * search_path the triggers will run with, and immutability is tested the way PostgreSQL tests
 * index expressions, on a scratch temp table. All of it happens inside a transaction (or a
 * savepoint of the caller's) that is rolled back: nothing is left behind.
 *
 * In a READ ONLY transaction the temp-table checks cannot run; the result then carries a
 * warning that immutability was not verified (createSummary always resolves read-write).
 */

/** NULLS NOT DISTINCT (15) and hash_record (14). */
const MIN_SERVER_VERSION = 150000;
const PINNED_SEARCH_PATH = 'pg_catalog, pg_temp';
const PROBE_TABLE = 'pg_temp._tally_probe';

interface Probe {
  /** where the text came from, e.g. "groupBy.1.expr" */
  readonly field: string;
  /** the normalized SQL */
  readonly sql: string;
  /** what the user typed, when known (positions are reported only when it equals `sql`) */
  readonly original?: string;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: PgErrorLike };

/** Runs `fn` in a savepoint; a PostgreSQL error rolls the savepoint back and is returned. */
async function attempt<T>(c: pg.ClientBase, fn: () => Promise<T>): Promise<Outcome<T>> {
  await c.query('SAVEPOINT tally_probe');
  try {
    const value = await fn();
    await c.query('RELEASE SAVEPOINT tally_probe');
    return { ok: true, value };
  } catch (e) {
    if (!isPgError(e)) throw e;
    await c.query('ROLLBACK TO SAVEPOINT tally_probe');
    await c.query('RELEASE SAVEPOINT tally_probe');
    return { ok: false, error: e };
  }
}

/** A scratch transaction: the caller's (under a savepoint) or our own; always rolled back. */
async function withScratch<T>(db: Queryable, fn: (c: pg.ClientBase) => Promise<T>): Promise<T> {
  if (db instanceof pg.Pool) {
    const c = await db.connect();
    try {
      await c.query('BEGIN');
      try {
        return await fn(c);
      } finally {
        await c.query('ROLLBACK').catch(() => undefined);
      }
    } finally {
      c.release();
    }
  }
  const c = db as pg.ClientBase;
  let nested = true;
  try {
    await c.query('SAVEPOINT tally_resolve');
  } catch (e) {
    if (!isPgError(e) || e.code !== '25P01') throw e; // 25P01: not in a transaction block
    nested = false;
    await c.query('BEGIN');
  }
  try {
    return await fn(c);
  } finally {
    if (nested) {
      await c.query('ROLLBACK TO SAVEPOINT tally_resolve').catch(() => undefined);
      await c.query('RELEASE SAVEPOINT tally_resolve').catch(() => undefined);
    } else await c.query('ROLLBACK').catch(() => undefined);
  }
}

function issueFrom(p: Probe, e: PgErrorLike, prefixLength: number, framing?: string): FieldIssue {
  const qualifyHint =
    e.code === SqlState.undefinedFunction || e.code === '42704'
      ? 'the maintenance triggers run with search_path = pg_catalog: schema-qualify functions, operators and types from other schemas (e.g. public.f(x), OPERATOR(public.->))'
      : undefined;
  const hint = [e.hint, qualifyHint].filter(Boolean).join('; ') || undefined;
  const pos = e.position ? Number(e.position) - prefixLength : undefined;
  const position = pos !== undefined && pos >= 1 && p.original?.trim() === p.sql ? pos : undefined;
  return {
    field: p.field,
    message: framing ? `${framing}: ${e.message}` : e.message,
    ...(position ? { position } : {}),
    ...(hint ? { hint } : {}),
  };
}

interface FieldType {
  readonly oid: number;
  readonly typmod: number;
}

async function probeType(c: pg.ClientBase, sql: string): Promise<Outcome<FieldType>> {
  return attempt(c, async () => {
    const res = await c.query(sql);
    const f = res.fields[0]!;
    return { oid: f.dataTypeID, typmod: f.dataTypeModifier };
  });
}

async function formatTypes(c: pg.ClientBase, types: readonly FieldType[]): Promise<string[]> {
  if (!types.length) return [];
  const { rows } = await c.query<{ t: string }>(
    `SELECT format_type(u.oid, NULLIF(u.typmod, -1)) AS t
       FROM unnest($1::oid[], $2::int[]) WITH ORDINALITY AS u(oid, typmod, n) ORDER BY u.n`,
    [types.map((t) => t.oid), types.map((t) => t.typmod)],
  );
  return rows.map((r) => r.t);
}

/** Domains resolved to their base type, without typmod (what decides how a sum is kept). */
async function baseType(c: pg.ClientBase, oid: number): Promise<string> {
  const { rows } = await c.query<{ t: string }>(
    `WITH RECURSIVE d(oid, depth) AS (
       SELECT $1::oid, 0
       UNION ALL
       SELECT t.typbasetype, d.depth + 1 FROM pg_type t JOIN d ON t.oid = d.oid WHERE t.typtype = 'd'
     )
     SELECT format_type(oid, NULL) AS t FROM d ORDER BY depth DESC LIMIT 1`,
    [oid],
  );
  return rows[0]!.t;
}

interface CollationInfo {
  readonly sql?: string;
  readonly deterministic: boolean;
}

/** The collation PostgreSQL derives for an expression; undefined when it is the default. */
async function collationOf(c: pg.ClientBase, typeOid: number, scalarSubquery: string): Promise<CollationInfo> {
  const collatable = await c.query('SELECT 1 FROM pg_type WHERE oid = $1 AND typcollation <> 0', [typeOid]);
  if (!collatable.rowCount) return { deterministic: true };
  const { rows } = await c.query<{ name: string | null; det: boolean | null; dflt: boolean | null }>(
    `SELECT x.name, co.collisdeterministic AS det, co.oid = 100 AS dflt
       FROM (SELECT pg_collation_for((${scalarSubquery})) AS name) AS x
       LEFT JOIN pg_collation co ON co.oid = x.name::regcollation`,
  );
  const r = rows[0];
  if (!r?.name || r.dflt) return { deterministic: r?.det ?? true };
  return { sql: r.name.includes('.') ? r.name : `pg_catalog.${r.name}`, deterministic: r.det ?? true };
}

interface SourceRow {
  oid: number;
  relkind: string;
  relpersistence: string;
  has_children: boolean;
  has_parent: boolean;
  is_partition: boolean;
}

async function findSource(c: pg.ClientBase, n: NormalizedDefinition): Promise<SourceRow> {
  const { schema, table } = n.source;
  const ns = await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (!ns.rowCount) throw DefinitionError.single('source.schema', `schema ${quoteIdent(schema)} does not exist`);
  const { rows } = await c.query<SourceRow>(
    `SELECT c.oid::int AS oid, c.relkind::text AS relkind, c.relpersistence::text AS relpersistence,
            EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = c.oid) AS has_children,
            EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) AS has_parent,
            c.relispartition AS is_partition
       FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname = $1 AND c.relname = $2`,
    [schema, table],
  );
  const src = rows[0];
  const name = qualify(schema, table);
  if (!src) throw DefinitionError.single('source.table', `table ${name} does not exist`);
  const why: Record<string, string> = {
    p: 'is a partitioned table: statement-level triggers on the parent do not fire for writes made directly to a partition, so the summary could silently drift',
    v: 'is a view: Tally maintains summaries of tables (a view has no rows of its own to trigger on)',
    m: 'is a materialized view: it changes only on REFRESH, which fires no row triggers',
    f: 'is a foreign table: writes made on the remote server fire no triggers here',
  };
  if (src.relkind !== 'r')
    throw DefinitionError.single('source.table', `${name} ${why[src.relkind] ?? `is not a table (relkind ${src.relkind})`}`);
  if (src.relpersistence === 't')
    throw DefinitionError.single('source.table', `${name} is a temporary table: other sessions cannot see it`);
  // Writes made through the parent land in the child without firing the child's statement-level
  // triggers (they fire on the parent), so a summary of a partition or child would drift silently.
  if (src.is_partition || src.has_parent)
    throw DefinitionError.single(
      'source.table',
      `${name} is ${src.is_partition ? 'a partition' : 'an inheritance child'}: writes made through its parent do not fire its statement-level triggers, so the summary could silently drift`,
      { hint: 'summarise a plain table' },
    );
  if (src.has_children)
    throw DefinitionError.single(
      'source.table',
      `${name} has inheritance children: their rows are part of the defining query, but writes to them do not fire the parent's triggers`,
    );
  return src;
}

/** Every expression of the definition, with the field it came from. */
function expressionProbes(n: NormalizedDefinition): { exprs: Probe[]; filters: Probe[] } {
  const d = n.definition;
  const exprs: Probe[] = [];
  const filters: Probe[] = [];
  if (n.filterSql) filters.push({ field: 'filter', sql: n.filterSql, original: d.filter });
  n.keys.forEach((k, i) => {
    const g = d.groupBy[i]!;
    if (g.kind === 'expression') exprs.push({ field: `groupBy.${i}.expr`, sql: k.sql, original: g.expr });
  });
  n.aggregates.forEach((a, i) => {
    const src = d.aggregates[i]!;
    if (a.argSql) exprs.push({ field: `aggregates.${i}.arg`, sql: a.argSql, original: src.arg });
    if (a.filterSql) filters.push({ field: `aggregates.${i}.filter`, sql: a.filterSql, original: src.filter });
    a.orderBy.forEach((o, j) =>
      exprs.push({ field: `aggregates.${i}.orderBy.${j}.expr`, sql: o.sql, original: src.orderBy?.[j]?.expr }),
    );
  });
  return { exprs, filters };
}

/** Replaces a column reference in normalized SQL (only outside string literals and quotes). */
function replaceColumn(sql: string, column: string, replacement: string): string {
  const ident = quoteIdent(column);
  const parts = sql.split(/('(?:[^']|'')*')/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return part;
      if (ident.startsWith('"')) return part.split(ident).join(replacement);
      return part.replace(new RegExp(`(?<![\\w"$.])${ident}(?![\\w"$(])`, 'g'), replacement);
    })
    .join('');
}

const EXPRESSION_NODES = new Set([
  'FuncCall', 'TypeCast', 'A_Expr', 'BoolExpr', 'CoalesceExpr', 'CaseExpr', 'MinMaxExpr', 'NullTest',
  'BooleanTest', 'A_Indirection', 'RowExpr', 'A_ArrayExpr', 'CollateClause',
]);

/**
 * Why an expression is not immutable, found by asking PostgreSQL about each sub-expression and
 * keeping the smallest one it refuses; with a concrete rewrite when a timestamptz is involved.
 */
async function explainMutable(
  c: pg.ClientBase,
  p: Probe,
  columns: readonly SourceColumn[],
): Promise<{ message: string; hint: string }> {
  let culprit = { sql: p.sql, type: '' };
  try {
    const parsed = await parseExpression(p.sql, p.field);
    const candidates: { sql: string; type: string }[] = [];
    const nodes: { type: string; body: unknown }[] = [];
    walk(parsed.node, (type, body) => {
      if (EXPRESSION_NODES.has(type)) nodes.push({ type, body });
    });
    for (const node of nodes) {
      const sql = await deparseExpression({ [node.type]: node.body }).catch(() => undefined);
      if (!sql) continue;
      const res = await attempt(c, () => c.query(`CREATE INDEX ON ${PROBE_TABLE} (((${sql}) IS NULL))`));
      if (!res.ok && res.error.code === SqlState.invalidObjectDefinition) candidates.push({ sql, type: node.type });
    }
    candidates.sort((a, b) => a.sql.length - b.sql.length);
    if (candidates[0]) culprit = candidates[0];
  } catch {
    // keep the whole expression as the culprit
  }
  const tz = columns.filter(
    (col) => col.type === 'timestamp with time zone' && replaceColumn(culprit.sql, col.name, '\u0000') !== culprit.sql,
  );
  if (tz.length) {
    const fn = culprit.type === 'FuncCall' ? /^([\w.]+)\(/.exec(culprit.sql)?.[1] : undefined;
    const what = culprit.type === 'TypeCast' ? 'casting timestamptz' : fn ? `${fn}() on timestamptz` : 'timestamptz arithmetic';
    let fixed = p.sql;
    for (const col of tz) fixed = replaceColumn(fixed, col.name, `(${quoteIdent(col.name)} AT TIME ZONE 'UTC')`);
    return {
      message: `${p.sql} is not immutable (${what} depends on the session TimeZone)`,
      hint: `use ${fixed} (or the time zone your day boundaries belong to)`,
    };
  }
  return {
    message: `${p.sql} is not immutable: PostgreSQL marks ${culprit.sql === p.sql ? 'part of it' : culprit.sql} as stable or volatile, so its result can change with session settings or over time and the stored summary would drift`,
    hint: 'use only immutable functions and casts (e.g. convert timestamptz with AT TIME ZONE, format numbers instead of dates)',
  };
}

interface IndexRow {
  name: string;
  amname: string;
  partial: boolean;
  unique: boolean;
  cols: string[];
  attnames: (string | null)[];
}

async function sourceIndexes(c: pg.ClientBase, oid: number): Promise<IndexRow[]> {
  const { rows } = await c.query<IndexRow>(
    `SELECT ic.relname AS name, am.amname, i.indpred IS NOT NULL AS partial, i.indisunique AS unique,
            ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k) AS cols,
            ARRAY(SELECT a.attname::text FROM generate_series(0, i.indnkeyatts - 1) AS k
                    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k]
                   ORDER BY k) AS attnames
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_am am ON am.oid = ic.relam
      WHERE i.indrelid = $1 AND i.indisvalid AND i.indisready
      ORDER BY ic.relname`,
    [oid],
  );
  return rows;
}

function pickRecomputeIndex(indexes: readonly IndexRow[], keys: readonly string[]): RecomputeIndex | undefined {
  if (!keys.length) return undefined;
  const usable = indexes.filter((i) => i.amname === 'btree' && !i.partial);
  const all = usable.find((i) => {
    const lead = i.cols.slice(0, keys.length);
    return lead.length === keys.length && keys.every((k) => lead.includes(k));
  });
  if (all) return { name: all.name, covers: 'all' };
  // otherwise the index whose leading columns pin the most keys (ties: by name)
  const leadingKeys = (i: IndexRow) => {
    let k = 0;
    while (k < i.cols.length && keys.includes(i.cols[k]!)) k++;
    return k;
  };
  const best = usable.reduce<IndexRow | undefined>((b, i) => (leadingKeys(i) > (b ? leadingKeys(b) : 0) ? i : b), undefined);
  return best ? { name: best.name, covers: 'leading' } : undefined;
}

export async function resolveDefinition(db: Queryable, def: Definition): Promise<ResolvedDefinition> {
  const n = await normalizeDefinition(def);
  return withScratch(db, (c) => resolveOn(c, n));
}

async function resolveOn(c: pg.ClientBase, n: NormalizedDefinition): Promise<ResolvedDefinition> {
  const d = n.definition;
  const version = Number((await c.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0]!.v);
  if (version < MIN_SERVER_VERSION)
    throw new Error(`Tally needs PostgreSQL 15 or later (NULLS NOT DISTINCT); this server is ${version}`);
  const readOnly =
    (await c.query<{ ro: string }>(`SELECT current_setting('transaction_read_only') AS ro`)).rows[0]!.ro === 'on';
  // Probe under the search_path the maintenance functions pin, so what passes here resolves there.
  await c.query(`SET LOCAL search_path = ${PINNED_SEARCH_PATH}`);

  const src = await findSource(c, n);
  const srcName = qualify(n.source.schema, n.source.table);
  const target = targetOf(d);
  if (target.schema === n.source.schema && target.table === n.source.table)
    throw DefinitionError.single('target.table', `the summary table cannot be its own source ${srcName}`);
  const tns = await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [target.schema]);
  if (!tns.rowCount) throw DefinitionError.single('target.schema', `schema ${quoteIdent(target.schema)} does not exist`);

  const columns = (
    await c.query<{ name: string; type: string; not_null: boolean }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attnotnull AS not_null
         FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [src.oid],
    )
  ).rows.map((r): SourceColumn => ({ name: r.name, type: r.type, notNull: r.not_null }));
  const byName = new Map(columns.map((col) => [col.name, col]));
  if (byName.has(SIGN_COLUMN))
    throw DefinitionError.single(
      'source.table',
      `${srcName} has a column named ${SIGN_COLUMN}, a name Tally's UPDATE triggers reserve for themselves`,
    );

  const issues: FieldIssue[] = [];
  n.keys.forEach((k, i) => {
    if (k.column !== undefined && !byName.has(k.column))
      issues.push({ field: `groupBy.${i}.column`, message: `column ${quoteIdent(k.column)} does not exist in ${srcName}` });
  });
  if (issues.length) throw new DefinitionError(issues);

  // 1. Every expression on its own, planned by PostgreSQL: unknown columns, type errors.
  const { exprs, filters } = expressionProbes(n);
  const exprTypes = new Map<string, FieldType>();
  for (const p of exprs) {
    const prefix = 'SELECT (';
    const res = await probeType(c, `${prefix}${p.sql}) AS v FROM ${srcName} LIMIT 0`);
    if (res.ok) exprTypes.set(p.field, res.value);
    else issues.push(issueFrom(p, res.error, prefix.length));
  }
  for (const p of filters) {
    const prefix = `SELECT FROM ${srcName} WHERE (`;
    const res = await attempt(c, () => c.query(`${prefix}${p.sql}) LIMIT 0`));
    if (!res.ok) issues.push(issueFrom(p, res.error, prefix.length));
  }
  if (issues.length) throw new DefinitionError(issues);

  // 2. Keys: groupable (GROUP BY plans), hashable (group locks), their types and collations.
  const keyTypes: FieldType[] = [];
  for (const [i, k] of n.keys.entries()) {
    const field = d.groupBy[i]!.kind === 'column' ? `groupBy.${i}.column` : `groupBy.${i}.expr`;
    const res = await probeType(c, `SELECT (${k.sql}) AS v FROM ${srcName} GROUP BY 1 LIMIT 0`);
    if (!res.ok) {
      issues.push(issueFrom({ field, sql: k.sql }, res.error, 0, `cannot group by ${k.sql}`));
      continue;
    }
    keyTypes.push(res.value);
  }
  if (issues.length) throw new DefinitionError(issues);
  const keyTypeNames = await formatTypes(c, keyTypes);
  const keys: ResolvedKey[] = [];
  for (const [i, k] of n.keys.entries()) {
    const type = keyTypeNames[i]!;
    const field = d.groupBy[i]!.kind === 'column' ? `groupBy.${i}.column` : `groupBy.${i}.expr`;
    const hash = await attempt(c, () => c.query(`SELECT pg_catalog.hash_record(ROW(NULL::${type}))`));
    if (!hash.ok) {
      issues.push({
        field,
        message: `group key ${k.name} of type ${type} cannot be maintained: PostgreSQL has no hash function for it, and Tally's per-group locks hash the key (${hash.error.message})`,
        hint: 'group by a cast of it to a hashable type (e.g. text) instead',
      });
      continue;
    }
    const coll = await collationOf(c, keyTypes[i]!.oid, `SELECT ${k.sql} FROM ${srcName} LIMIT 0`);
    if (!coll.deterministic) {
      issues.push({
        field,
        message: `group key ${k.name} uses the nondeterministic collation ${coll.sql}: values it calls equal hash differently, so the per-group locks could not serialize their writers`,
        hint: `group by ${k.sql} COLLATE "C" or a normalized form (e.g. lower(…))`,
      });
      continue;
    }
    keys.push({
      ...k,
      type,
      notNull: k.column !== undefined && (byName.get(k.column)?.notNull ?? false),
      ...(coll.sql ? { collation: coll.sql } : {}),
      indexSql: k.column !== undefined ? quoteIdent(k.column) : `(${k.sql})`,
    });
  }
  if (issues.length) throw new DefinitionError(issues);

  // 3. Aggregates: planned as in the defining query; output, argument and base types.
  const aggregates: ResolvedAggregate[] = [];
  for (const [i, a] of n.aggregates.entries()) {
    const field = `aggregates.${i}`;
    const call = aggregateCallSql(a);
    const res = await probeType(c, `SELECT ${call} AS v FROM ${srcName} LIMIT 0`);
    if (!res.ok) {
      const framing =
        a.fn === 'min' || a.fn === 'max'
          ? `${a.fn}() needs a type with an ordering`
          : a.fn === 'count_distinct'
            ? 'count(DISTINCT …) needs a type with equality'
            : `${call} is not valid`;
      issues.push(issueFrom({ field: a.argSql ? `${field}.arg` : field, sql: call }, res.error, 0, framing));
      continue;
    }
    const argType = a.argSql ? exprTypes.get(`${field}.arg`) : undefined;
    const [type, argTypeName] = await formatTypes(c, [res.value, ...(argType ? [argType] : [])]);
    const argBase = argType ? await baseType(c, argType.oid) : undefined;
    if (a.fn === 'sum' && !sumTypeOf(argBase ?? '')) {
      issues.push({
        field: `${field}.arg`,
        message: `sum over ${argTypeName} cannot be maintained by addition and subtraction (supported: ${SUM_ARGUMENT_TYPES.join(', ')})`,
        hint: 'cast the argument to numeric',
      });
      continue;
    }
    if (a.fn === 'avg' && !avgTypeOf(argBase ?? '')) {
      issues.push({
        field: `${field}.arg`,
        message: `avg over ${argTypeName} cannot be maintained (supported: ${AVG_ARGUMENT_TYPES.join(', ')})`,
        hint: 'cast the argument to numeric',
      });
      continue;
    }
    if (a.fn === 'array_agg' && a.orderBy.length === 0) {
      issues.push({
        field: `${field}.orderBy`,
        message: 'array_agg without ORDER BY returns its elements in no defined order, so a maintained summary could never be compared with the defining query',
        hint: `add an ORDER BY, e.g. array_agg(${a.argSql} ORDER BY id)`,
      });
      continue;
    }
    const coll = await collationOf(c, res.value.oid, `SELECT ${call} FROM ${srcName} WHERE false`);
    aggregates.push({
      ...a,
      type: type!,
      ...(coll.sql ? { collation: coll.sql } : {}),
      ...(argTypeName ? { argType: argTypeName } : {}),
      ...(argBase ? { argBaseType: argBase } : {}),
    });
  }
  if (issues.length) throw new DefinitionError(issues);

  // 4. The whole defining query plans (catches what only shows up in combination).
  const whole = await attempt(c, () => c.query(`SELECT * FROM (${renderDefiningQuery(n)}) AS q LIMIT 0`));
  if (!whole.ok) throw DefinitionError.single('definition', whole.error.message, whole.error.hint ? { hint: whole.error.hint } : {});

  // 5. Immutability, by PostgreSQL's own rule for index expressions, on a scratch copy of the source.
  const warnings: { code: string; message: string }[] = [];
  // column keys are spelled the same by PostgreSQL; expression keys need the probe below
  let keyIndexSql: string[] | undefined = keys.every((k) => k.column !== undefined) ? keys.map((k) => k.indexSql) : undefined;
  let keysIndexable = true;
  if (readOnly) {
    warnings.push({
      code: 'unchecked_immutability',
      message: 'resolved in a READ ONLY transaction: expressions were not checked for immutability (run again read-write; create does)',
    });
  } else {
    const like = await attempt(c, () => c.query(`CREATE TEMP TABLE _tally_probe (LIKE ${srcName})`));
    if (!like.ok) throw new DatabaseError(like.error, `CREATE TEMP TABLE _tally_probe (LIKE ${srcName})`);
    for (const p of [...exprs, ...filters]) {
      const res = await attempt(c, () => c.query(`CREATE INDEX ON ${PROBE_TABLE} (((${p.sql}) IS NULL))`));
      if (res.ok) continue;
      if (res.error.code === SqlState.invalidObjectDefinition) {
        const why = await explainMutable(c, p, columns);
        issues.push({ field: p.field, message: why.message, hint: why.hint });
      } else issues.push(issueFrom(p, res.error, 0));
    }
    if (issues.length) throw new DefinitionError(issues);
    if (keys.length) {
      // PostgreSQL's own spelling of each key in an index, to recognise existing indexes
      const idx = await attempt(c, async () => {
        await c.query(`CREATE INDEX _tally_probe_keys ON ${PROBE_TABLE} (${keys.map((k) => k.indexSql).join(', ')})`);
        const { rows } = await c.query<{ cols: string[] }>(
          `SELECT ARRAY(SELECT pg_get_indexdef('pg_temp._tally_probe_keys'::regclass, k, true)
                          FROM generate_series(1, $1::int) AS k ORDER BY k) AS cols`,
          [keys.length],
        );
        return rows[0]!.cols;
      });
      if (idx.ok) keyIndexSql = idx.value;
      else {
        keysIndexable = false;
        keyIndexSql = undefined;
        warnings.push({
          code: 'keys_not_indexable',
          message: `the group keys cannot be indexed with btree (${idx.error.message}): recomputing a group reads the whole source`,
        });
      }
    }
  }

  // 6. Existing indexes: which one serves the per-group recompute, and the unique column sets.
  const indexes = await sourceIndexes(c, src.oid);
  const recomputeIndex = keyIndexSql ? pickRecomputeIndex(indexes, keyIndexSql) : undefined;
  const sourceUniqueColumns = indexes
    .filter((i) => i.unique && !i.partial && i.attnames.every((a) => a !== null))
    .map((i) => i.attnames as string[]);

  return {
    ...n,
    keys,
    aggregates,
    sourceColumns: columns,
    lockClass: lockClassOf(target),
    ...(recomputeIndex ? { recomputeIndex } : {}),
    sourceUniqueColumns,
    keysIndexable,
    serverVersion: version,
    warnings,
  };
}
