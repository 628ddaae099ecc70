import { COMPANY_WORDS, DEAL_TYPES, FIRST_NAMES, LAST_NAMES, STAGES, TASK_TITLES } from './names';
import { int, pickText, skewedIndex, syncIdentity, timeOfRow, weighted } from './random-sql';
import type { DemoScale, DemoScenario, ScenarioContext } from './scenario';

/**
 * The first seed: a CRM whose dashboards summed millions of call-log rows on every click
 * (talk time per user), sorted the task table for the latest due task per opportunity, and
 * counted "not interested" stage changes inside JSONB activity data.
 */

const SIZES: Record<
  DemoScale,
  { users: number; opportunities: number; calls: number; tasks: number; activities: number }
> = {
  small: { users: 40, opportunities: 1_000, calls: 10_000, tasks: 3_000, activities: 6_000 },
  medium: {
    users: 400,
    opportunities: 40_000,
    calls: 1_000_000,
    tasks: 120_000,
    activities: 400_000,
  },
  large: {
    users: 2_000,
    opportunities: 300_000,
    calls: 10_000_000,
    tasks: 1_000_000,
    activities: 3_000_000,
  },
};

const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'stage_change', 'note'];

export function crmScenario({ scale, anchor }: ScenarioContext): DemoScenario {
  const n = SIZES[scale];
  // A handful of reps make most of the calls and own most of the pipeline.
  const user = skewedIndex(n.users, 3);
  const opportunity = skewedIndex(n.opportunities, 2);
  const stage = pickText(STAGES, [20, 18, 14, 10, 12, 12, 14]);

  return {
    name: 'crm',
    schemas: ['crm'],
    tables: [
      {
        name: 'crm.users',
        create: `CREATE TABLE crm.users (
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  email text NOT NULL,
  created_at timestamptz NOT NULL
)`,
        load: [
          `INSERT INTO crm.users (id, name, email, created_at) OVERRIDING SYSTEM VALUE
SELECT i, f || ' ' || l, lower(f) || '.' || lower(l) || i || '@example.com',
       ${timeOfRow('i', n.users, anchor)} - interval '400 days'
FROM (SELECT i, ${pickText(FIRST_NAMES)} AS f, ${pickText(LAST_NAMES)} AS l
      FROM generate_series(1, ${int(n.users)}) i OFFSET 0) g`,
        ],
        finish: [
          'ALTER TABLE crm.users ADD PRIMARY KEY (id)',
          syncIdentity('crm.users'),
          'CREATE UNIQUE INDEX users_email_key ON crm.users (email)',
        ],
      },
      {
        name: 'crm.opportunities',
        create: `CREATE TABLE crm.opportunities (
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  owner_user_id bigint,
  stage text NOT NULL,
  amount numeric(12,2),
  created_at timestamptz NOT NULL
)`,
        load: [
          `INSERT INTO crm.opportunities (id, name, owner_user_id, stage, amount, created_at) OVERRIDING SYSTEM VALUE
SELECT i,
       ${pickText(COMPANY_WORDS)} || ' ' || ${pickText(DEAL_TYPES)} || ' #' || i,
       CASE WHEN random() < 0.02 THEN NULL ELSE ${user} END,
       ${stage},
       CASE WHEN random() < 0.05 THEN NULL ELSE round((500 * exp(random() * 6))::numeric, 2) END,
       ${timeOfRow('i', n.opportunities, anchor)}
FROM generate_series(1, ${int(n.opportunities)}) i`,
        ],
        finish: [
          'ALTER TABLE crm.opportunities ADD PRIMARY KEY (id)',
          syncIdentity('crm.opportunities'),
          'CREATE INDEX opportunities_owner_user_id_idx ON crm.opportunities (owner_user_id)',
          'ALTER TABLE crm.opportunities ADD FOREIGN KEY (owner_user_id) REFERENCES crm.users (id)',
        ],
      },
      {
        // The biggest CRM table: duration has the anomalies real call logs have (0 for
        // missed calls, -1 and NULL from a buggy dialer), hence FILTER (WHERE duration > 0).
        name: 'crm.admin_user_call_log',
        create: `CREATE TABLE crm.admin_user_call_log (
  id bigint GENERATED ALWAYS AS IDENTITY,
  user_id bigint,
  opportunity_id bigint,
  duration integer,
  created_at timestamptz NOT NULL
)`,
        load: [
          `INSERT INTO crm.admin_user_call_log (id, user_id, opportunity_id, duration, created_at) OVERRIDING SYSTEM VALUE
SELECT i,
       CASE WHEN random() < 0.005 THEN NULL ELSE ${user} END,
       CASE WHEN random() < 0.03 THEN NULL ELSE ${opportunity} END,
       ${weighted(['0', '-1', 'NULL', '(-ln(1 - random()) * 240)::int + 5'], [10, 0.5, 0.5, 89])},
       ${timeOfRow('i', n.calls, anchor)}
FROM generate_series(1, ${int(n.calls)}) i`,
        ],
        finish: [
          'ALTER TABLE crm.admin_user_call_log ADD PRIMARY KEY (id)',
          syncIdentity('crm.admin_user_call_log'),
          'CREATE INDEX admin_user_call_log_user_id_idx ON crm.admin_user_call_log (user_id)',
          'CREATE INDEX admin_user_call_log_opportunity_id_idx ON crm.admin_user_call_log (opportunity_id)',
          'CREATE INDEX admin_user_call_log_created_at_idx ON crm.admin_user_call_log (created_at)',
          'ALTER TABLE crm.admin_user_call_log ADD FOREIGN KEY (user_id) REFERENCES crm.users (id)',
          'ALTER TABLE crm.admin_user_call_log ADD FOREIGN KEY (opportunity_id) REFERENCES crm.opportunities (id)',
        ],
      },
      {
        name: 'crm.admin_user_task',
        create: `CREATE TABLE crm.admin_user_task (
  id bigint GENERATED ALWAYS AS IDENTITY,
  opportunity_id bigint NOT NULL,
  title text NOT NULL,
  due_date date,
  completed boolean NOT NULL DEFAULT false,
  deleted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL
)`,
        load: [
          `INSERT INTO crm.admin_user_task (id, opportunity_id, title, due_date, completed, deleted, created_at) OVERRIDING SYSTEM VALUE
SELECT i, ${opportunity}, ${pickText(TASK_TITLES)},
       CASE WHEN random() < 0.05 THEN NULL
            ELSE (created_at AT TIME ZONE 'UTC')::date + floor(random() * 45 - 5)::int END,
       random() < 0.6, random() < 0.03, created_at
FROM (SELECT i, ${timeOfRow('i', n.tasks, anchor)} AS created_at
      FROM generate_series(1, ${int(n.tasks)}) i OFFSET 0) g`,
        ],
        finish: [
          'ALTER TABLE crm.admin_user_task ADD PRIMARY KEY (id)',
          syncIdentity('crm.admin_user_task'),
          'CREATE INDEX admin_user_task_opportunity_id_idx ON crm.admin_user_task (opportunity_id)',
          'CREATE INDEX admin_user_task_created_at_idx ON crm.admin_user_task (created_at)',
          'ALTER TABLE crm.admin_user_task ADD FOREIGN KEY (opportunity_id) REFERENCES crm.opportunities (id)',
        ],
      },
      {
        name: 'crm.admin_activity',
        create: `CREATE TABLE crm.admin_activity (
  id bigint GENERATED ALWAYS AS IDENTITY,
  opportunity_id bigint NOT NULL,
  user_id bigint,
  type text NOT NULL,
  data jsonb,
  created_at timestamptz NOT NULL
)`,
        load: [
          `INSERT INTO crm.admin_activity (id, opportunity_id, user_id, type, data, created_at) OVERRIDING SYSTEM VALUE
SELECT i, opportunity_id, user_id, type,
       CASE type
         WHEN 'stage_change' THEN jsonb_build_object('oldStage', old_stage, 'newStage', new_stage)
         WHEN 'call' THEN jsonb_build_object('durationSeconds', (random() * 1800)::int)
         WHEN 'email' THEN jsonb_build_object('direction', CASE WHEN random() < 0.6 THEN 'outbound' ELSE 'inbound' END)
         WHEN 'meeting' THEN jsonb_build_object('minutes', 15 * (1 + (random() * 4)::int))
       END,
       created_at
FROM (SELECT i, ${opportunity} AS opportunity_id,
             CASE WHEN random() < 0.02 THEN NULL ELSE ${user} END AS user_id,
             ${pickText(ACTIVITY_TYPES, [35, 30, 15, 15, 5])} AS type,
             ${pickText(STAGES.slice(0, 4))} AS old_stage,
             ${pickText(STAGES.slice(1), [18, 14, 10, 12, 12, 34])} AS new_stage,
             ${timeOfRow('i', n.activities, anchor)} AS created_at
      FROM generate_series(1, ${int(n.activities)}) i OFFSET 0) g`,
        ],
        finish: [
          'ALTER TABLE crm.admin_activity ADD PRIMARY KEY (id)',
          syncIdentity('crm.admin_activity'),
          'CREATE INDEX admin_activity_opportunity_id_idx ON crm.admin_activity (opportunity_id)',
          'CREATE INDEX admin_activity_user_id_idx ON crm.admin_activity (user_id)',
          'CREATE INDEX admin_activity_created_at_idx ON crm.admin_activity (created_at)',
          'ALTER TABLE crm.admin_activity ADD FOREIGN KEY (opportunity_id) REFERENCES crm.opportunities (id)',
          'ALTER TABLE crm.admin_activity ADD FOREIGN KEY (user_id) REFERENCES crm.users (id)',
        ],
      },
    ],
    after: [],
  };
}
