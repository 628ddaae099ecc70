import type { Command } from 'commander';
import { z } from 'zod';
import { openDatabase } from '../../lib/db/database';
import { DefinitionError } from '../../lib/errors';
import { runTraffic, TRAFFIC_OP_KINDS, type TrafficStats } from '../../lib/demo/traffic';

const TrafficOptionsSchema = z.strictObject({
  rate: z.coerce.number().positive().max(100_000),
  clients: z.coerce.number().int().min(1).max(128),
  duration: z.coerce.number().positive().optional(),
});

const ms = (v: number | null) => (v === null ? '-' : `${v.toFixed(1)} ms`);

function kinds(s: TrafficStats): string {
  return TRAFFIC_OP_KINDS.filter((k) => s.byKind[k] > 0)
    .map((k) => `${k} ${s.byKind[k]}`)
    .join(' ');
}

function tickLine(s: TrafficStats): string {
  const time = new Date().toTimeString().slice(0, 8);
  const errors = s.errors ? `  errors ${s.errors}` : '';
  return `${time}  ops/s ${Math.round(s.opsPerSec)}  ${kinds(s)}${errors}  p50 ${ms(s.p50Ms)}  p99 ${ms(s.p99Ms)}`;
}

export function registerTraffic(program: Command): void {
  program
    .command('traffic')
    .description(
      'a live write load on the demo tables (inserts, moves between groups, soft and hard deletes …)',
    )
    .option('--rate <n>', 'target operations per second, over all clients', '200')
    .option('--clients <n>', 'connections writing at once', '4')
    .option('--duration <seconds>', 'stop after this many seconds (default: at Ctrl-C)')
    .action(async (raw: unknown) => {
      const parsed = TrafficOptionsSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw DefinitionError.single(String(issue.path[0] ?? 'options'), issue.message);
      }
      const opts = parsed.data;
      const db = await openDatabase({ log: (l) => console.error(l), poolSize: opts.clients + 1 });
      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(130);
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      try {
        console.log(
          `traffic: ${opts.rate} ops/s on ${opts.clients} connections` +
            (opts.duration ? ` for ${opts.duration} s` : ' until Ctrl-C'),
        );
        const total = await runTraffic(db.pool, {
          rate: opts.rate,
          clients: opts.clients,
          durationMs: opts.duration === undefined ? undefined : opts.duration * 1000,
          signal: controller.signal,
          onTick: (s) => console.log(tickLine(s)),
        });
        console.log(
          `\n${total.ops} ops in ${(total.elapsedMs / 1000).toFixed(1)} s (${total.opsPerSec.toFixed(0)} ops/s) on ${total.scenarios.join(', ')}`,
        );
        console.log(`  ${kinds(total)}`);
        console.log(
          `  rows changed ${total.rows}, latency p50 ${ms(total.p50Ms)} p99 ${ms(total.p99Ms)}`,
        );
        if (total.errors) {
          const codes = Object.entries(total.errorsByCode)
            .map(([code, n]) => `${code} ×${n}`)
            .join(', ');
          console.log(`  errors ${total.errors} (${codes}); last: ${total.lastError}`);
          process.exitCode = 1;
        }
      } finally {
        process.off('SIGINT', onSigint);
        await db.close();
      }
    });
}
