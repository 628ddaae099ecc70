import { quoteIdent } from '../db/ident';
import { aggregateCallSql } from '../definition/normalize';
import { hiddenColumn, summaryNames, type SummaryNames } from './names';
import type { ResolvedAggregate, ResolvedDefinition, ResolvedKey } from './resolved-definition';

/**
 * How each aggregate is kept exact, decided once from the resolved types; every renderer reads
 * this model instead of re-deciding. Column names here are raw (renderers quote them).
 *
 * - count: add/subtract per-group counts.
 * - sum: add/subtract, plus a hidden non-NULL count so that a sum over no values is NULL.
 * - avg: a hidden running sum and non-NULL count; the visible column is generated from them.
 * - extreme (min, max, bool_and = min over false<true, bool_or = max): LEAST/GREATEST on insert;
 *   when a removed value was the extreme, the group is recomputed from the source.
 * - recompute (count distinct, array_agg): every touched group is recomputed from the source.
 */
export type AggregateKind = 'count' | 'sum' | 'avg' | 'extreme' | 'recompute';

/**
 * float/numeric values that subtraction cannot undo (NaN, ±Infinity): counted per group in hidden
 * columns next to a running sum of the finite values only, and the visible sum is derived.
 */
export type NonFiniteCheck = 'float';

/** Hidden columns that count the NaN, +Infinity and −Infinity values of a sum/avg. */
export interface NonFiniteColumns {
  readonly nan: string;
  readonly pinf: string;
  readonly ninf: string;
}

const FINITE_LITERALS = `('NaN', 'Infinity', '-Infinity')`;
/** The argument is a finite value (NULL for NULL: sum and count(arg) skip it either way). */
export function finiteCondition(arg: string): string {
  return `(${arg}) NOT IN ${FINITE_LITERALS}`;
}
/** The argument is NaN / +Infinity / −Infinity (NaN = NaN holds for float and numeric). */
export function specialConditions(arg: string): { nan: string; pinf: string; ninf: string } {
  return { nan: `(${arg}) = 'NaN'`, pinf: `(${arg}) = 'Infinity'`, ninf: `(${arg}) = '-Infinity'` };
}
/** `a AND b` of optional conditions (each parenthesized when combined). */
export function andConditions(...conds: (string | undefined)[]): string | undefined {
  const c = conds.filter((x): x is string => x !== undefined);
  return c.length === 0 ? undefined : c.length === 1 ? c[0] : c.map((x) => `(${x})`).join(' AND ');
}

/**
 * PostgreSQL's sum()/avg() over float and numeric (PG 14+) from the finite part and the counts:
 * NaN if any NaN or both infinities, else ±Infinity if any, else the finite result.
 */
export function withNonFinite(finite: string, nf: NonFiniteColumns, type: string): string {
  const c = (x: string) => quoteIdent(x);
  return [
    `CASE WHEN ${c(nf.nan)} > 0 OR (${c(nf.pinf)} > 0 AND ${c(nf.ninf)} > 0) THEN 'NaN'::${type}`,
    ` WHEN ${c(nf.pinf)} > 0 THEN 'Infinity'::${type}`,
    ` WHEN ${c(nf.ninf)} > 0 THEN '-Infinity'::${type}`,
    ` ELSE ${finite} END`,
  ].join('');
}

export interface SumType {
  /** type of the (hidden or visible) running sum */
  readonly sumType: string;
  /** cast applied to the argument before summing, when the running sum is wider than sum(arg) */
  readonly argCast?: string;
  /** SQL zero of the running sum type */
  readonly zero: string;
  readonly nonFinite?: NonFiniteCheck;
  /** unary minus does not exist for money */
  readonly negateByMultiply?: boolean;
}

/** sum(arg) result types Tally can maintain by addition and subtraction, by argument base type. */
const SUM_TYPES: Record<string, SumType> = {
  smallint: { sumType: 'bigint', zero: '0' },
  integer: { sumType: 'bigint', zero: '0' },
  bigint: { sumType: 'numeric', zero: '0' },
  numeric: { sumType: 'numeric', zero: '0', nonFinite: 'float' },
  real: { sumType: 'real', zero: '0', nonFinite: 'float' },
  'double precision': { sumType: 'double precision', zero: '0', nonFinite: 'float' },
  // PostgreSQL 17+ infinite intervals: adding is exact; subtracting an infinity raises an error
  interval: { sumType: 'interval', zero: `'00:00:00'::interval` },
  money: { sumType: 'money', zero: '0::money', negateByMultiply: true },
};

export interface AvgType extends SumType {
  /** the visible avg as an expression of the hidden sum (%s) and non-NULL count (%n) */
  readonly divide: (sum: string, nn: string) => string;
}

