import type pg from 'pg';
import { DefinitionError, NotFoundError, isPgError } from '../errors';
import type { ScenarioName } from './scenario';
import {
  TRAFFIC_OPS,
  TRAFFIC_OP_KINDS,
  TRAFFIC_TABLES,
  type TrafficOp,
  type TrafficOpKind,
} from './traffic-ops';

/**
 * A live write load over the demo tables: inserts, multi-row inserts, updates that move rows
 * between groups or in and out of filters, soft and hard deletes, dimension changes and new
 * P&L rows, each its own short transaction, rate-limited across a few connections.
 */

export { TRAFFIC_OP_KINDS, type TrafficOpKind } from './traffic-ops';

export interface TrafficOptions {
  /** target operations per second, over all clients */
  rate: number;
  /** connections writing at once (default 4); the pool must allow that many */
  clients?: number;
  /** stop after this long (default: when `signal` aborts) */
  durationMs?: number;
  signal?: AbortSignal;
  /** called once a second with the statistics of that second */
  onTick?: (s: TrafficStats) => void;
  /** per-statement timeout (default 30 s) */
  statementTimeoutMs?: number;
}

/** Statistics over a window: one second for a tick, the whole run for the result. */
export interface TrafficStats {
  /** since the start of the run */
  readonly elapsedMs: number;
  readonly windowMs: number;
  readonly ops: number;
  readonly opsPerSec: number;
  readonly byKind: Readonly<Record<TrafficOpKind, number>>;
  readonly byOp: Readonly<Record<string, number>>;
  /** rows inserted, updated or deleted */
  readonly rows: number;
  readonly errors: number;
  /** errors by SQLSTATE ('connection' when the connection broke) */
  readonly errorsByCode: Readonly<Record<string, number>>;
  readonly lastError: string | null;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly scenarios: readonly ScenarioName[];
}

/** Counters and latency samples of one reporting window. */
class StatsWindow {
  ops = 0;
  rows = 0;
  errors = 0;
  byKind = Object.fromEntries(TRAFFIC_OP_KINDS.map((k) => [k, 0])) as Record<TrafficOpKind, number>;
  byOp: Record<string, number> = {};
  errorsByCode: Record<string, number> = {};
  lastError: string | null = null;
  latencies: number[] = [];
  seen = 0;

  constructor(
    readonly startedAt: number,
    /** latency samples kept (reservoir sampling past this) */
    private readonly maxSamples = Infinity,
  ) {}

  record(op: TrafficOp, ms: number, rows: number): void {
    this.ops++;
    this.rows += rows;
    this.byKind[op.kind]++;
    this.byOp[op.name] = (this.byOp[op.name] ?? 0) + 1;
    this.sample(ms);
  }

  fail(code: string, message: string, ms: number): void {
    this.errors++;
    this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
    this.lastError = message;
    this.sample(ms);
  }

  private sample(ms: number): void {
    this.seen++;
    if (this.latencies.length < this.maxSamples) this.latencies.push(ms);
    else {
      const j = Math.floor(Math.random() * this.seen);
      if (j < this.maxSamples) this.latencies[j] = ms;
    }
  }

