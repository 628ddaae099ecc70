import type { Command } from 'commander';
import type pg from 'pg';
import { z } from 'zod';
import { openDatabase } from '../../lib/db/database';
import { DefinitionError } from '../../lib/errors';
import { renderBenchTable, type BenchRow } from '../../lib/bench/bench-table';
import { runWriteOverhead } from '../../lib/bench/write-overhead';
import { benchSummary, runReadLatencySection } from '../../lib/bench/read-latency';
import { runBackfillBench } from '../../lib/bench/backfill';

/**
 * `tally bench`: Tally's quality bars as one table (PRODUCT.md, "Quality bars"). Each section
 * is one file in lib/bench/ and one entry in SECTIONS; `--all` (what `npm run bench` runs)
 * runs every section.
 */

const options = z.strictObject({
  all: z.boolean().optional(),
  writes: z.boolean().optional(),
  reads: z.boolean().optional(),
  backfill: z.boolean().optional(),
  runs: z.coerce.number().int().min(1).max(1000).default(20),
  timeout: z.coerce.number().int().min(1).max(3_600_000).default(120_000),
  rows: z.coerce.number().int().min(10_000).default(2_000_000),
  groups: z.coerce.number().int().min(10).default(10_000),
  seconds: z.coerce.number().positive().max(600).default(4),
  asyncCommit: z.boolean().optional(),
});
type BenchOptions = z.infer<typeof options>;

interface Section {
  readonly flag: 'writes' | 'reads' | 'backfill';
  readonly run: (
    db: { url: string; pool: pg.Pool },
    o: BenchOptions,
    log: (l: string) => void,
  ) => Promise<BenchRow[]>;
}

const SECTIONS: readonly Section[] = [
  {
    flag: 'reads',
    run: (db, o, log) => runReadLatencySection(db, { runs: o.runs, timeoutMs: o.timeout, log }),
  },
  {
    flag: 'writes',
    run: (db, o, log) =>
      runWriteOverhead(db, {
        rows: o.rows,
        groups: o.groups,
        seconds: o.seconds,
        asyncCommit: o.asyncCommit,
        log,
      }),
  },
  {
    flag: 'backfill',
    run: (db, o, log) =>
      runBackfillBench(db, { rows: o.rows, groups: o.groups, seconds: o.seconds, log }),
  },
];

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('measure the quality bars and print one table (ratios from one run)')
    .argument(
      '[summary]',
      'latency lab on one installed summary: reads, dashboard and its write overhead',
    )
    .option('--all', 'run every section (the default when no section is named)')
    .option(
      '--reads',
      'per-key and dashboard reads, defining query vs summary table, for every demo aggregate example',
    )
    .option('--runs <n>', 'timed runs of each read', '20')
    .option('--timeout <ms>', 'statement_timeout of each read, in ms', '120000')
    .option(
      '--writes',
      'write overhead of the triggers: bulk and single-row writes, with and without a summary',
    )
    .option(
      '--backfill',
      'batched backfill vs one INSERT … SELECT, longest batch, writer p99 during it (demo call log)',
    )
    .option('--rows <n>', 'rows in the benchmark source table', '2000000')
    .option('--groups <n>', 'distinct groups in the benchmark source table', '10000')
    .option('--seconds <n>', 'seconds per side (bare, with triggers) of each throughput run', '4')
    .option(
      '--async-commit',
      'writers use synchronous_commit = off: no WAL flush per commit, so ratios show the CPU cost alone',
    )
    .action(async (summary: string | undefined, raw: Record<string, unknown>) => {
      const parsed = options.safeParse(raw);
      if (!parsed.success)
        throw new DefinitionError(
          parsed.error.issues.map((i) => ({ field: `--${i.path.join('.')}`, message: i.message })),
        );
      const o = parsed.data;
      const chosen = SECTIONS.filter((s) => o.all || o[s.flag] || !SECTIONS.some((x) => o[x.flag]));
      const log = (line: string) => console.error(line);
      const db = await openDatabase({ log, poolSize: 4 });
      try {
        const rows: BenchRow[] = [];
        if (summary)
          rows.push(
            ...(await benchSummary(db.pool, summary, { runs: o.runs, timeoutMs: o.timeout, log })),
          );
        else for (const s of chosen) rows.push(...(await s.run(db, o, log)));
        console.log(renderBenchTable(rows));
        if (rows.some((r) => r.pass === false)) {
          console.error('some targets were missed');
          process.exitCode = 1;
        }
      } finally {
        await db.close();
      }
    });
}