const numericAvg = (sum: string, nn: string) => `${sum}::numeric / NULLIF(${nn}, 0)::numeric`;
const floatAvg = (sum: string, nn: string) => `${sum} / NULLIF(${nn}, 0)::double precision`;
/**
 * avg(arg) as sum / count, reproducing PostgreSQL's own final functions exactly: int2/int4 keep
 * an int8 sum and int8_avg divides numeric(sum) by numeric(count); int8 and numeric divide
 * numeric sums; float4/float8 accumulate in float8 and divide by float8(count); interval
 * divides by float8(count).
 */
const AVG_TYPES: Record<string, AvgType> = {
  smallint: { ...SUM_TYPES.smallint!, divide: numericAvg },
  integer: { ...SUM_TYPES.integer!, divide: numericAvg },
  bigint: { ...SUM_TYPES.bigint!, divide: (s, n) => `${s} / NULLIF(${n}, 0)::numeric` },
  numeric: { ...SUM_TYPES.numeric!, divide: (s, n) => `${s} / NULLIF(${n}, 0)::numeric` },
  real: { ...SUM_TYPES['double precision']!, argCast: 'double precision', divide: floatAvg },
  'double precision': { ...SUM_TYPES['double precision']!, divide: floatAvg },
  interval: { ...SUM_TYPES.interval!, divide: floatAvg },
};

export function sumTypeOf(argBaseType: string): SumType | undefined {
  return SUM_TYPES[argBaseType];
}
export function avgTypeOf(argBaseType: string): AvgType | undefined {
  return AVG_TYPES[argBaseType];
}
export const SUM_ARGUMENT_TYPES = Object.keys(SUM_TYPES);
export const AVG_ARGUMENT_TYPES = Object.keys(AVG_TYPES);

interface AggregateBase {
  readonly resolved: ResolvedAggregate;
  readonly name: string;
  /** the aggregate call exactly as in the defining query, e.g. `sum(x) FILTER (WHERE x > 0)` */
  readonly call: string;
  /** `count(arg) FILTER (…)`: the non-NULL values a sum/avg saw */
  readonly nonNullCall: string;
}

/**
 * The running sum behind a sum/avg: maintained by addition and subtraction only (never
 * recomputed, so two triggers of one statement cannot count a row twice).
 */
export interface RunningSum {
  /** the column holding it: the visible sum itself, or a hidden `_tally_sum_*` column */
  readonly column: string;
  /** the summed argument (cast when the running sum is wider than the argument) */
  readonly arg: string;
  /** the aggregate's FILTER and, with nonFinite, the finite-values test */
  readonly filter?: string;
  /** `sum(arg) FILTER (WHERE filter)` */
  readonly call: string;
  readonly type: SumType;
  /** NaN/±Infinity counts and their conditions (each already combined with the aggregate's FILTER) */
  readonly nonFinite?: NonFiniteColumns & { readonly conds: { nan: string; pinf: string; ninf: string } };
}

export type AggregateModel =
  | (AggregateBase & { readonly kind: 'count' })
  | (AggregateBase & { readonly kind: 'sum'; readonly nn: string; readonly sum: SumType; readonly running: RunningSum })
  | (AggregateBase & {
      readonly kind: 'avg';
      readonly nn: string;
      /** hidden running sum column */
      readonly sumColumn: string;
      /** `sum(arg[::cast]) FILTER (…)` */
      readonly sumCall: string;
      readonly avg: AvgType;
      readonly running: RunningSum;
      /** unconstrained numeric: hidden max scale(arg) of the group (a hidden extreme), as numeric_avg rounds to it */
      readonly scaleColumn?: string;
    })
  | (AggregateBase & {
      readonly kind: 'extreme';
      readonly direction: 'min' | 'max';
      /** hidden column that carries a removed extreme until the group is recomputed */
      readonly removed: string;
      /** Tally's own hidden extreme (the max scale behind a numeric avg), not a visible column */
      readonly hidden?: { readonly type: string; readonly comment: string; readonly of: string };
    })
  | (AggregateBase & { readonly kind: 'recompute' });

export interface SummaryModel {
  readonly r: ResolvedDefinition;
  readonly names: SummaryNames;
  readonly lockClass: number;
  readonly keys: readonly ResolvedKey[];
  readonly aggregates: readonly AggregateModel[];
  /** qualified, quoted source and summary tables */
  readonly source: string;
  readonly table: string;
  readonly filterSql?: string;
  /** groups need recompute lookups on the source (so it needs an index on the keys) */
  readonly needsRecomputeIndex: boolean;
}

function withFilter(call: string, filterSql: string | undefined): string {
  return filterSql ? `${call} FILTER (WHERE ${filterSql})` : call;
}

