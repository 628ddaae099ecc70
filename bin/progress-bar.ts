import type { BackfillRun } from '../lib/backfill/backfill-run';
import { formatCount, formatDuration, type BackfillProgress } from '../lib/backfill/progress';

/**
 * The backfill progress bar of `tally backfill`: one line redrawn in place on a terminal,
 * plain lines (at most one every few seconds, and on every status change) when not a TTY.
 */
const WIDTH = 24;

export function progressText(run: BackfillRun, p: BackfillProgress, tty: boolean): string {
  const pct = p.percent ?? 0;
  const filled = Math.round((pct / 100) * WIDTH);
  const bar = tty ? `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ` : '';
  const total = run.estimatedRows !== null ? `/${formatCount(run.estimatedRows)}` : '';
  return [
    `${bar}${p.percent === null ? '  ?  ' : `${pct.toFixed(1).padStart(5)}%`}`,
    `${formatCount(run.rowsDone)}${total} rows`,
    p.rowsPerSec !== null ? `${formatCount(p.rowsPerSec)} rows/s` : '',
    p.etaSeconds !== null ? `ETA ${formatDuration(p.etaSeconds)}` : '',
    `batch ${run.batchSize}${run.adaptive ? '' : ' (fixed)'}`,
    run.throttleMs ? `throttle ${run.throttleMs} ms` : '',
    run.status,
  ]
    .filter(Boolean)
    .join('  ');
}

export class ProgressBar {
  private lastPlain = 0;
  private lastStatus = '';
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    /** draw on a terminal only: no plain lines when output is redirected */
    private readonly quiet = false,
  ) {}

  private get tty(): boolean {
    return Boolean(this.out.isTTY);
  }

  update(run: BackfillRun, p: BackfillProgress): void {
    const line = progressText(run, p, this.tty);
    if (this.tty) {
      const width = this.out.columns || 120;
      this.out.write(`\r${line.slice(0, width - 1).padEnd(Math.min(width - 1, line.length + 2))}`);
      this.drawn = true;
      return;
    }
    if (this.quiet) return;
    const now = Date.now();
    if (run.status !== this.lastStatus || now - this.lastPlain >= 5000) {
      this.out.write(`${line}\n`);
      this.lastPlain = now;
      this.lastStatus = run.status;
    }
  }

  /** Ends the redrawn line so that what follows starts on its own. */
  finish(run: BackfillRun, p: BackfillProgress): void {
    if (this.tty) {
      this.update(run, p);
      if (this.drawn) this.out.write('\n');
    } else if (run.status !== this.lastStatus) this.update(run, p);
  }
}
