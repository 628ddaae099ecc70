import { quoteIdent } from '../db/ident';
import { indentLines } from './render/format';
import { ROWS_COLUMN } from './names';
import type { DeltaMode, RunningSum, SumType, SummaryModel } from './summary-model';

/**
 * The per-group change a statement makes, as SQL over the transition tables, and how it is
 * folded into a summary row. Pure text builders used by the maintenance-step renderers.
 */

export interface DeltaColumn {
  /** raw summary column name */
  readonly column: string;
  readonly expr: string;
}

export const NEW_ROWS = '_tally_new';
export const OLD_ROWS = '_tally_old';

const q = quoteIdent;

function negate(expr: string, t: SumType): string {
  return t.negateByMultiply ? `(${expr}) * -1` : `-${expr}`;
}

/** `count(*) FILTER (WHERE <is NaN / +Infinity / −Infinity>)` for each hidden count of a running sum. */
function nonFiniteCounts(r: RunningSum): DeltaColumn[] {
  const nf = r.nonFinite;
  if (!nf) return [];
  return (['nan', 'pinf', 'ninf'] as const).map((k) => ({ column: nf[k], expr: `count(*) FILTER (WHERE ${nf.conds[k]})` }));
}

/** The partial aggregates of the rows a statement added (+) or removed (−), per group. */
function branchColumns(m: SummaryModel, side: 'new' | 'old'): DeltaColumn[] {
  const add = side === 'new';
  const visible: DeltaColumn[] = [];
  const hidden: DeltaColumn[] = [{ column: ROWS_COLUMN, expr: add ? 'count(*)' : '-count(*)' }];
  for (const a of m.aggregates) {
    switch (a.kind) {
      case 'count':
        visible.push({ column: a.name, expr: add ? a.call : `-${a.call}` });
        break;
      case 'sum':
      case 'avg': {
        const r = a.running;
        (a.kind === 'sum' && !r.nonFinite ? visible : hidden).push({ column: r.column, expr: add ? r.call : negate(r.call, r.type) });
        hidden.push({ column: a.nn, expr: add ? a.nonNullCall : `-${a.nonNullCall}` });
        for (const c of nonFiniteCounts(r)) hidden.push({ column: c.column, expr: add ? c.expr : `-${c.expr}` });
        break;
      }
      case 'extreme':
        // added rows can only improve the extreme; removed ones may take it away (see fold)
        if (add) visible.push({ column: a.name, expr: a.call });
        else hidden.push({ column: a.removed, expr: a.call });
        break;
      case 'recompute':
        break; // recomputed from the source for every touched group
    }
  }
  return [...visible, ...hidden];
}

function keyList(m: SummaryModel): string[] {
  return m.keys.map((k) => (k.column === k.name ? k.sql : `${k.sql} AS ${q(k.name)}`));
}

function branchSelect(m: SummaryModel, side: 'new' | 'old'): string {
  const items = [...keyList(m), ...branchColumns(m, side).map((c) => `${c.expr} AS ${q(c.column)}`)];
  const lines = [`SELECT`, items.map((i) => `  ${i}`).join(',\n'), `FROM ${side === 'new' ? NEW_ROWS : OLD_ROWS}`];
  if (m.filterSql) lines.push(`WHERE ${m.filterSql}`);
  if (m.keys.length) lines.push(`GROUP BY ${m.keys.map((_, i) => i + 1).join(', ')}`);
  return lines.join('\n');
}

/** Every row of an UPDATE statement's transition tables, tagged +1 (new version) or −1 (old). */
export const SIGN_COLUMN = '_tally_sign';

/** `fn(arg)` over the rows of one side: FILTER (WHERE _tally_sign > 0 AND (<filter>)). */
function sided(fn: string, arg: string, filterSql: string | undefined, side: 'new' | 'old'): string {
  const cond = `${SIGN_COLUMN} ${side === 'new' ? '>' : '<'} 0${filterSql ? ` AND (${filterSql})` : ''}`;
  return `${fn}(${arg}) FILTER (WHERE ${cond})`;
}

/** An expression as the operand of a binary operator: parenthesized unless it is a bare name. */
function operand(expr: string): string {
  return /^([a-z_][a-z0-9_$]*|"(?:[^"]|"")*")$/.test(expr) ? expr : `(${expr})`;
}

function withFilter(call: string, filterSql: string | undefined): string {
  return filterSql ? `${call} FILTER (WHERE ${filterSql})` : call;
}

interface SignedColumn extends DeltaColumn {
  /** over the grouped row `g`: the column changes */
  readonly changed: string;
}

/**
 * UPDATE: one aggregation over both transition tables, each row tagged with its side (+1 for
 * a new row version, −1 for an old one). Counts are added minus removed; sums add the signed
 * values (NULL when neither side has a value, like sum); an extreme keeps the added and the
 * removed value apart (the fold decides whether the group must be recomputed).
 */
