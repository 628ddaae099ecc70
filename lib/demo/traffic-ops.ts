import { CITIES, BOOKS, STAGES, TASK_TITLES } from './names';
import { EVENT_TYPES, KINDS } from './app';
import type { ScenarioName } from './scenario';

/**
 * The writes of the live traffic generator: one short statement each (its own transaction),
 * static SQL text with typed parameters. A random existing row is found through the primary
 * key (`id >= a random point between min and max`), so an empty table makes the statement
 * affect no rows instead of failing.
 */

export const TRAFFIC_OP_KINDS = [
  'insert',
  'multi_insert',
  'update',
  'move',
  'toggle',
  'soft_delete',
  'delete',
  'dimension',
  'pnl',
] as const;
export type TrafficOpKind = (typeof TRAFFIC_OP_KINDS)[number];

export interface TrafficOp {
  /** scenario.table.action */
  readonly name: string;
  readonly kind: TrafficOpKind;
  readonly scenario: ScenarioName;
  /** relative frequency */
  readonly weight: number;
  readonly sql: string;
  params(): unknown[];
}

/** The id of a random row of `table`; `u` is a SQL expression in [0, 1). NULL when empty. */
function pickId(table: string, u: string, where = 'true'): string {
  return `(SELECT p.id FROM ${table} p
   WHERE ${where} AND p.id >= (SELECT min(id) + floor(${u} * (max(id) - min(id) + 1))::bigint FROM ${table})
   ORDER BY p.id LIMIT 1)`;
}

const rand = Math.random;
const randInt = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
/** Hot keys: most writes go to a few low ids (the demo's big tenants are spread, hot rows are not). */
const hot = () => rand() ** 2;
/** The newest rows (ids follow time in the demo data). */
const recent = () => 0.95 + 0.05 * rand();
const batch = (min: number, max: number) => randInt(min, max);

function callDuration(): number | null {
  const r = rand();
  if (r < 0.3) return 0;
  if (r < 0.4) return -1;
  if (r < 0.45) return null;
  return randInt(5, 1800);
}

const INSERT_CALLS = `INSERT INTO crm.admin_user_call_log (user_id, opportunity_id, duration, created_at)
SELECT ${pickId('crm.users', 'r.u')}, ${pickId('crm.opportunities', 'r.o')}, r.duration, now()
FROM unnest($1::float8[], $2::float8[], $3::int[]) AS r(u, o, duration)`;

function callRows(n: number): unknown[] {
  const rows = Array.from({ length: n }, () => [hot(), rand(), callDuration()] as const);
  return [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])];
}

const INSERT_DEALS = `INSERT INTO deals.deals (hotel_id, price_per_night, is_available, checkin_date, created_at)
SELECT h.id, r.price, r.available, current_date + r.days, now()
FROM unnest($1::float8[], $2::numeric[], $3::bool[], $4::int[]) AS r(u, price, available, days)
CROSS JOIN LATERAL (SELECT ${pickId('deals.hotels', 'r.u')} AS id) h
WHERE h.id IS NOT NULL`;

function dealRows(n: number): unknown[] {
  const rows = Array.from(
    { length: n },
    () => [hot(), (40 + rand() * 400).toFixed(2), rand() < 0.7, randInt(1, 120)] as const,
  );
  return [0, 1, 2, 3].map((i) => rows.map((r) => r[i]));
}

const INSERT_TRANSACTIONS = `INSERT INTO app.transactions (company_id, location_id, event_type, kind, created_at, draft, damage)
SELECT l.company_id, l.id, r.event_type, r.kind, now(), r.draft, r.damage
FROM unnest($1::float8[], $2::text[], $3::text[], $4::bool[], $5::bool[]) AS r(u, event_type, kind, draft, damage)
CROSS JOIN LATERAL (SELECT p.id, p.company_id FROM app.locations p
   WHERE p.id >= (SELECT min(id) + floor(r.u * (max(id) - min(id) + 1))::bigint FROM app.locations)
   ORDER BY p.id LIMIT 1) l`;

function transactionRows(n: number): unknown[] {
  const rows = Array.from(
    { length: n },
    () => [rand(), pick(EVENT_TYPES), pick(KINDS), rand() < 0.04, rand() < 0.07] as const,
  );
  return [0, 1, 2, 3, 4].map((i) => rows.map((r) => r[i]));
}

