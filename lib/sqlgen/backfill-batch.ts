import { quoteIdent } from '../db/ident';
import { fullColumns, indent } from './delta-query';
import { SUMMARY_WIDE_SLOT, slotSql, wideLockSql } from './locks';
import { ROWS_COLUMN } from './names';
import { renderPopulate } from './render/populate';
import type { ResolvedKey } from './resolved-definition';
import type { SummaryModel } from './summary-model';

/**
 * The statements of one backfill batch (DESIGN.md § Backfill, protocol 1 "key order"). Pure
 * text builders over the summary model; lib/backfill/ runs them with typed parameters.
 *
 * The walk goes through the first `prefix` group keys, in GROUP BY order, which a source btree
 * index can return in order (and which the summary's unique index on all keys serves too).
 * A batch covers the half-open range of prefixes (after, upTo] and, in it, every group:
 *
 *   1. `nextPrefixesSql`: the next K distinct prefixes after the cursor, one index probe each
 *      (a "loose index scan"), so the cost does not depend on the rows per prefix.
 *   2. `batchSlotsSql`: the lock slots of every group in the range — of the source's groups
 *      and of summary rows there (which may be stale). With the full key as prefix they come
 *      from step 1; otherwise from a read of the range.
 *   3. `lockSlotsSql` / `wideLockSql`: the same locks as the triggers (locks.ts), in the same order.
 *   4. `deleteRangeSql` + `insertRangeSql`: the groups of those slots, recomputed from the
 *      source as of now. A group of the range whose slot is not locked had no row in the source
 *      nor in the summary when the slots were read, so every row it has was written after the
 *      triggers were live and its summary row is exact already: it is left alone.
 *
 * Keys with NULLs sort nowhere in a row comparison, so the walk covers prefixes without NULLs
 * (`phase: walk`); the groups with a NULL in the prefix form one last batch (`phase: tail`).
 * Key values travel as text (`$n::type`), in sessions with pinned DateStyle/IntervalStyle.
 */

export interface WalkSpec {
  /** the first `prefix` keys of m.keys are walked, 1 ≤ prefix ≤ m.keys.length */
  readonly prefix: number;
}

/** Which groups a batch covers. Parameters are numbered from `firstParam`. */
export type BatchRange =
  /** non-NULL prefixes in (after, upTo]; either bound may be absent */
  | { readonly kind: 'walk'; readonly after: boolean; readonly upTo: boolean }
  /** every group with a NULL among the walked keys */
  | { readonly kind: 'tail' };

const q = quoteIdent;

function walkKeys(m: SummaryModel, walk: WalkSpec): readonly ResolvedKey[] {
  if (walk.prefix < 1 || walk.prefix > m.keys.length)
    throw new Error(`bad walk prefix ${walk.prefix}`);
  return m.keys.slice(0, walk.prefix);
}

/** `$n::type [COLLATE c]`: a key value sent as text. */
function param(k: ResolvedKey, n: number): string {
  return `$${n}::${k.type}${k.collation ? ` COLLATE ${k.collation}` : ''}`;
}

function row(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `ROW(${items.join(', ')})`;
}

/** Whether the walk has a tail phase (some walked key may be NULL). */
export function hasTail(m: SummaryModel, walk: WalkSpec): boolean {
  return walkKeys(m, walk).some((k) => !k.notNull);
}

/**
 * The range condition over `exprs` (the walked keys as source expressions or summary columns).
 * Bounds are parameters: `after` at $first…, then `upTo` right after it.
 */
