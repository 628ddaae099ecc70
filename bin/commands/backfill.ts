import { InvalidArgumentError, type Command } from 'commander';
import type pg from 'pg';
import { openDatabase } from '../../lib/db/database';
import {
  adjustBackfill,
  cancelBackfill,
  pauseBackfill,
  resumeBackfill,
  startBackfill,
  type BackfillSettings,
} from '../../lib/backfill/backfill-control';
import { getLiveRun, getRun, listBatches, type BackfillRun } from '../../lib/backfill/backfill-run';
import { claimRun, runnerId } from '../../lib/backfill/lease';
import { progressOf, type BatchPoint } from '../../lib/backfill/progress';
import { driveRun, type RunOutcome } from '../../lib/backfill/run-backfill';
import { DefinitionError } from '../../lib/errors';
import { getSummary } from '../../lib/summary/registry';
import { cliActor } from '../actor';
import { parseMilliseconds } from '../option-parsers';
import { ProgressBar } from '../progress-bar';

interface BackfillFlags {
  batchSize?: number;
  throttleMs?: number;
  targetMs?: number;
  restart?: boolean;
  pause?: boolean;
  resume?: boolean;
  cancel?: boolean;
  detach?: boolean;
}

function parseBatchSize(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new InvalidArgumentError('must be a positive whole number');
  return Number(value);
}

function settingsOf(f: BackfillFlags): BackfillSettings {
  return {
    ...(f.batchSize !== undefined ? { batchSize: f.batchSize } : {}),
    ...(f.throttleMs !== undefined ? { throttleMs: f.throttleMs } : {}),
    ...(f.targetMs !== undefined ? { targetBatchMs: f.targetMs } : {}),
  };
}

function describe(run: BackfillRun): string {
  return `backfill #${run.id} of "${run.summaryName}": ${run.status}, ${run.rowsDone.toLocaleString('en-US')} rows and ${run.groupsDone.toLocaleString('en-US')} groups done in ${run.batchesDone} batches`;
}

