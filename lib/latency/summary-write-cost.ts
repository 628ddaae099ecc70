import type pg from 'pg';
import { qualify, quoteIdent } from '../db/ident';
import { isPgError, SqlState } from '../errors';
import { groupKeyName } from '../definition/definition';
import type { SummaryRecord } from '../summary/registry';
import { median } from './latency-stats';
import type { WriteOverhead, WriteWorkloadResult } from './latency-views';
import { sampleRows, type TableInfo } from './source-sample';

export const WRITE_OVERHEAD_NOTE =
  'Each write runs in a transaction that is rolled back, so nothing changes; while it runs it holds ' +
  "the source table's row locks (and the summary groups' locks when the triggers fire), so concurrent " +
  'writers to the same rows wait for it. "Bypassed" is session_replication_role = replica, which also ' +
  'skips foreign-key checks.';

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint']);

interface WriteWorkload {
  readonly workload: string;
  /** the statement for repeat i; null when it cannot be built for this table */
  readonly statement: (i: number) => { text: string; values: (string | null)[] } | null;
  readonly unavailable?: string;
}

/**
 * The summary's trigger cost on one source table: the same writes with the triggers firing and
 * with them bypassed, alternating, each in its own rolled-back transaction, median of `repeats`.
 */
export async function measureWriteOverhead(
  pool: pg.Pool,
  s: SummaryRecord,
  source: TableInfo,
  opts: { repeats: number; timeoutMs: number; onStep?: () => Promise<void> },
): Promise<WriteOverhead> {
  const from = qualify(source.ref.schema, source.ref.table);
  const copied = source.columns.filter((c) => !c.skipOnCopy);
  const copyCols = copied.map((c) => quoteIdent(c.name));
  // a single integer key with no default would collide with the row it copies: number anew
  const pkCol =
    source.primaryKey.length === 1
      ? copied.find((c) => c.name === source.primaryKey[0])
      : undefined;
  const renumber = pkCol && INTEGER_TYPES.has(pkCol.type) ? quoteIdent(pkCol.name) : null;
  const selectCols = copyCols.map((c) =>
    c === renumber
      ? `(SELECT max(${c}) FROM ${qualify(source.ref.schema, source.ref.table)}) + row_number() OVER ()`
      : c,
  );
  const pk = source.primaryKey;
  const samples = pk.length ? await sampleRows(pool, source, pk, opts.repeats * 4 + 2) : [];
  const pkWhere = (offset: number) =>
    pk
      .map(
        (c, i) =>
          `${quoteIdent(c)} = $${i + 1 + offset}::${source.columns.find((x) => x.name === c)!.type}`,
      )
      .join(' AND ');
  const pct =
    source.estimatedRows && source.estimatedRows > 100_000
      ? Math.min(100, (20_000 / source.estimatedRows) * 100)
      : null;
  const copy = (n: number) =>
    `INSERT INTO ${from} (${copyCols.join(', ')})\nSELECT ${selectCols.join(', ')} FROM ${from}${pct ? ` TABLESAMPLE SYSTEM (${pct.toFixed(6)})` : ''} LIMIT ${n}`;
  const firstKey = s.definition.groupBy[0];
  const moveCol = firstKey?.kind === 'column' ? firstKey.column : null;
  const noPk = 'the source table has no primary key';
  const workloads: WriteWorkload[] = [
    {
      workload: 'INSERT 1,000 rows (copies of existing rows)',
      statement: () => ({ text: copy(1000), values: [] }),
    },
    { workload: 'INSERT 1 row', statement: () => ({ text: copy(1), values: [] }) },
    {
      workload: moveCol
        ? `UPDATE 1 row, moving it to another ${groupKeyName(firstKey!)}`
        : 'UPDATE 1 row',
      statement: (i) => {
        const a = samples[(2 * i) % samples.length];
        const b = samples[(2 * i + 1) % samples.length];
        if (!a || !b) return null;
        const set = moveCol
          ? `${quoteIdent(moveCol)} = (SELECT ${quoteIdent(moveCol)} FROM ${from} WHERE ${pkWhere(pk.length)})`
          : `${quoteIdent(pk[0]!)} = ${quoteIdent(pk[0]!)}`;
        return {
          text: `UPDATE ${from} SET ${set} WHERE ${pkWhere(0)}`,
          values: moveCol ? [...a, ...b] : [...a],
        };
      },
      ...(pk.length ? {} : { unavailable: noPk }),
    },
    {
      workload: 'DELETE 1 row',
      statement: (i) => {
        const a = samples[(2 * opts.repeats + i) % samples.length];
        return a ? { text: `DELETE FROM ${from} WHERE ${pkWhere(0)}`, values: [...a] } : null;
      },
      ...(pk.length ? {} : { unavailable: noPk }),
    },
  ];
  if (!copyCols.length) workloads.splice(0, 2);

  const results: WriteWorkloadResult[] = [];
  const client = await pool.connect();
  try {
    for (const w of workloads) {
      if (w.unavailable) {
        results.push({
          workload: w.workload,
          activeMs: null,
          bypassedMs: null,
          ratio: null,
          error: w.unavailable,
        });
        continue;
      }
      const times = { active: [] as number[], bypassed: [] as number[] };
      let error: string | null = null;
      for (let i = 0; i < opts.repeats && !error; i++) {
        const st = w.statement(i);
        if (!st) {
          error = 'no sample rows';
          break;
        }
        // alternate which side goes first so caching favours neither
        for (const side of i % 2
          ? (['bypassed', 'active'] as const)
          : (['active', 'bypassed'] as const)) {
          try {
            times[side].push(await timedRollback(client, st, side === 'bypassed', opts.timeoutMs));
          } catch (e) {
            error = describe(e);
            break;
          }
        }
      }
      const activeMs = median(times.active);
      const bypassedMs = median(times.bypassed);
      results.push({
        workload: w.workload,
        activeMs: error ? null : activeMs,
        bypassedMs: error ? null : bypassedMs,
        ratio: !error && activeMs !== null && bypassedMs ? activeMs / bypassedMs : null,
        error,
      });
      await opts.onStep?.();
    }
  } finally {
    client.release();
  }
  return { repeats: opts.repeats, workloads: results, note: WRITE_OVERHEAD_NOTE };
}

function describe(e: unknown): string {
  if (isPgError(e)) {
    if (e.code === SqlState.queryCanceled) return `> timeout (${e.message})`;
    if (e.code === '42501') return `${e.message} (bypassing triggers needs a superuser)`;
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

async function timedRollback(
  client: pg.PoolClient,
  st: { text: string; values: (string | null)[] },
  bypass: boolean,
  timeoutMs: number,
): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
    // wait briefly for a row lock rather than queue behind a long writer
    await client.query('SET LOCAL lock_timeout = 2000');
    if (bypass) await client.query('SET LOCAL session_replication_role = replica');
    const t0 = performance.now();
    await client.query(st.text, st.values);
    return performance.now() - t0;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}