function rangeCondition(
  keys: readonly ResolvedKey[],
  exprs: readonly string[],
  range: BatchRange,
  first: number,
): string[] {
  if (range.kind === 'tail') {
    const nullable = exprs.filter((_, i) => !keys[i]!.notNull);
    return [
      nullable.length === 1
        ? `${nullable[0]} IS NULL`
        : `(${nullable.map((e) => `${e} IS NULL`).join(' OR ')})`,
    ];
  }
  const conds = exprs.filter((_, i) => !keys[i]!.notNull).map((e) => `${e} IS NOT NULL`);
  let n = first;
  if (range.after) {
    conds.push(`${row(exprs)} > ${row(keys.map((k) => param(k, n++)))}`);
  }
  if (range.upTo) conds.push(`${row(exprs)} <= ${row(keys.map((k) => param(k, n++)))}`);
  return conds;
}

/** Number of parameters a range takes. */
export function rangeParams(walk: WalkSpec, range: BatchRange): number {
  if (range.kind === 'tail') return 0;
  return (range.after ? walk.prefix : 0) + (range.upTo ? walk.prefix : 0);
}

function where(conds: readonly string[]): string {
  return conds.length ? `WHERE ${conds.join('\n  AND ')}` : '';
}

const K = (i: number) => `_tally_k${i + 1}`;

/**
 * The next `$1` distinct non-NULL prefixes after the cursor (`$2…` when `after`), in walk
 * order, as text (`_tally_k1`…), plus their lock slot when the prefix is the whole key.
 */
export function nextPrefixesSql(m: SummaryModel, walk: WalkSpec, after: boolean): string {
  const keys = walkKeys(m, walk);
  const exprs = keys.map((k) => k.sql);
  const filter = m.filterSql ? [m.filterSql] : [];
  const cols = exprs.map((e, i) => `${e} AS ${K(i)}`).join(', ');
  const order = `ORDER BY ${exprs.join(', ')}`;
  const first = [
    ...rangeCondition(keys, exprs, { kind: 'walk', after, upTo: false }, 2),
    ...filter,
  ];
  const next = [
    ...rangeCondition(keys, exprs, { kind: 'walk', after: false, upTo: false }, 2),
    `${row(exprs)} > ${row(keys.map((_, i) => `_tally_w.${K(i)}`))}`,
    ...filter,
  ];
  const out = keys.map((_, i) => `${K(i)}::text AS ${K(i)}`);
  if (walk.prefix === m.keys.length)
    out.push(`${slotSql(keys.map((_, i) => K(i)))} AS _tally_slot`);
  return [
    `-- backfill: the next $1 distinct prefixes (${keys.map((k) => q(k.name)).join(', ')}), one index probe each`,
    `WITH RECURSIVE _tally_w AS (`,
    `  (SELECT ${cols}, 1 AS _tally_n`,
    `   FROM ${m.source}`,
    indent(where(first), '   '),
    `   ${order}`,
    `   LIMIT 1)`,
    `  UNION ALL`,
    `  SELECT ${keys.map((_, i) => `_tally_x.${K(i)}`).join(', ')}, _tally_w._tally_n + 1`,
    `  FROM _tally_w CROSS JOIN LATERAL (`,
    `    SELECT ${cols}`,
    `    FROM ${m.source}`,
    indent(where(next), '    '),
    `    ${order}`,
    `    LIMIT 1`,
    `  ) AS _tally_x`,
    `  WHERE _tally_w._tally_n < $1`,
    `)`,
    `SELECT ${out.join(', ')}`,
    `FROM _tally_w`,
    `ORDER BY _tally_w._tally_n`,
  ].join('\n');
}

/**
 * The distinct lock slots (ascending int[]) of the range's groups: summary rows in the range,
 * plus either the slots passed as `$1::int[]` (prefix = whole key: the groups found by
 * nextPrefixesSql) or a read of the source rows in the range. Range parameters follow.
 */
