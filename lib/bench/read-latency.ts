import type pg from 'pg';
import { qualify, quoteIdent } from '../db/ident';
import { DEMO_EXAMPLES, type DemoExample } from '../demo/examples';
import { parseDefiningQuery } from '../definition/parse-sql';
import type { Definition } from '../definition/definition';
import { createSummary } from '../summary/create-summary';
import { dropSummary } from '../summary/drop-summary';
import { listSummaries, type SummaryRecord } from '../summary/registry';
import { runLatency } from '../latency/run-latency';
import { resultOf, speedupOf, type LatencyRun, type LatencyStats } from '../latency/latency-views';
import type { BenchRow } from './bench-table';

/**
 * The reads section of `tally bench` (PRODUCT.md, "Quality bars → Reads"): per-key read and
 * dashboard (top 50) from the defining query ("bare") vs from the summary table ("tally"),
 * and the per-key read against a primary-key lookup on the source.
 */

/** The demo "large" scale; the dashboard target is judged only there. */
export const LARGE_SOURCE_ROWS = 10_000_000;
const ACTOR = 'tally bench';
const SCRATCH_SCHEMA = 'tally_bench';

const ms = (x: number | null, timeoutMs: number) =>
  x === null
    ? `> ${timeoutMs} ms`
    : `${x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
const p50 = (s: LatencyStats | undefined, timeoutMs: number) => ms(s?.p50 ?? null, timeoutMs);

/** The rows one latency run contributes. */
export function latencyBenchRows(run: LatencyRun, label: string): BenchRow[] {
  const section = 'reads (p50 client time: defining query → summary table)';
  const r = (id: Parameters<typeof resultOf>[1]) => resultOf(run.results, id)?.stats;
  const t = run.timeoutMs;
  const large = (run.sourceRows ?? 0) >= LARGE_SOURCE_ROWS;
  const perKey = speedupOf(r('per_key_view'), r('per_key_table'), t);
  const dash = speedupOf(r('dashboard_view'), r('dashboard_table'), t);
  const rows: BenchRow[] = [
    {
      section,
      workload: `${label}: per-key read`,
      bare: p50(r('per_key_view'), t),
      tally: p50(r('per_key_table'), t),
      ratio: perKey.factor,
      target: `speed-up${perKey.lowerBound ? ' (≥, view timed out)' : ''}`,
      pass: null,
      seed: '—',
    },
    {
      section,
      workload: `${label}: dashboard, top 50 of all groups`,
      bare: p50(r('dashboard_view'), t),
      tally: p50(r('dashboard_table'), t),
      ratio: dash.factor,
      target: large ? '≥ 1000× faster' : '≥ 1000× faster (judged at large)',
      pass: large && dash.factor !== null ? dash.factor >= 1000 : null,
      seed: '—',
    },
  ];
  const pk = r('pk_lookup');
  const table = r('per_key_table');
  if (pk?.p50 && table?.p50 !== undefined)
    rows.push({
      section,
      workload: `${label}: per-key read vs source PK lookup`,
      bare: p50(pk, t),
      tally: p50(table, t),
      ratio: table.p50 === null ? null : table.p50 / pk.p50,
      target: '≤ 2.0× time',
      pass: table.p50 === null ? false : table.p50 / pk.p50 <= 2,
      seed: '—',
    });
  for (const w of run.writeOverhead?.workloads ?? [])
    rows.push({
      section: 'this summary’s write overhead (rolled back; holds row locks while it runs)',
      workload: `${label}: ${w.workload}`,
      bare: w.bypassedMs === null ? (w.error ?? '—') : ms(w.bypassedMs, t),
      tally: w.activeMs === null ? '—' : ms(w.activeMs, t),
      ratio: w.ratio,
      target: 'time, triggers on / bypassed',
      pass: null,
      seed: '—',
    });
  return rows;
}

/** `tally bench <summary>`: one latency run on an installed summary. */
export async function benchSummary(
  pool: pg.Pool,
  name: string,
  o: { runs: number; timeoutMs: number; log: (l: string) => void },
): Promise<BenchRow[]> {
  const run = await runLatency(
    pool,
    name,
    { runs: o.runs, timeoutMs: o.timeoutMs, writes: true },
    { actor: ACTOR, log: o.log },
  );
  return latencyBenchRows(run, name);
}

function sameDefinition(a: Definition, b: Definition): boolean {
  const strip = (d: Definition) => JSON.stringify({ ...d, name: '', target: {} });
  return strip(a) === strip(b);
}

async function sourceExists(pool: pg.Pool, d: Definition): Promise<boolean> {
  const { rows } = await pool.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [
    qualify(d.source.schema, d.source.table),
  ]);
  return rows[0]?.ok ?? false;
}

/**
 * `npm run bench`: every demo example whose shape is 'aggregate', on the demo data loaded in
 * this database. An installed summary with the same definition is reused; otherwise one is
 * created in a scratch schema, measured and dropped again.
 */
export async function runReadLatencySection(
  db: { pool: pg.Pool },
  o: { runs: number; timeoutMs: number; log: (l: string) => void },
  examples: readonly DemoExample[] = DEMO_EXAMPLES,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  await db.pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(SCRATCH_SCHEMA)}`);
  for (const ex of examples.filter((e) => e.shape === 'aggregate')) {
    const name = `bench_${ex.id.replace(/-/g, '_')}`;
    const def = await parseDefiningQuery(ex.summarySql, { name, targetSchema: SCRATCH_SCHEMA });
    if (!(await sourceExists(db.pool, def))) {
      o.log(
        `${ex.id}: ${def.source.schema}.${def.source.table} is not loaded (tally demo), skipped`,
      );
      continue;
    }
    const installed = await listSummaries(db.pool);
    let summary: SummaryRecord | undefined = installed.find(
      (s) => s.name !== name && sameDefinition(s.definition, def),
    );
    const scratch = !summary;
    if (installed.some((s) => s.name === name)) await dropSummary(db.pool, name, { actor: ACTOR });
    try {
      if (!summary) {
        o.log(`${ex.id}: creating ${SCRATCH_SCHEMA}.${name}…`);
        summary = await createSummary(db.pool, def, { actor: ACTOR, populate: true });
        await db.pool.query(`ANALYZE ${qualify(SCRATCH_SCHEMA, name)}`);
      }
      o.log(`${ex.id}: ${o.runs} runs on ${summary.name}…`);
      const run = await runLatency(
        db.pool,
        summary.name,
        { runs: o.runs, timeoutMs: o.timeoutMs, writes: false },
        { actor: ACTOR, log: o.log },
      );
      rows.push(...latencyBenchRows(run, ex.id));
    } finally {
      if (scratch && summary) await dropSummary(db.pool, summary.name, { actor: ACTOR });
    }
  }
  return rows;
}