function signedColumns(m: SummaryModel): SignedColumn[] {
  const g = (c: string) => `g.${q(c)}`;
  const visible: SignedColumn[] = [];
  const hidden: SignedColumn[] = [{ column: ROWS_COLUMN, expr: `sum(${SIGN_COLUMN})`, changed: `${g(ROWS_COLUMN)} <> 0` }];
  const diffCount = (arg: string, f: string | undefined) => `${sided('count', arg, f, 'new')} - ${sided('count', arg, f, 'old')}`;
  // the sign is a bigint: an int2/int4 argument cannot overflow when negated
  const signedSum = (arg: string, f: string | undefined) => withFilter(`sum(${operand(arg)} * ${SIGN_COLUMN})`, f);
  for (const a of m.aggregates) {
    const r = a.resolved;
    switch (a.kind) {
      case 'count':
        visible.push({ column: a.name, expr: diffCount(r.argSql ?? '*', r.filterSql), changed: `${g(a.name)} <> 0` });
        break;
      case 'sum':
      case 'avg': {
        const rs = a.running;
        // bigint: -9223372036854775808 * -1 overflows; its sum is numeric anyway
        const signedArg = r.argBaseType === 'bigint' ? `(${rs.arg})::numeric` : rs.arg;
        (a.kind === 'sum' && !rs.nonFinite ? visible : hidden).push({
          column: rs.column,
          expr: signedSum(signedArg, rs.filter),
          changed: `${g(rs.column)} <> ${rs.type.zero}`,
        });
        hidden.push({ column: a.nn, expr: diffCount(r.argSql!, r.filterSql), changed: `${g(a.nn)} <> 0` });
        const nf = rs.nonFinite;
        if (nf)
          for (const k of ['nan', 'pinf', 'ninf'] as const)
            hidden.push({ column: nf[k], expr: diffCount('*', nf.conds[k]), changed: `${g(nf[k])} <> 0` });
        break;
      }
      case 'extreme':
        visible.push({ column: a.name, expr: sided(r.fn, r.argSql!, r.filterSql, 'new'), changed: `${g(a.name)} IS NOT NULL` });
        hidden.push({ column: a.removed, expr: sided(r.fn, r.argSql!, r.filterSql, 'old'), changed: `${g(a.removed)} IS NOT NULL` });
        break;
      case 'recompute':
        break;
    }
  }
  return [...visible, ...hidden];
}

/**
 * The delta query of a maintenance function: one row per touched group with the summary's
 * key columns and the signed change of each maintained column (column order = `columns`).
 */
export function deltaQuery(m: SummaryModel, mode: DeltaMode): { sql: string; columns: string[] } {
  if (mode !== 'update') {
    const side = mode === 'insert' ? 'new' : 'old';
    return {
      sql: branchSelect(m, side),
      columns: [...m.keys.map((k) => k.name), ...branchColumns(m, side).map((c) => c.column)],
    };
  }
  const cols = signedColumns(m);
  const grouped = [
    `SELECT`,
    [...keyList(m), ...cols.map((c) => `${c.expr} AS ${q(c.column)}`)].map((i) => `  ${i}`).join(',\n'),
    `FROM (`,
    `  SELECT t.*, 1::bigint AS ${SIGN_COLUMN} FROM ${NEW_ROWS} AS t`,
    `  UNION ALL`,
    `  SELECT t.*, -1 FROM ${OLD_ROWS} AS t`,
    `) AS d`,
    ...(m.filterSql ? [`WHERE ${m.filterSql}`] : []),
    ...(m.keys.length ? [`GROUP BY ${m.keys.map((_, i) => i + 1).join(', ')}`] : []),
  ].join('\n');
  const columns = [...m.keys.map((k) => k.name), ...cols.map((c) => c.column)];
  // with recomputed aggregates every touched group is written; otherwise a group whose rows
  // changed in ways no aggregate sees (an UPDATE of an unrelated column) is skipped
  if (m.aggregates.some((a) => a.kind === 'recompute')) return { sql: grouped, columns };
  const sql = [
    `SELECT *`,
    `FROM (`,
    indentLines(grouped, '  '),
    `) AS g`,
    `WHERE ${cols.map((c) => c.changed).join('\n   OR ')}`,
  ].join('\n');
  return { sql, columns };
}