export function batchSlotsSql(
  m: SummaryModel,
  walk: WalkSpec,
  range: BatchRange,
  fromSource: boolean,
): string {
  const keys = walkKeys(m, walk);
  const first = fromSource ? 1 : 2;
  const srcConds = [
    ...rangeCondition(
      keys,
      keys.map((k) => k.sql),
      range,
      first,
    ),
    ...(m.filterSql ? [m.filterSql] : []),
  ];
  const sumConds = rangeCondition(
    keys,
    keys.map((k) => `s.${q(k.name)}`),
    range,
    first,
  );
  const source = fromSource
    ? [
        `  SELECT ${slotSql(m.keys.map((k) => k.sql))} AS _tally_slot`,
        `  FROM ${m.source}`,
        indent(where(srcConds), '  '),
      ]
    : [`  SELECT pg_catalog.unnest($1::integer[]) AS _tally_slot`];
  return [
    `-- backfill: the lock slots of every group in the batch's range (source and summary)`,
    `SELECT coalesce(array_agg(DISTINCT _tally_c._tally_slot ORDER BY _tally_c._tally_slot), '{}') AS slots`,
    `FROM (`,
    ...source,
    `  UNION ALL`,
    `  SELECT ${slotSql(m.keys.map((k) => `s.${q(k.name)}`))}`,
    `  FROM ${m.table} AS s`,
    indent(where(sumConds), '  '),
    `) AS _tally_c`,
  ].join('\n');
}

/**
 * Slot locks as the triggers take them (locks.ts): per row, the summary-wide key shared (taken
 * once, then free) before each slot of `$1::int[]`, ascending. One round trip.
 */
export function lockSlotsSql(m: SummaryModel): string {
  return [
    `SELECT pg_catalog.pg_advisory_xact_lock_shared(${m.lockClass}, ${SUMMARY_WIDE_SLOT}),`,
    `       pg_catalog.pg_advisory_xact_lock(${m.lockClass}, slot)`,
    `FROM pg_catalog.unnest($1::integer[]) AS slot`,
  ].join('\n');
}

/** The summary-wide lock in exclusive mode: every group at once, one lock-table entry. */
export function wideLockStatement(m: SummaryModel): string {
  return `SELECT ${wideLockSql(m.lockClass)}`;
}

/**
 * Deletes the summary rows of the range whose slot is locked (`$1::int[]`), or all of them when
 * `slots` is false (the summary-wide lock is held). Range parameters follow.
 */
export function deleteRangeSql(
  m: SummaryModel,
  walk: WalkSpec,
  range: BatchRange,
  slots: boolean,
): string {
  const keys = walkKeys(m, walk);
  const first = slots ? 2 : 1;
  const conds = [
    ...rangeCondition(
      keys,
      keys.map((k) => `s.${q(k.name)}`),
      range,
      first,
    ),
    ...(slots ? [`${slotSql(m.keys.map((k) => `s.${q(k.name)}`))} = ANY ($1::integer[])`] : []),
  ];
  return [
    `-- backfill: clear the batch's groups (recomputed below)`,
    `DELETE FROM ${m.table} AS s`,
    where(conds),
  ].join('\n');
}

/**
 * Recomputes the range's groups whose slot is locked (`$1::int[]`; every group when `slots` is
 * false) from the source and inserts them, hidden columns included. Returns one row: groups
 * written and source rows they count. Range parameters follow.
 */
