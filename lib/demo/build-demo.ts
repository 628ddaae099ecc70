import os from 'node:os';
import type pg from 'pg';
import { z } from 'zod';
import { exec } from '../db/pool';
import { quoteIdent, quoteLiteral } from '../db/ident';
import { DefinitionError, isPgError, SqlState } from '../errors';
import { appScenario } from './app';
import { crmScenario } from './crm';
import { dealsScenario } from './deals';
import { sableScenario } from './sable';
import {
  DemoScaleSchema,
  SCENARIO_NAMES,
  ScenarioNameSchema,
  type DemoScenario,
  type ScenarioContext,
  type ScenarioName,
} from './scenario';

export type DemoScale = 'small' | 'medium' | 'large';

const SCENARIOS: Record<ScenarioName, (ctx: ScenarioContext) => DemoScenario> = {
  crm: crmScenario,
  deals: dealsScenario,
  app: appScenario,
  sable: sableScenario,
};

/** Biggest first, so parallel builders finish at about the same time. */
const BUILD_ORDER: readonly ScenarioName[] = ['app', 'crm', 'deals', 'sable'];

/**
 * Every demo schema carries this comment. A schema with the same name but without it is
 * someone's real data: the demo refuses to drop it unless forced.
 */
export const DEMO_SCHEMA_COMMENT = 'tally demo data: dropped and rebuilt by `tally demo`';

/** Same seed for every build: the data is reproducible for a given anchor date. */
const SEED = 0.42;

export interface DemoTableReport {
  readonly scenario: ScenarioName;
  /** schema-qualified */
  readonly table: string;
  readonly rows: number;
  /** pg_total_relation_size: heap, indexes and TOAST */
  readonly bytes: number;
  /** load, indexes and constraints */
  readonly seconds: number;
  readonly vacuumSeconds: number;
}

export interface DemoReport {
  readonly scale: DemoScale;
  readonly anchor: string;
  readonly scenarios: readonly ScenarioName[];
  readonly tables: readonly DemoTableReport[];
  readonly rows: number;
  readonly bytes: number;
  /** wall-clock time of the whole build */
  readonly seconds: number;
}

/** The value stored in tally.settings under 'demo'. */
export const DemoSettingSchema = z.object({
  scale: DemoScaleSchema,
  builtAt: z.string(),
  anchor: z.string().optional(),
  scenarios: z.partialRecord(ScenarioNameSchema, DemoScaleSchema).optional(),
  tables: z.record(z.string(), z.number()),
});
export type DemoSetting = z.infer<typeof DemoSettingSchema>;

export interface BuildDemoOptions {
  scale: DemoScale;
  log?: (line: string) => void;
  /** scenario names (crm, deals, app, sable) or their schemas (gold → sable); default all */
  schemas?: string[];
  /** drop same-named schemas that the demo did not create */
  force?: boolean;
}

/** Which scenarios a list of names selects, in build order. */
export function selectScenarios(names: readonly string[] | undefined): ScenarioName[] {
  if (!names || names.length === 0) return [...BUILD_ORDER];
  const ctx: ScenarioContext = { scale: 'small', anchor: '2000-01-01' };
  const chosen = new Set<ScenarioName>();
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    const match = SCENARIO_NAMES.find(
      (s) => s === name || SCENARIOS[s](ctx).schemas.includes(name),
    );
    if (!match)
      throw DefinitionError.single('only', `unknown demo scenario "${raw}"`, {
        hint: `choose from ${SCENARIO_NAMES.join(', ')}`,
      });
    chosen.add(match);
  }
  return BUILD_ORDER.filter((s) => chosen.has(s));
}

function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

const fmtRows = (n: number) => n.toLocaleString('en-US');

/**
 * (Re)builds the demo schemas: drop, create, generate the data inside PostgreSQL, add
 * indexes and foreign keys after the load, VACUUM ANALYZE. Each scenario is one
 * transaction on its own connection; independent scenarios build in parallel.
 */
