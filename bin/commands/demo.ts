import type { Command } from 'commander';
import { z } from 'zod';
import { openDatabase } from '../../lib/db/database';
import { DefinitionError } from '../../lib/errors';
import { buildDemo, selectScenarios, type DemoReport } from '../../lib/demo/build-demo';

const DemoOptionsSchema = z.strictObject({
  scale: z.enum(['small', 'medium', 'large']),
  only: z
    .string()
    .optional()
    .transform((s) =>
      s === undefined
        ? undefined
        : s
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
    ),
  force: z.boolean().optional(),
});

function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function printReport(report: DemoReport, databaseBytes: number): void {
  const rows = report.tables.map((t) => [
    t.table,
    t.rows.toLocaleString('en-US'),
    formatBytes(t.bytes),
    `${t.seconds.toFixed(1)} s`,
    `${t.vacuumSeconds.toFixed(1)} s`,
  ]);
  const header = ['table', 'rows', 'size', 'build', 'vacuum'];
  const footer = [
    'total',
    report.rows.toLocaleString('en-US'),
    formatBytes(report.bytes),
    `${report.seconds.toFixed(1)} s`,
    '',
  ];
  const all = [header, ...rows, footer];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  console.log(line(footer));
  console.log(`database size ${formatBytes(databaseBytes)}; history ends ${report.anchor} (UTC)`);
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'create (or rebuild) the demo schemas crm, deals, app, sable and gold with generated data',
    )
    .option(
      '--scale <scale>',
      'small (~10k rows), medium (~1M) or large (~10M in the biggest tables)',
      'small',
    )
    .option('--only <scenarios>', 'comma-separated scenarios to rebuild: crm, deals, app, sable')
    .option('--force', 'replace same-named schemas that tally demo did not create')
    .action(async (raw: unknown) => {
      const parsed = DemoOptionsSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw DefinitionError.single(String(issue.path[0] ?? 'options'), issue.message);
      }
      const opts = parsed.data;
      selectScenarios(opts.only); // bad names fail before a server is started
      const db = await openDatabase({ log: (l) => console.error(l) });
      try {
        const report = await buildDemo(db.pool, {
          scale: opts.scale,
          schemas: opts.only,
          force: opts.force,
          log: (l) => console.log(l),
        });
        const { rows } = await db.pool.query<{ bytes: string }>(
          'SELECT pg_database_size(current_database()) AS bytes',
        );
        printReport(report, Number(rows[0]?.bytes ?? 0));
      } finally {
        await db.close();
      }
    });
}