/** A location chosen uniformly, so companies with many locations get most moves. */
const RANDOM_LOCATION = `(SELECT p.id, p.company_id FROM app.locations p
   WHERE p.id >= (SELECT min(id) + floor($2::float8 * (max(id) - min(id) + 1))::bigint FROM app.locations)
   ORDER BY p.id LIMIT 1)`;

export const TRAFFIC_OPS: readonly TrafficOp[] = [
  // crm: an append-mostly call log, tasks that get rescheduled and deleted, JSONB activity
  {
    name: 'crm.admin_user_call_log.insert',
    kind: 'insert',
    scenario: 'crm',
    weight: 8,
    sql: INSERT_CALLS,
    params: () => callRows(1),
  },
  {
    name: 'crm.admin_user_call_log.insert_many',
    kind: 'multi_insert',
    scenario: 'crm',
    weight: 3,
    sql: INSERT_CALLS,
    params: () => callRows(batch(2, 10)),
  },
  {
    name: 'crm.admin_user_call_log.move_user',
    kind: 'move',
    scenario: 'crm',
    weight: 5,
    sql: `UPDATE crm.admin_user_call_log SET user_id = ${pickId('crm.users', '$2::float8')}
WHERE id = ${pickId('crm.admin_user_call_log', '$1::float8')}`,
    params: () => [rand(), hot()],
  },
  {
    name: 'crm.admin_user_call_log.set_duration',
    kind: 'update',
    scenario: 'crm',
    weight: 3,
    sql: `UPDATE crm.admin_user_call_log SET duration = $2::int WHERE id = ${pickId('crm.admin_user_call_log', '$1::float8')}`,
    params: () => [rand(), callDuration()],
  },
  {
    name: 'crm.admin_user_call_log.delete',
    kind: 'delete',
    scenario: 'crm',
    weight: 2,
    sql: `DELETE FROM crm.admin_user_call_log WHERE id = ${pickId('crm.admin_user_call_log', '$1::float8')}`,
    params: () => [rand()],
  },
  {
    name: 'crm.admin_user_task.insert',
    kind: 'insert',
    scenario: 'crm',
    weight: 3,
    sql: `INSERT INTO crm.admin_user_task (opportunity_id, title, due_date, created_at)
SELECT o.id, $2::text, current_date + $3::int, now()
FROM (SELECT ${pickId('crm.opportunities', '$1::float8')} AS id) o
WHERE o.id IS NOT NULL`,
    params: () => [hot(), pick(TASK_TITLES), randInt(-3, 40)],
  },
  {
    name: 'crm.admin_user_task.reschedule',
    kind: 'move',
    scenario: 'crm',
    weight: 3,
    sql: `UPDATE crm.admin_user_task SET due_date = coalesce(due_date, current_date) + $2::int, completed = $3::bool
WHERE id = ${pickId('crm.admin_user_task', '$1::float8')}`,
    params: () => [rand(), randInt(-10, 30), rand() < 0.5],
  },
  {
    name: 'crm.admin_user_task.reassign',
    kind: 'move',
    scenario: 'crm',
    weight: 1,
    sql: `UPDATE crm.admin_user_task SET opportunity_id = coalesce(${pickId('crm.opportunities', '$2::float8')}, opportunity_id)
WHERE id = ${pickId('crm.admin_user_task', '$1::float8')}`,
    params: () => [rand(), hot()],
  },
  {
    name: 'crm.admin_user_task.toggle_deleted',
    kind: 'soft_delete',
    scenario: 'crm',
    weight: 2,
    sql: `UPDATE crm.admin_user_task SET deleted = NOT deleted WHERE id = ${pickId('crm.admin_user_task', '$1::float8')}`,
    params: () => [rand()],
  },
  {
    name: 'crm.admin_user_task.delete',
    kind: 'delete',
    scenario: 'crm',
    weight: 1,
    sql: `DELETE FROM crm.admin_user_task WHERE id = ${pickId('crm.admin_user_task', '$1::float8')}`,
    params: () => [rand()],
  },
  {
    name: 'crm.admin_activity.insert',
    kind: 'insert',
    scenario: 'crm',
    weight: 4,
    sql: `INSERT INTO crm.admin_activity (opportunity_id, user_id, type, data, created_at)
SELECT o.id, ${pickId('crm.users', '$2::float8')}, $3::text, $4::jsonb, now()
FROM (SELECT ${pickId('crm.opportunities', '$1::float8')} AS id) o
WHERE o.id IS NOT NULL`,
    params: () => {
      const type = pick(['call', 'email', 'meeting', 'stage_change', 'stage_change', 'note']);
      const data =
        type === 'stage_change'
          ? {
              oldStage: pick(STAGES.slice(0, 4)),
              newStage: rand() < 0.35 ? 'not_interested' : pick(STAGES.slice(1)),
            }
          : type === 'note'
            ? null
            : { source: 'traffic' };
      return [hot(), hot(), type, data === null ? null : JSON.stringify(data)];
    },
  },
  {
    name: 'crm.admin_activity.change_stage',
    kind: 'update',
    scenario: 'crm',
    weight: 1,
    sql: `UPDATE crm.admin_activity SET data = jsonb_set(coalesce(data, '{}'), '{newStage}', to_jsonb($2::text))
WHERE id = ${pickId('crm.admin_activity', '$1::float8', "p.type = 'stage_change'")}`,
    params: () => [rand(), rand() < 0.5 ? 'not_interested' : pick(STAGES.slice(1, 5))],
  },
  {
    name: 'crm.admin_activity.delete',
    kind: 'delete',
    scenario: 'crm',
    weight: 1,
    sql: `DELETE FROM crm.admin_activity WHERE id = ${pickId('crm.admin_activity', '$1::float8')}`,
    params: () => [rand()],
  },

  // deals: listings come and go, flip availability, and hotels occasionally change city
  {
    name: 'deals.deals.insert',
    kind: 'insert',
    scenario: 'deals',
    weight: 4,
    sql: INSERT_DEALS,
    params: () => dealRows(1),
  },
  {
    name: 'deals.deals.insert_many',
    kind: 'multi_insert',
    scenario: 'deals',
    weight: 2,
    sql: INSERT_DEALS,
    params: () => dealRows(batch(2, 10)),
  },
  {
    name: 'deals.deals.move_hotel',
    kind: 'move',
    scenario: 'deals',
    weight: 2,
    sql: `UPDATE deals.deals SET hotel_id = coalesce(${pickId('deals.hotels', '$2::float8')}, hotel_id)
WHERE id = ${pickId('deals.deals', '$1::float8')}`,
    params: () => [rand(), hot()],
  },
  {
    name: 'deals.deals.reprice',
    kind: 'update',
    scenario: 'deals',
    weight: 2,
    sql: `UPDATE deals.deals SET price_per_night = round(price_per_night * $2::numeric, 2)
WHERE id = ${pickId('deals.deals', '$1::float8')}`,
    params: () => [rand(), (0.85 + rand() * 0.3).toFixed(3)],
  },
  {
    name: 'deals.deals.toggle_available',
    kind: 'toggle',
    scenario: 'deals',
    weight: 3,
    sql: `UPDATE deals.deals SET is_available = NOT is_available WHERE id = ${pickId('deals.deals', '$1::float8')}`,
    params: () => [rand()],
  },
  {
    name: 'deals.deals.delete',
    kind: 'delete',
    scenario: 'deals',
    weight: 2,
    sql: `DELETE FROM deals.deals WHERE id = ${pickId('deals.deals', '$1::float8')}`,
    params: () => [rand()],
  },
  {
    name: 'deals.hotels.change_city',
    kind: 'dimension',
    scenario: 'deals',
    weight: 3,
    sql: `UPDATE deals.hotels SET city = $2::text WHERE id = ${pickId('deals.hotels', '$1::float8')}`,
    params: () => [rand(), CITIES[Math.floor(CITIES.length * rand() ** 2.5)]!],
  },

  // app: the big transaction table, with drafts, soft deletes and corrections
  {
    name: 'app.transactions.insert',
    kind: 'insert',
    scenario: 'app',
    weight: 8,
    sql: INSERT_TRANSACTIONS,
    params: () => transactionRows(1),
  },
  {
    name: 'app.transactions.insert_many',
    kind: 'multi_insert',
    scenario: 'app',
    weight: 3,
    sql: INSERT_TRANSACTIONS,
    params: () => transactionRows(batch(2, 10)),
  },
  {
    name: 'app.transactions.move_location',
    kind: 'move',
    scenario: 'app',
    weight: 3,
    sql: `UPDATE app.transactions t SET company_id = l.company_id, location_id = l.id
FROM ${RANDOM_LOCATION} l
WHERE t.id = ${pickId('app.transactions', '$1::float8')}`,
    params: () => [rand(), rand()],
  },
  {
    name: 'app.transactions.shift_day',
    kind: 'move',
    scenario: 'app',
    weight: 3,
    sql: `UPDATE app.transactions SET created_at = created_at + $2::int * interval '1 day'
WHERE id = ${pickId('app.transactions', '$1::float8')}`,
    params: () => [rand(), pick([-3, -2, -1, 1, 2, 3])],
  },
  {
    name: 'app.transactions.retype',
    kind: 'move',
    scenario: 'app',
    weight: 2,
    sql: `UPDATE app.transactions SET event_type = $2::text, kind = $3::text
WHERE id = ${pickId('app.transactions', '$1::float8')}`,
    params: () => [rand(), pick(EVENT_TYPES), pick(KINDS)],
  },
  {
    name: 'app.transactions.toggle_draft',
    kind: 'toggle',
    scenario: 'app',
    weight: 3,
    sql: `UPDATE app.transactions SET draft = NOT draft WHERE id = ${pickId('app.transactions', '$1::float8')}`,
    params: () => [rand()],
  },
  {
    name: 'app.transactions.soft_delete',
    kind: 'soft_delete',
    scenario: 'app',
    weight: 3,
    // deletes a live row, or restores a deleted one
    sql: `UPDATE app.transactions SET deleted_at = CASE WHEN deleted_at IS NULL THEN now() END
WHERE id = ${pickId('app.transactions', '$1::float8')}`,
    params: () => [rand()],
  },
  {
    name: 'app.transactions.delete',
    kind: 'delete',
    scenario: 'app',
    weight: 2,
    sql: `DELETE FROM app.transactions WHERE id = ${pickId('app.transactions', '$1::float8')}`,
    params: () => [rand()],
  },

  // sable: late and restated P&L rows for recent days, now and then a new day
  {
    name: 'sable.pnl_daily_v2.upload',
    kind: 'pnl',
    scenario: 'sable',
    weight: 3,
    sql: `INSERT INTO sable.pnl_daily_v2 (entity_id, pnl_date, position_id, book, daily_pnl, capital_flow, created_at)
SELECT e.id, d.pnl_date, r.position_id, r.book, r.pnl, 0, now()
FROM (SELECT ${pickId('sable.entities', '$1::float8')} AS id) e
CROSS JOIN LATERAL (SELECT coalesce(CASE WHEN $2::bool THEN max(pnl_date) + 1 ELSE max(pnl_date) - $3::int END, current_date) AS pnl_date
                    FROM sable.pnl_daily_v2 WHERE entity_id = e.id) d
CROSS JOIN unnest($4::int[], $5::text[], $6::numeric[]) AS r(position_id, book, pnl)
WHERE e.id IS NOT NULL`,
    params: () => {
      const n = batch(1, 5);
      const positions = Array.from({ length: n }, () => randInt(1, 5000));
      return [
        rand(),
        rand() < 0.1,
        randInt(0, 10),
        positions,
        positions.map(() => pick(BOOKS)),
        positions.map(() => ((rand() - 0.5) * 20000).toFixed(2)),
      ];
    },
  },
  {
    name: 'sable.pnl_daily_v2.restate',
    kind: 'update',
    scenario: 'sable',
    weight: 1,
    sql: `UPDATE sable.pnl_daily_v2 SET daily_pnl = round(daily_pnl * $2::numeric, 2)
WHERE id = ${pickId('sable.pnl_daily_v2', '$1::float8')}`,
    params: () => [recent(), (0.5 + rand()).toFixed(3)],
  },
  {
    name: 'sable.pnl_daily_v2.delete',
    kind: 'delete',
    scenario: 'sable',
    weight: 1,
    sql: `DELETE FROM sable.pnl_daily_v2 WHERE id = ${pickId('sable.pnl_daily_v2', '$1::float8')}`,
    params: () => [recent()],
  },
];

/** The tables a scenario's ops touch: the scenario takes part only when all of them exist. */
export const TRAFFIC_TABLES: Readonly<Record<ScenarioName, readonly string[]>> = {
  crm: [
    'crm.users',
    'crm.opportunities',
    'crm.admin_user_call_log',
    'crm.admin_user_task',
    'crm.admin_activity',
  ],
  deals: ['deals.hotels', 'deals.deals'],
  app: ['app.companies', 'app.locations', 'app.transactions'],
  sable: ['sable.entities', 'sable.pnl_daily_v2'],
};