export async function buildDemo(pool: pg.Pool, opts: BuildDemoOptions): Promise<DemoReport> {
  const parsedScale = DemoScaleSchema.safeParse(opts.scale);
  if (!parsedScale.success)
    throw DefinitionError.single('scale', `unknown demo scale "${String(opts.scale)}"`, {
      hint: `choose from ${DemoScaleSchema.options.join(', ')}`,
    });
  const scale = parsedScale.data;
  const selected = selectScenarios(opts.schemas);
  const anchor = utcToday();
  const log = opts.log ?? (() => undefined);
  const scenarios = selected.map((name) => SCENARIOS[name]({ scale, anchor }));

  await refuseForeignSchemas(
    pool,
    scenarios.flatMap((s) => s.schemas),
    opts.force ?? false,
  );

  const started = performance.now();
  const workers = Math.min(
    scenarios.length,
    Math.max(2, Math.floor(os.availableParallelism() / 2)),
  );
  log(`building ${selected.join(', ')} at scale ${scale} (${workers} in parallel)`);
  const reports: DemoTableReport[] = [];
  let next = 0;
  let failure: unknown = null;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < scenarios.length && failure === null) {
        const scenario = scenarios[next++]!;
        const client = await pool.connect();
        try {
          reports.push(...(await buildScenario(client, scenario, log)));
        } catch (e) {
          failure ??= e;
        } finally {
          client.release();
        }
      }
    }),
  );
  if (failure !== null) throw failure;

  reports.sort(
    (a, b) =>
      SCENARIO_NAMES.indexOf(a.scenario) - SCENARIO_NAMES.indexOf(b.scenario) ||
      scenarioTableIndex(scenarios, a) - scenarioTableIndex(scenarios, b),
  );
  await recordBuild(pool, scale, anchor, selected, reports);
  const seconds = (performance.now() - started) / 1000;
  const report: DemoReport = {
    scale,
    anchor,
    scenarios: selected,
    tables: reports,
    rows: reports.reduce((a, t) => a + t.rows, 0),
    bytes: reports.reduce((a, t) => a + t.bytes, 0),
    seconds,
  };
  log(`demo ${scale} ready: ${fmtRows(report.rows)} rows in ${seconds.toFixed(1)} s`);
  return report;
}

function scenarioTableIndex(scenarios: readonly DemoScenario[], t: DemoTableReport): number {
  return (
    scenarios.find((s) => s.name === t.scenario)?.tables.findIndex((x) => x.name === t.table) ?? 0
  );
}

async function refuseForeignSchemas(
  pool: pg.Pool,
  schemas: readonly string[],
  force: boolean,
): Promise<void> {
  const { rows } = await pool.query<{ nspname: string; comment: string | null }>(
    `SELECT nspname, obj_description(oid, 'pg_namespace') AS comment
     FROM pg_namespace WHERE nspname = ANY($1::text[])`,
    [schemas],
  );
  const foreign = rows.filter((r) => r.comment !== DEMO_SCHEMA_COMMENT).map((r) => r.nspname);
  if (foreign.length && !force)
    throw DefinitionError.single(
      'schemas',
      `schema ${foreign.map((s) => `"${s}"`).join(', ')} exists and was not created by tally demo; refusing to drop it`,
      { hint: 'drop or rename it yourself, or pass --force to replace it with demo data' },
    );
}