/** Runs the claimed run here, drawing the bar; Ctrl-C pauses it after the batch in flight. */
async function runHere(
  pool: pg.Pool,
  run: BackfillRun,
  owner: string,
  quiet: boolean,
): Promise<RunOutcome> {
  const bar = new ProgressBar(process.stderr, quiet);
  const recent: BatchPoint[] = [];
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write(
      '\nstopping after the batch in flight (the run is paused; resume with `tally backfill` again)\n',
    );
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  let last = run;
  try {
    bar.update(run, progressOf(run, recent));
    const outcome = await driveRun(pool, run.id, {
      owner,
      signal: controller.signal,
      onAbort: 'pause',
      onBatch: (r, b) => {
        last = r;
        recent.push({ finishedAt: new Date(), rows: b.rows, durationMs: b.durationMs });
        if (recent.length > 200) recent.shift();
        bar.update(r, progressOf(r, recent));
      },
      ...(quiet ? {} : { log: (l: string) => process.stderr.write(`\n${l}\n`) }),
    });
    last = (await getRun(pool, run.id)) ?? last;
    bar.finish(last, progressOf(last, recent));
    return outcome;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Another runner (the console's worker, `tally worker`) holds the run: watch its state row. */
async function follow(pool: pg.Pool, run: BackfillRun, quiet: boolean): Promise<RunOutcome> {
  if (!quiet)
    console.error(
      `backfill #${run.id} is being run by ${run.owner ?? 'a worker'}; following its progress (Ctrl-C stops watching, not the run)`,
    );
  const bar = new ProgressBar(process.stderr, quiet);
  let current: BackfillRun | null = run;
  for (;;) {
    current = await getRun(pool, run.id);
    if (!current) return 'lost';
    const batches = await listBatches(pool, run.id, 50);
    const p = progressOf(current, batches);
    if (!['pending', 'running'].includes(current.status)) {
      bar.finish(current, p);
      return current.status as RunOutcome;
    }
    bar.update(current, p);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Runs `run` here with a progress bar, or follows it when another runner holds it, and prints
 * the outcome. `quiet` (tally create): the bar only on a terminal, no summary line.
 */
export async function backfillInForeground(
  pool: pg.Pool,
  run: BackfillRun,
  opts: { quiet?: boolean } = {},
): Promise<RunOutcome> {
  const quiet = Boolean(opts.quiet);
  const owner = runnerId('cli');
  const claimed = await claimRun(pool, owner, { runId: run.id });
  const outcome = claimed
    ? await runHere(pool, claimed, owner, quiet)
    : await follow(pool, run, quiet);
  const final = await getRun(pool, run.id);
  if (final && !quiet) console.log(describe(final));
  if (final?.lastError && final.status === 'failed') console.error(final.lastError);
  if (outcome === 'paused' && !quiet)
    console.log(`paused; resume with: tally backfill ${run.summaryName}`);
  return outcome;
}

export function registerBackfill(program: Command): void {
  program
    .command('backfill')
    .description(
      'run or resume the backfill of a summary in batches, with a progress bar; or pause, resume, cancel it',
    )
    .argument('<name>', 'the summary')
    .option(
      '--batch-size <k>',
      'keys per batch, fixed (default: adapts to the target transaction time)',
      parseBatchSize,
    )
    .option(
      '--throttle-ms <ms>',
      'pause between batches; also changes a running backfill',
      parseMilliseconds,
    )
    .option(
      '--target-ms <ms>',
      'transaction time the adaptive batch size aims at (default 100)',
      parseMilliseconds,
    )
    .option('--restart', 'cancel the current run, if any, and start again from the first key')
    .option('--pause', 'pause the running backfill after its batch in flight')
    .option('--resume', 'resume a paused (or failed) backfill from its cursor')
    .option(
      '--cancel',
      'cancel the backfill: the summary is marked not trustworthy until a new one finishes',
    )
    .option(
      '--detach',
      'start or change it and return; a worker (the console, `tally worker`) runs it',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ tally backfill calls_by_user                    run it here, with a progress bar
  $ tally backfill calls_by_user --throttle-ms 50   gentler on a busy server (works while it runs)
  $ tally backfill calls_by_user --pause            stop after the batch in flight; --resume continues
  $ tally backfill calls_by_user --restart --detach recompute from scratch in the console's worker

Each batch is one short transaction (group locks, recompute, cursor) so the run survives a
crash or restart and resumes where it stopped. The state is in tally.backfill_runs:
  SELECT status, rows_done, estimated_rows, batch_size FROM tally.backfill_runs ORDER BY id DESC;
Exit code 1 when the backfill failed or was cancelled.`,
    )
    .action(async (name: string, flags: BackfillFlags) => {
      const steering = [flags.pause, flags.resume, flags.cancel].filter(Boolean).length;
      if (steering > 1) throw DefinitionError.single('--pause/--resume/--cancel', 'choose one');
      if (steering && flags.restart)
        throw DefinitionError.single(
          '--restart',
          'cannot be combined with --pause, --resume or --cancel',
        );
      const db = await openDatabase({ log: (l) => console.error(l) });
      try {
        const settings = settingsOf(flags);
        if (flags.pause || flags.cancel) {
          const run = flags.pause
            ? await pauseBackfill(db.pool, name)
            : await cancelBackfill(db.pool, name);
          console.log(describe(run));
          if (flags.cancel)
            console.log(
              `summary "${name}" is marked cancelled: not trustworthy until a backfill finishes`,
            );
          return;
        }
        let run: BackfillRun;
        if (flags.resume) {
          run = await resumeBackfill(db.pool, name);
          if (Object.keys(settings).length) run = await adjustBackfill(db.pool, name, settings);
        } else {
          const live = await getLiveRun(db.pool, name);
          if (!live && !flags.restart && (await getSummary(db.pool, name)).status === 'ready') {
            console.log(
              `summary "${name}" is backfilled already (status ready); --restart recomputes it from scratch`,
            );
            return;
          }
          run = await startBackfill(db.pool, name, {
            actor: cliActor(),
            restart: Boolean(flags.restart),
            ...settings,
          });
          if (run.status === 'paused') run = await resumeBackfill(db.pool, name);
        }
        console.error(`protocol: ${run.protocolReason}`);
        if (flags.detach) {
          console.log(`${describe(run)}; a worker runs it (the console's, or \`tally worker\`)`);
          return;
        }
        const outcome = await backfillInForeground(db.pool, run);
        if (outcome === 'failed' || outcome === 'cancelled' || outcome === 'lost')
          process.exitCode = 1;
      } finally {
        await db.close();
      }
    });
}
