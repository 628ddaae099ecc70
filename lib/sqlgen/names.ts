import { createHash } from 'node:crypto';
import { identifierBytes, MAX_IDENTIFIER_BYTES, qualify } from '../db/ident';
import { HIDDEN_PREFIX } from '../definition/definition';
import type { TableRef } from '../definition/definition';

/**
 * Deterministic names for everything a summary installs. Every name is at most 63 bytes
 * (longer ones are truncated and suffixed with a short hash of the full name, so two long
 * names never collide) and is quoted by the renderers, never here.
 */

function shortHash(text: string, chars = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, chars);
}

/** Cuts a UTF-8 string to at most `bytes` bytes without splitting a character. */
function truncateBytes(text: string, bytes: number): string {
  let out = '';
  for (const ch of text) {
    if (identifierBytes(out + ch) > bytes) break;
    out += ch;
  }
  return out;
}

/**
 * `prefix + middle + suffix` when it fits in 63 bytes; else the middle is cut and followed by
 * `_` + 8 hex chars of the full name's hash, so the prefix and suffix stay readable.
 */
export function fitIdentifier(middle: string, prefix = '', suffix = ''): string {
  const full = prefix + middle + suffix;
  if (identifierBytes(full) <= MAX_IDENTIFIER_BYTES) return full;
  const room = MAX_IDENTIFIER_BYTES - identifierBytes(prefix) - identifierBytes(suffix) - 9;
  return `${prefix}${truncateBytes(middle, Math.max(0, room))}_${shortHash(full)}${suffix}`;
}

/**
 * The first key of every advisory lock this summary takes: a deterministic int4 from the
 * summary table's qualified name, so backfill, repair and the triggers agree without a lookup.
 */
export function lockClassOf(target: TableRef): number {
  return createHash('sha256').update(qualify(target.schema, target.table)).digest().readInt32BE(0);
}

/** Source trigger prefix: triggers fire in name order, so summaries on one table fire in a known order. */
export const SOURCE_TRIGGER_PREFIX = 'tally_100_';

export type TriggerEvent = 'insert' | 'update' | 'delete' | 'truncate';
const EVENT_SUFFIX: Record<TriggerEvent, string> = {
  insert: 'ins',
  update: 'upd',
  delete: 'del',
  truncate: 'trunc',
};

export interface SummaryNames {
  readonly table: TableRef;
  /** the unique index on the group keys (in the target schema) */
  readonly keyIndex: string;
  readonly guardFunction: string;
  readonly guardTrigger: string;
  /** maintenance function per source event (in the target schema) */
  readonly functions: Readonly<Record<TriggerEvent, string>>;
  /** trigger per source event (on the source table) */
  readonly triggers: Readonly<Record<TriggerEvent, string>>;
  /** the source index Tally creates when the recompute path has none (in the source schema) */
  readonly sourceIndex: string;
}

export function summaryNames(summary: string, target: TableRef): SummaryNames {
  const per = (prefix: string) =>
    Object.fromEntries(
      (Object.keys(EVENT_SUFFIX) as TriggerEvent[]).map((e) => [e, fitIdentifier(summary, prefix, `_${EVENT_SUFFIX[e]}`)]),
    ) as Record<TriggerEvent, string>;
  return {
    table: target,
    keyIndex: fitIdentifier(summary, 'tally_', '_key'),
    guardFunction: fitIdentifier(summary, 'tally_', '_guard'),
    guardTrigger: 'tally_000_guard',
    functions: per('tally_'),
    triggers: per(SOURCE_TRIGGER_PREFIX),
    sourceIndex: fitIdentifier(summary, 'tally_', '_src'),
  };
}

/** Hidden helper columns: `_tally_<role>_<aggregate name>`, and the per-group row count. */
export const ROWS_COLUMN = `${HIDDEN_PREFIX}rows`;
export type HiddenRole = 'nn' | 'sum' | 'removed' | 'nan' | 'pinf' | 'ninf' | 'scale' | 'rscale';
export function hiddenColumn(role: HiddenRole, aggregateName: string): string {
  return fitIdentifier(aggregateName, `${HIDDEN_PREFIX}${role}_`);
}

/** Names of user-controlled text made safe inside a `--` comment (no line breaks). */
export function commentSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A dollar-quote tag that does not occur in `body`: $tally$, else $tally_1$, … */
export function dollarTag(body: string): string {
  for (let i = 0; ; i++) {
    const tag = i === 0 ? '$tally$' : `$tally_${i}$`;
    if (!body.includes(tag)) return tag;
  }
}