  stats(now: number, runStart: number, scenarios: readonly ScenarioName[]): TrafficStats {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const q = (p: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : null;
    const windowMs = Math.max(1, now - this.startedAt);
    return {
      elapsedMs: now - runStart,
      windowMs,
      ops: this.ops,
      opsPerSec: (this.ops * 1000) / windowMs,
      byKind: { ...this.byKind },
      byOp: { ...this.byOp },
      rows: this.rows,
      errors: this.errors,
      errorsByCode: { ...this.errorsByCode },
      lastError: this.lastError,
      p50Ms: q(0.5),
      p99Ms: q(0.99),
      scenarios,
    };
  }
}

/** The demo scenarios whose tables all exist in this database. */
export async function trafficScenarios(pool: pg.Pool): Promise<ScenarioName[]> {
  const entries = Object.entries(TRAFFIC_TABLES) as [ScenarioName, readonly string[]][];
  const { rows } = await pool.query<{ t: string }>(
    'SELECT t FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL',
    [entries.flatMap(([, tables]) => tables)],
  );
  const present = new Set(rows.map((r) => r.t));
  return entries.filter(([, tables]) => tables.every((t) => present.has(t))).map(([s]) => s);
}

/** Weighted choice among the ops, from cumulative weights. */
function chooser(ops: readonly TrafficOp[]): () => TrafficOp {
  const total = ops.reduce((a, o) => a + o.weight, 0);
  let acc = 0;
  const cumulative = ops.map((o) => (acc += o.weight));
  return () => {
    const x = Math.random() * total;
    const i = cumulative.findIndex((c) => x < c);
    return ops[i === -1 ? ops.length - 1 : i]!;
  };
}

export async function runTraffic(pool: pg.Pool, opts: TrafficOptions): Promise<TrafficStats> {
  const clients = opts.clients ?? 4;
  if (!(opts.rate > 0 && Number.isFinite(opts.rate)))
    throw DefinitionError.single('rate', 'must be a positive number of operations per second');
  if (!Number.isInteger(clients) || clients < 1)
    throw DefinitionError.single('clients', 'must be a positive integer');
  if (opts.durationMs !== undefined && !(opts.durationMs > 0))
    throw DefinitionError.single('duration', 'must be positive');
  if (pool.options.max !== undefined && pool.options.max < clients)
    throw DefinitionError.single(
      'clients',
      `the pool holds at most ${pool.options.max} connections`,
    );

  const scenarios = await trafficScenarios(pool);
  if (scenarios.length === 0)
    throw new NotFoundError('no demo tables in this database: run `tally demo` first');
  const ops = TRAFFIC_OPS.filter((o) => scenarios.includes(o.scenario));
  const choose = chooser(ops);

  const runStart = performance.now();
  const total = new StatsWindow(runStart, 100_000);
  let current = new StatsWindow(runStart);
  let stopped = false;
  const wakers = new Set<() => void>();
  const stop = () => {
    stopped = true;
    for (const wake of wakers) wake();
  };
  if (opts.signal?.aborted) stop();
  opts.signal?.addEventListener('abort', stop, { once: true });
  const deadline = opts.durationMs !== undefined ? setTimeout(stop, opts.durationMs) : null;

  const sleepUntil = (at: number) =>
    new Promise<void>((resolve) => {
      const ms = at - performance.now();
      if (ms <= 0 || stopped) return resolve();
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });

  // One global schedule of slots, 1/rate apart, shared by the clients. A client that falls
  // more than a second behind does not burst to catch up.
  const interval = 1000 / opts.rate;
  let nextSlot = runStart;
  const claimSlot = () => {
    const now = performance.now();
    if (nextSlot < now - 1000) nextSlot = now;
    const slot = nextSlot;
    nextSlot += interval;
    return slot;
  };

  const ticker = setInterval(() => {
    const now = performance.now();
    const s = current.stats(now, runStart, scenarios);
    current = new StatsWindow(now);
    opts.onTick?.(s);
  }, 1000);

  const timeout = Math.max(0, Math.floor(opts.statementTimeoutMs ?? 30_000));
  const connect = async () => {
    const c = await pool.connect();
    await c.query(`SET application_name = 'tally-traffic'; SET statement_timeout = ${timeout}`);
    return c;
  };

  const worker = async () => {
    let client: pg.PoolClient | null = null;
    try {
      while (!stopped) {
        await sleepUntil(claimSlot());
        if (stopped) break;
        if (!client) {
          try {
            client = await connect();
          } catch (e) {
            const message = e instanceof Error ? e.message : String(e);
            total.fail('connection', message, 0);
            current.fail('connection', message, 0);
            await sleepUntil(performance.now() + 1000);
            continue;
          }
        }
        const op = choose();
        const t0 = performance.now();
        try {
          const result = await client.query(op.sql, op.params());
          const ms = performance.now() - t0;
          total.record(op, ms, result.rowCount ?? 0);
          current.record(op, ms, result.rowCount ?? 0);
        } catch (e) {
          const ms = performance.now() - t0;
          const code = isPgError(e) ? e.code! : 'connection';
          const message = `${op.name}: ${e instanceof Error ? e.message : String(e)}`;
          total.fail(code, message, ms);
          current.fail(code, message, ms);
          if (!isPgError(e)) {
            // the connection is gone: drop it and reconnect on the next slot
            client.release(e instanceof Error ? e : true);
            client = null;
          }
        }
      }
    } finally {
      // the pool is the caller's: hand the connection back without our session settings
      if (client) {
        const c = client;
        await c.query('RESET application_name; RESET statement_timeout').then(
          () => c.release(),
          (e: unknown) => c.release(e instanceof Error ? e : true),
        );
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: clients }, worker));
  } finally {
    clearInterval(ticker);
    if (deadline) clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', stop);
  }
  const end = performance.now();
  // the last, partial second is reported when it is most of one (a 3 s run prints 3 lines)
  if (end - current.startedAt >= 500 && current.ops + current.errors > 0)
    opts.onTick?.(current.stats(end, runStart, scenarios));
  return total.stats(end, runStart, scenarios);
}