async function buildScenario(
  client: pg.PoolClient,
  scenario: DemoScenario,
  log: (line: string) => void,
): Promise<DemoTableReport[]> {
  const built: { table: string; rows: number; seconds: number }[] = [];
  await exec(client, 'BEGIN');
  try {
    // One transaction: a failed build leaves the previous demo in place.
    await exec(client, 'SET LOCAL synchronous_commit = off');
    await exec(client, "SET LOCAL maintenance_work_mem = '512MB'");
    await exec(client, "SET LOCAL work_mem = '512MB'");
    await exec(client, "SET LOCAL lock_timeout = '60s'");
    await exec(client, 'SET LOCAL statement_timeout = 0');
    await exec(client, `SELECT setseed(${SEED})`);
    for (const schema of scenario.schemas) {
      await exec(client, `DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      await exec(client, `CREATE SCHEMA ${quoteIdent(schema)}`);
      await exec(
        client,
        `COMMENT ON SCHEMA ${quoteIdent(schema)} IS ${quoteLiteral(DEMO_SCHEMA_COMMENT)}`,
      );
    }
    for (const table of scenario.tables) {
      const t0 = performance.now();
      await exec(client, table.create);
      let rows = 0;
      for (const statement of table.load) {
        const result = await exec(client, statement);
        if (result.command === 'INSERT') rows += result.rowCount ?? 0;
      }
      for (const statement of table.finish) await exec(client, statement);
      const seconds = (performance.now() - t0) / 1000;
      built.push({ table: table.name, rows, seconds });
      log(
        `${table.name.padEnd(28)} ${fmtRows(rows).padStart(12)} rows ${seconds.toFixed(1).padStart(7)} s`,
      );
    }
    if (scenario.after.length) {
      const t0 = performance.now();
      for (const statement of scenario.after) await exec(client, statement);
      log(
        `${`${scenario.name}: views`.padEnd(28)} ${''.padStart(17)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s`,
      );
    }
    await exec(client, 'COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }

  // Outside the transaction: sets hint bits and the visibility map now, so the first
  // benchmark does not pay for them, and gives the planner statistics.
  const reports: DemoTableReport[] = [];
  for (const b of built) {
    const t0 = performance.now();
    await exec(client, `VACUUM (ANALYZE) ${b.table}`);
    const vacuumSeconds = (performance.now() - t0) / 1000;
    const { rows } = await exec<{ bytes: string }>(
      client,
      'SELECT pg_total_relation_size($1::regclass) AS bytes',
      [b.table],
    );
    reports.push({
      scenario: scenario.name,
      table: b.table,
      rows: b.rows,
      bytes: Number(rows[0]?.bytes ?? 0),
      seconds: b.seconds,
      vacuumSeconds,
    });
  }
  const vacuumTotal = reports.reduce((a, r) => a + r.vacuumSeconds, 0);
  log(
    `${`${scenario.name}: vacuum analyze`.padEnd(28)} ${''.padStart(17)} ${vacuumTotal.toFixed(1).padStart(7)} s`,
  );
  return reports;
}

async function readSetting(db: pg.Pool | pg.PoolClient): Promise<DemoSetting | null> {
  try {
    const { rows } = await db.query<{ value: unknown }>(
      `SELECT value FROM tally.settings WHERE key = 'demo'`,
    );
    const parsed = DemoSettingSchema.safeParse(rows[0]?.value);
    return parsed.success ? parsed.data : null;
  } catch (e) {
    if (isPgError(e) && e.code === SqlState.undefinedTable) return null;
    throw e;
  }
}

async function recordBuild(
  pool: pg.Pool,
  scale: DemoScale,
  anchor: string,
  selected: readonly ScenarioName[],
  reports: readonly DemoTableReport[],
): Promise<void> {
  const previous = await readSetting(pool);
  const tables: Record<string, number> = {};
  const scenarios: Partial<Record<ScenarioName, DemoScale>> = {};
  // A partial build (--only) keeps what it did not touch, if those tables are still there.
  if (previous) {
    for (const [name, s] of Object.entries(previous.scenarios ?? {}) as [ScenarioName, DemoScale][])
      if (!selected.includes(name)) scenarios[name] = s;
    const kept = Object.keys(previous.tables).filter(
      (t) => !selected.some((s) => t.startsWith(`${s}.`)),
    );
    const { rows } = await pool.query<{ t: string }>(
      'SELECT t FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL',
      [kept],
    );
    for (const { t } of rows) tables[t] = previous.tables[t]!;
  }
  for (const name of selected) scenarios[name] = scale;
  for (const r of reports) tables[r.table] = r.rows;
  const value: DemoSetting = {
    scale,
    builtAt: new Date().toISOString(),
    anchor,
    scenarios,
    tables,
  };
  await pool.query(
    `INSERT INTO tally.settings (key, value, updated_at) VALUES ('demo', $1::jsonb, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [JSON.stringify(value)],
  );
}

/** The scale of the demo in this database, or null when none is loaded (or it was dropped). */
export async function loadedDemoScale(pool: pg.Pool): Promise<DemoScale | null> {
  const setting = await readSetting(pool);
  if (!setting) return null;
  const tables = Object.keys(setting.tables);
  const { rows } = await pool.query<{ missing: number }>(
    'SELECT count(*) FILTER (WHERE to_regclass(t) IS NULL)::int AS missing FROM unnest($1::text[]) t',
    [tables],
  );
  return tables.length > 0 && rows[0]?.missing === 0 ? setting.scale : null;
}