/** `col = <new value>` for every maintained column; `s` is the stored row, `d` the delta row. */
export function foldAssignments(m: SummaryModel, mode: DeltaMode, d: string): string[] {
  const s = (c: string) => `s.${q(c)}`;
  const e = (c: string) => `${d}.${q(c)}`;
  const add = (c: string) => `${q(c)} = ${s(c)} + ${e(c)}`;
  // sum of nothing is NULL (as in SQL): NULL when no non-NULL value is left
  const addSum = (c: string, nn: string) =>
    mode === 'insert'
      ? `${q(c)} = COALESCE(${s(c)} + ${e(c)}, ${s(c)}, ${e(c)})`
      : `${q(c)} = CASE WHEN ${s(nn)} + ${e(nn)} = 0 THEN NULL ELSE COALESCE(${s(c)} + ${e(c)}, ${s(c)}, ${e(c)}) END`;
  const out: string[] = [];
  const hidden = [add(ROWS_COLUMN)];
  for (const a of m.aggregates) {
    switch (a.kind) {
      case 'count':
        out.push(add(a.name));
        break;
      case 'sum':
      case 'avg': {
        const r = a.running;
        (a.kind === 'sum' && !r.nonFinite ? out : hidden).push(addSum(r.column, a.nn));
        hidden.push(add(a.nn));
        if (r.nonFinite) hidden.push(add(r.nonFinite.nan), add(r.nonFinite.pinf), add(r.nonFinite.ninf));
        break;
      }
      case 'extreme': {
        const better = a.direction === 'min' ? 'LEAST' : 'GREATEST';
        const reaches = a.direction === 'min' ? '<=' : '>=';
        const beats = a.direction === 'min' ? '>' : '<';
        const removedWasExtreme = `${e(a.removed)} IS NOT NULL AND (${s(a.name)} IS NULL OR ${e(a.removed)} ${reaches} ${s(a.name)})`;
        if (mode !== 'delete') out.push(`${q(a.name)} = ${better}(${s(a.name)}, ${e(a.name)})`);
        // the carrier keeps the removed value only when the group must be recomputed: the removed
        // value was the extreme and (UPDATE) no added value is as good
        if (mode === 'delete') hidden.push(`${q(a.removed)} = CASE WHEN ${removedWasExtreme} THEN ${e(a.removed)} END`);
        if (mode === 'update')
          hidden.push(
            `${q(a.removed)} = CASE WHEN ${removedWasExtreme} AND (${e(a.name)} IS NULL OR ${e(a.name)} ${beats} ${e(a.removed)}) THEN ${e(a.removed)} END`,
          );
        break;
      }
      case 'recompute':
        break;
    }
  }
  out.push(...hidden);
  return out;
}

/** Which columns a stale group gets back from the source, per mode. */
export function recomputedColumns(m: SummaryModel, mode: DeltaMode): { set: DeltaColumn[]; clear: string[] } {
  const set: DeltaColumn[] = [];
  const clear: string[] = [];
  for (const a of m.aggregates) {
    if (a.kind === 'recompute') set.push({ column: a.name, expr: a.call });
    if (mode === 'insert') continue;
    if (a.kind === 'extreme') {
      set.push({ column: a.name, expr: a.call });
      clear.push(a.removed);
    }
    // sums are never recomputed: another trigger of the same statement (ON CONFLICT DO
    // UPDATE, MERGE, writable CTEs) adds its own rows' delta, already visible in the source
  }
  return { set, clear };
}

/**
 * Over the summary row `s` after the delta: must this group be recomputed from the source?
 * Undefined when it never has to. (NaN and ±Infinity in sums are counted, never recomputed.)
 */
export function staleCondition(m: SummaryModel, mode: DeltaMode): string | undefined {
  if (m.aggregates.some((a) => a.kind === 'recompute')) return 'true';
  if (mode === 'insert') return undefined;
  const conds: string[] = [];
  for (const a of m.aggregates) {
    if (a.kind === 'extreme') conds.push(`s.${q(a.removed)} IS NOT NULL`);
  }
  return conds.length ? conds.join(' OR ') : undefined;
}


/** Every stored column computed from scratch over a set of source rows (populate, backfill). */
export function fullColumns(m: SummaryModel): DeltaColumn[] {
  const cols: DeltaColumn[] = [];
  const hidden: DeltaColumn[] = [{ column: ROWS_COLUMN, expr: 'count(*)' }];
  for (const a of m.aggregates) {
    switch (a.kind) {
      case 'count':
      case 'extreme':
      case 'recompute':
        cols.push({ column: a.name, expr: a.call });
        break;
      case 'sum':
      case 'avg':
        (a.kind === 'sum' && !a.running.nonFinite ? cols : hidden).push({ column: a.running.column, expr: a.running.call });
        hidden.push({ column: a.nn, expr: a.nonNullCall }, ...nonFiniteCounts(a.running));
        break;
    }
  }
  return [...cols, ...hidden];
}

/** The value of each stored column for a group with no rows (the single row without GROUP BY). */
export function emptyGroupValues(m: SummaryModel): DeltaColumn[] {
  const zero = (column: string) => ({ column, expr: '0' });
  const nul = (column: string) => ({ column, expr: 'NULL' });
  const out: DeltaColumn[] = [zero(ROWS_COLUMN)];
  for (const a of m.aggregates) {
    switch (a.kind) {
      case 'count':
        out.push(zero(a.name));
        break;
      case 'sum':
      case 'avg': {
        const nf = a.running.nonFinite;
        out.push(nul(a.running.column), zero(a.nn), ...(nf ? [zero(nf.nan), zero(nf.pinf), zero(nf.ninf)] : []));
        break;
      }
      case 'extreme':
        out.push(nul(a.name), nul(a.removed));
        break;
      case 'recompute':
        out.push(a.resolved.fn === 'count_distinct' ? zero(a.name) : nul(a.name));
        break;
    }
  }
  return out;
}

/** Quote-aware indentation (render/format.ts), re-exported for the other SQL builders. */
export const indent = indentLines;