function runningSum(a: ResolvedAggregate, type: SumType, column: string, arg: string): RunningSum {
  if (!type.nonFinite) return { column, arg, ...(a.filterSql ? { filter: a.filterSql } : {}), call: withFilter(`sum(${arg})`, a.filterSql), type };
  const filter = andConditions(a.filterSql, finiteCondition(a.argSql!))!;
  const sc = specialConditions(a.argSql!);
  return {
    column,
    arg,
    filter,
    call: withFilter(`sum(${arg})`, filter),
    type,
    nonFinite: {
      nan: hiddenColumn('nan', a.name),
      pinf: hiddenColumn('pinf', a.name),
      ninf: hiddenColumn('ninf', a.name),
      conds: {
        nan: andConditions(a.filterSql, sc.nan)!,
        pinf: andConditions(a.filterSql, sc.pinf)!,
        ninf: andConditions(a.filterSql, sc.ninf)!,
      },
    },
  };
}

/** The hidden max(scale(arg)) behind an avg over unconstrained numeric, kept like a max. */
function scaleExtreme(avg: AggregateModel & { kind: 'avg' }, column: string): AggregateModel {
  const a = avg.resolved;
  const resolved: ResolvedAggregate = {
    ...a,
    name: column,
    fn: 'max',
    argSql: `pg_catalog.scale(${a.argSql})`,
    orderBy: [],
    type: 'integer',
    argType: 'integer',
    argBaseType: 'integer',
  };
  delete (resolved as { collation?: string }).collation;
  return {
    resolved,
    name: column,
    call: aggregateCallSql(resolved),
    nonNullCall: withFilter(`count(${resolved.argSql})`, a.filterSql),
    kind: 'extreme',
    direction: 'max',
    removed: hiddenColumn('rscale', a.name),
    hidden: { type: 'integer', comment: `largest scale of the finite values behind ${avg.name} (avg rounds the sum to it)`, of: avg.name },
  };
}

function modelAggregate(a: ResolvedAggregate): AggregateModel {
  const base = {
    resolved: a,
    name: a.name,
    call: aggregateCallSql(a),
    nonNullCall: withFilter(`count(${a.argSql ?? '*'})`, a.filterSql),
  };
  switch (a.fn) {
    case 'count':
      return { ...base, kind: 'count' };
    case 'sum': {
      const sum = sumTypeOf(a.argBaseType ?? '');
      if (!sum) throw new Error(`sum over ${a.argBaseType} is not maintainable (resolve should have refused it)`);
      const running = runningSum(a, sum, sum.nonFinite ? hiddenColumn('sum', a.name) : a.name, a.argSql!);
      return { ...base, kind: 'sum', nn: hiddenColumn('nn', a.name), sum, running };
    }
    case 'avg': {
      const avg = avgTypeOf(a.argBaseType ?? '');
      if (!avg) throw new Error(`avg over ${a.argBaseType} is not maintainable (resolve should have refused it)`);
      const arg = avg.argCast ? `(${a.argSql})::${avg.argCast}` : `${a.argSql}`;
      return {
        ...base,
        kind: 'avg',
        nn: hiddenColumn('nn', a.name),
        sumColumn: hiddenColumn('sum', a.name),
        sumCall: withFilter(`sum(${arg})`, a.filterSql),
        avg,
        running: runningSum(a, avg, hiddenColumn('sum', a.name), arg),
        // numeric(p, s) fixes the scale: only unconstrained numeric needs it
        ...(a.argBaseType === 'numeric' && a.argType === 'numeric' ? { scaleColumn: hiddenColumn('scale', a.name) } : {}),
      };
    }
    case 'min':
    case 'bool_and':
      return { ...base, kind: 'extreme', direction: 'min', removed: hiddenColumn('removed', a.name) };
    case 'max':
    case 'bool_or':
      return { ...base, kind: 'extreme', direction: 'max', removed: hiddenColumn('removed', a.name) };
    case 'count_distinct':
    case 'array_agg':
      return { ...base, kind: 'recompute' };
  }
}

export function summaryModel(r: ResolvedDefinition): SummaryModel {
  const visible = r.aggregates.map(modelAggregate);
  const aggregates = [
    ...visible,
    ...visible.flatMap((a) => (a.kind === 'avg' && a.scaleColumn ? [scaleExtreme(a, a.scaleColumn)] : [])),
  ];
  return {
    r,
    names: summaryNames(r.name, r.target),
    lockClass: r.lockClass,
    keys: r.keys,
    aggregates,
    source: `${quoteIdent(r.source.schema)}.${quoteIdent(r.source.table)}`,
    table: `${quoteIdent(r.target.schema)}.${quoteIdent(r.target.table)}`,
    ...(r.filterSql ? { filterSql: r.filterSql } : {}),
    needsRecomputeIndex: r.keys.length > 0 && aggregates.some((a) => a.kind === 'extreme' || a.kind === 'recompute'),
  };
}

/** The source event a maintenance function handles. */
export type DeltaMode = 'insert' | 'delete' | 'update';
