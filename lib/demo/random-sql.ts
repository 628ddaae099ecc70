import { quoteLiteral } from '../db/ident';
import { HISTORY_DAYS } from './scenario';

/**
 * SQL expression builders for generated demo data. Their inputs are the demo's own
 * constants; numbers are checked before they are written into the text.
 */

export function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
}

export function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(n);
}

/** 1 … n with a power-law skew: a few huge values and a long tail (power 1 = uniform). */
export function skewedIndex(n: number, power: number): string {
  return `(1 + floor(${int(n)} * random() ^ ${num(power)}))::int`;
}

/**
 * One of `exprs` (SQL expressions) with the given weights, from a single random() draw.
 * Every element is evaluated, so keep them cheap.
 */
export function weighted(exprs: readonly string[], weights: readonly number[]): string {
  if (exprs.length !== weights.length || exprs.length === 0)
    throw new Error('weights do not match');
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const bounds = weights.map((w) => {
    const b = acc / total;
    acc += w;
    return num(Number(b.toFixed(6)));
  });
  return `(ARRAY[${exprs.join(', ')}])[width_bucket(random(), ARRAY[${bounds.join(', ')}]::float8[])]`;
}

/** One of the text values, weighted (uniform when no weights are given). */
export function pickText(values: readonly string[], weights?: readonly number[]): string {
  return weighted(values.map(quoteLiteral), weights ?? values.map(() => 1));
}

/** One of the text values, the first ones far more often (power-law over the list order). */
export function pickTextSkewed(values: readonly string[], power: number): string {
  return `(ARRAY[${values.map(quoteLiteral).join(', ')}]::text[])[${skewedIndex(values.length, power)}]`;
}

/** The anchor as a timestamptz literal (UTC midnight). */
export function anchorTs(anchor: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(anchor)) throw new Error(`bad anchor date: ${anchor}`);
  return `timestamptz ${quoteLiteral(`${anchor} 00:00:00+00`)}`;
}

export function anchorDate(anchor: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(anchor)) throw new Error(`bad anchor date: ${anchor}`);
  return `date ${quoteLiteral(anchor)}`;
}

/**
 * A created_at for row `i` (1-based) of `n` that grows with i over the history (append-only
 * tables: ids and time go together), with up to an hour of jitter, always before the anchor.
 */
export function timeOfRow(i: string, n: number, anchor: string): string {
  const step = (HISTORY_DAYS * 86400) / n;
  return `${anchorTs(anchor)} - interval '${int(HISTORY_DAYS)} days' + ((${i} - 1) * ${num(step)} + random() * ${num(Math.min(step, 3600))}) * interval '1 second'`;
}

/** Sets the identity sequence past the explicit ids the load wrote. */
export function syncIdentity(table: string): string {
  return `SELECT setval(pg_get_serial_sequence(${quoteLiteral(table)}, 'id'), greatest(max(id), 1)) FROM ${table}`;
}
