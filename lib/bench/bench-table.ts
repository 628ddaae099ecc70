/**
 * The one table `tally bench` prints: every section contributes rows. Ratios are "with a
 * summary" over "with no summary", from the same run, since machines are noisy.
 */
export interface BenchRow {
  readonly section: string;
  readonly workload: string;
  /** the measurement with no summary, formatted (e.g. "12.1 ms", "3,400/s") */
  readonly bare: string;
  readonly tally: string;
  /** tally over bare: a time ratio or a throughput ratio, as `target` says */
  readonly ratio: number | null;
  /** e.g. "≤ 2.0× time", "≥ 0.6× rate", "0 deadlocks" */
  readonly target: string;
  /** null when the row is informational */
  readonly pass: boolean | null;
  /** the first seed's row-level trigger on the same workload, formatted */
  readonly seed: string;
}

export const BENCH_COLUMNS = [
  'workload',
  'bare',
  'tally',
  'ratio',
  'target',
  'pass/fail',
  'seed-trigger ratio',
] as const;

export function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '—';
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;
}

function cells(row: BenchRow): string[] {
  return [
    row.workload,
    row.bare,
    row.tally,
    formatRatio(row.ratio),
    row.target,
    row.pass === null ? 'info' : row.pass ? 'pass' : 'FAIL',
    row.seed,
  ];
}

/** A plain-text table with aligned columns and a row per section heading. */
export function renderBenchTable(rows: readonly BenchRow[]): string {
  const body = rows.map(cells);
  const widths = BENCH_COLUMNS.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  const out = [line(BENCH_COLUMNS), widths.map((w) => '-'.repeat(w)).join('-|-')];
  let section = '';
  for (const [i, row] of rows.entries()) {
    if (row.section !== section) {
      section = row.section;
      out.push(`[${section}]`);
    }
    out.push(line(body[i]!));
  }
  return out.join('\n');
}