export function insertRangeSql(
  m: SummaryModel,
  walk: WalkSpec,
  range: BatchRange,
  slots: boolean,
): string {
  const keys = walkKeys(m, walk);
  const first = slots ? 2 : 1;
  const cols = fullColumns(m);
  const items = [
    ...m.keys.map((k) => (k.column === k.name ? k.sql : `${k.sql} AS ${q(k.name)}`)),
    ...cols.map((c) => `${c.expr} AS ${q(c.column)}`),
  ];
  const conds = [
    ...rangeCondition(
      keys,
      keys.map((k) => k.sql),
      range,
      first,
    ),
    ...(m.filterSql ? [m.filterSql] : []),
  ];
  const columns = [...m.keys.map((k) => k.name), ...cols.map((c) => c.column)].map(q).join(', ');
  const groups = [
    `SELECT`,
    items.map((i) => `  ${i}`).join(',\n'),
    `FROM ${m.source}`,
    where(conds),
    `GROUP BY ${m.keys.map((_, i) => i + 1).join(', ')}`,
  ].join('\n');
  // the slot test runs per group, after grouping: as HAVING, PostgreSQL would push it down
  // to every source row (OFFSET 0 keeps it out)
  const select = slots
    ? [
        `SELECT ${columns}`,
        `FROM (`,
        indent(groups, '  '),
        `  OFFSET 0`,
        `) AS g`,
        `WHERE ${slotSql(m.keys.map((k) => `g.${q(k.name)}`))} = ANY ($1::integer[])`,
      ].join('\n')
    : groups;
  return [
    `-- backfill: the batch's groups, recomputed from the source under their locks`,
    `WITH fresh AS (`,
    `  INSERT INTO ${m.table} (${columns})`,
    indent(select, '  '),
    `  RETURNING ${q(ROWS_COLUMN)}`,
    `)`,
    `SELECT count(*)::bigint AS groups, coalesce(sum(${q(ROWS_COLUMN)}), 0)::bigint AS rows FROM fresh`,
  ].join('\n');
}

/**
 * The whole summary in one statement, for the single-batch protocol (run under the
 * summary-wide lock): clear it, then populate.ts's INSERT … SELECT … GROUP BY (or its
 * UPDATE of the one row without GROUP BY).
 */
export function refreshAllSql(m: SummaryModel): string[] {
  return m.keys.length ? [`DELETE FROM ${m.table}`, renderPopulate(m)] : [renderPopulate(m)];
}

/** Groups and source rows now in the summary (after refreshAllSql). */
export function countSummarySql(m: SummaryModel): string {
  return `SELECT count(*)::bigint AS groups, coalesce(sum(${q(ROWS_COLUMN)}), 0)::bigint AS rows FROM ${m.table}`;
}

/**
 * A plannable query whose row estimate is the number of source rows not yet walked: after the
 * prefix `$1…` of walk `after` (or all of them when null), passing the filter. EXPLAIN it.
 */
export function remainingRowsSql(m: SummaryModel, after: WalkSpec | null): string {
  const keys = after ? walkKeys(m, after) : [];
  const conds = [
    ...(after
      ? rangeCondition(
          keys,
          keys.map((k) => k.sql),
          { kind: 'walk', after: true, upTo: false },
          1,
        )
      : []),
    ...(m.filterSql ? [m.filterSql] : []),
  ];
  return [`SELECT 1`, `FROM ${m.source}`, where(conds)].filter(Boolean).join('\n');
}

/** A plannable query whose row estimate is the number of groups. EXPLAIN it; never run it. */
export function groupCountSql(m: SummaryModel): string {
  const lines = [
    `SELECT ${m.keys.length ? m.keys.map((k) => k.sql).join(', ') : '1'}`,
    `FROM ${m.source}`,
  ];
  if (m.filterSql) lines.push(`WHERE ${m.filterSql}`);
  if (m.keys.length) lines.push(`GROUP BY ${m.keys.map((_, i) => i + 1).join(', ')}`);
  return lines.join('\n');
}

/**
 * The first prefix in walk order, for EXPLAIN: an ordered index scan (no Sort) means the
 * source has an index that can walk this prefix.
 */
export function walkProbeSql(m: SummaryModel, walk: WalkSpec): string {
  const keys = walkKeys(m, walk);
  const exprs = keys.map((k) => k.sql);
  const conds = [
    ...rangeCondition(keys, exprs, { kind: 'walk', after: false, upTo: false }, 1),
    ...(m.filterSql ? [m.filterSql] : []),
  ];
  return [
    `SELECT ${exprs.join(', ')}`,
    `FROM ${m.source}`,
    where(conds),
    `ORDER BY ${exprs.join(', ')}`,
    `LIMIT 1`,
  ]
    .filter(Boolean)
    .join('\n');
}
