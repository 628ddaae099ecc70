import { z } from 'zod';
import { ScenarioNameSchema } from './scenario';

/**
 * Named examples over the demo data: each seed's slow dashboard query, and the defining
 * query of the summary Tally would maintain for it (for a view cache, the view's name and
 * its key). Validated at load, so a malformed entry fails the first import, not a demo.
 */

export const DemoExampleShapeSchema = z.enum(['aggregate', 'latest', 'join', 'view_cache']);
export type DemoExampleShape = z.infer<typeof DemoExampleShapeSchema>;

export const DemoExampleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    scenario: ScenarioNameSchema,
    title: z.string().min(1),
    /** which seed it comes from and why the query is slow */
    description: z.string().min(1),
    /** what the dashboard runs today */
    slowQuery: z.string().min(1),
    /** the defining SELECT … GROUP BY / DISTINCT ON, or for a view cache the view name */
    summarySql: z.string().min(1),
    shape: DemoExampleShapeSchema,
    /** view caches: the columns that identify a row of the view */
    key: z.array(z.string().min(1)).min(1).optional(),
  })
  .superRefine((e, ctx) => {
    const isView = e.shape === 'view_cache';
    if (isView && !e.key)
      ctx.addIssue({ code: 'custom', path: ['key'], message: 'a view cache needs its key' });
    if (isView && !/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(e.summarySql))
      ctx.addIssue({
        code: 'custom',
        path: ['summarySql'],
        message: 'a view cache names its view (schema.view)',
      });
    if (!isView && !/^\s*SELECT\b/i.test(e.summarySql))
      ctx.addIssue({ code: 'custom', path: ['summarySql'], message: 'must be a SELECT' });
  });
export type DemoExample = z.infer<typeof DemoExampleSchema>;

/** The biggest customer of the app scenario: the one with the most locations. */
const BIGGEST_COMPANY = `(SELECT company_id FROM app.locations
                    GROUP BY company_id ORDER BY count(*) DESC, company_id LIMIT 1)`;

export const DEMO_EXAMPLES: readonly DemoExample[] = z.array(DemoExampleSchema).parse([
  {
    id: 'crm-talk-time',
    scenario: 'crm',
    shape: 'aggregate',
    title: 'Talk time per user',
    description:
      'First seed (CRM dashboards): "filter by total call time" summed every row of the call log on each click. Calls with a zero, negative or NULL duration are dialer noise, hence the FILTER.',
    slowQuery: `SELECT u.id, u.name, t.total_talk_time, t.calls
FROM crm.users u
JOIN (SELECT user_id, sum(duration) FILTER (WHERE duration > 0) AS total_talk_time, count(*) AS calls
      FROM crm.admin_user_call_log
      GROUP BY user_id) t ON t.user_id = u.id
ORDER BY t.total_talk_time DESC NULLS LAST
LIMIT 50`,
    summarySql: `SELECT user_id, sum(duration) FILTER (WHERE duration > 0) AS total_talk_time, count(*) AS calls
FROM crm.admin_user_call_log
GROUP BY user_id`,
  },
  {
    id: 'crm-latest-task',
    scenario: 'crm',
    shape: 'latest',
    title: 'Latest due task per opportunity',
    description:
      'First seed: the pipeline view sorted the whole task table with DISTINCT ON (opportunity_id) on every request. Tasks are updated and deleted, so an opportunity whose last task goes away must drop out.',
    slowQuery: `SELECT o.id, o.name, o.stage, t.title, t.due_date
FROM crm.opportunities o
JOIN (SELECT DISTINCT ON (opportunity_id) opportunity_id, title, due_date
      FROM crm.admin_user_task
      WHERE NOT deleted
      ORDER BY opportunity_id, due_date DESC NULLS LAST, id DESC) t ON t.opportunity_id = o.id
ORDER BY t.due_date DESC NULLS LAST, o.id
LIMIT 50`,
    summarySql: `SELECT DISTINCT ON (opportunity_id) opportunity_id, id AS task_id, title, due_date
FROM crm.admin_user_task
WHERE NOT deleted
ORDER BY opportunity_id, due_date DESC NULLS LAST, id DESC`,
  },
  {
    id: 'crm-activity',
    scenario: 'crm',
    shape: 'aggregate',
    title: 'Not-interested count and activity trail per opportunity',
    description:
      'First seed: the activity summary counted stage changes to not_interested inside JSONB and built an ordered array of activity types, over every activity row.',
    slowQuery: `SELECT o.id, o.name, a.not_interested_count, a.activity_types[1:5] AS first_activities
FROM crm.opportunities o
JOIN (SELECT opportunity_id,
             count(*) FILTER (WHERE data->>'newStage' = 'not_interested') AS not_interested_count,
             array_agg(type ORDER BY created_at, id) AS activity_types
      FROM crm.admin_activity
      GROUP BY opportunity_id) a ON a.opportunity_id = o.id
WHERE a.not_interested_count > 0
ORDER BY a.not_interested_count DESC, o.id
LIMIT 50`,
    summarySql: `SELECT opportunity_id,
       count(*) FILTER (WHERE data->>'newStage' = 'not_interested') AS not_interested_count,
       array_agg(type ORDER BY created_at, id) AS activity_types
FROM crm.admin_activity
GROUP BY opportunity_id`,
  },
  {
    id: 'deals-by-city',
    scenario: 'deals',
    shape: 'join',
    title: 'Available deals and average price per city',
    description:
      'Second seed (hotel deal stats): every dashboard request joined all deals to their hotels and grouped by city. A hotel that changes city moves all its deals.',
    slowQuery: `SELECT h.city, avg(d.price_per_night) AS avg_price, count(*) AS deal_count
FROM deals.deals d
JOIN deals.hotels h ON h.id = d.hotel_id
WHERE d.is_available
GROUP BY h.city
ORDER BY deal_count DESC
LIMIT 50`,
    summarySql: `SELECT h.city, avg(d.price_per_night) AS avg_price, count(*) AS deal_count
FROM deals.deals d
JOIN deals.hotels h ON h.id = d.hotel_id
WHERE d.is_available
GROUP BY h.city`,
  },
  {
    id: 'app-transactions-daily',
    scenario: 'app',
    shape: 'aggregate',
    title: 'Transactions per company, location, day, event type and kind',
    description:
      'Fourth seed: "transactions this week by event type" for a customer with tens of millions of rows, computed from the raw table; the fix was a per-day aggregate table. The day is taken in UTC so the grouping expression is immutable.',
    slowQuery: `SELECT event_type, count(*) AS transactions, count(*) FILTER (WHERE damage) AS damaged
FROM app.transactions
WHERE company_id = ${BIGGEST_COMPANY}
  AND deleted_at IS NULL AND NOT draft
  AND created_at >= now() - interval '90 days'
GROUP BY event_type
ORDER BY transactions DESC`,
    summarySql: `SELECT company_id, location_id, (created_at AT TIME ZONE 'UTC')::date AS day, event_type, kind,
       count(*) AS count, count(*) FILTER (WHERE damage) AS damage_count
FROM app.transactions
WHERE deleted_at IS NULL AND NOT draft
GROUP BY company_id, location_id, (created_at AT TIME ZONE 'UTC')::date, event_type, kind`,
  },
  {
    id: 'app-company-count',
    scenario: 'app',
    shape: 'aggregate',
    title: 'Transaction count per company',
    description:
      'Fourth seed: the count(*) that ran on every page load, for every controller, against the biggest table; fast for the long tail, 8 to 90 seconds for the biggest customer.',
    slowQuery: `SELECT count(*) FROM app.transactions
WHERE company_id = ${BIGGEST_COMPANY}
  AND deleted_at IS NULL
  AND draft = false`,
    summarySql: `SELECT company_id, count(*) AS transactions
FROM app.transactions
WHERE deleted_at IS NULL AND NOT draft
GROUP BY company_id`,
  },
  {
    id: 'sable-pnl-range',
    scenario: 'sable',
    shape: 'aggregate',
    title: 'First and last P&L date per entity',
    description:
      'Third seed: the scope of every refresh starts from the P&L dates an entity has; min/max stay exact under deletes only if the extreme row is recomputed when it goes away.',
    slowQuery: `SELECT e.id, e.name, r.first_pnl_date, r.last_pnl_date, r.pnl_rows
FROM sable.entities e
JOIN (SELECT entity_id, min(pnl_date) AS first_pnl_date, max(pnl_date) AS last_pnl_date, count(*) AS pnl_rows
      FROM sable.pnl_daily_v2
      GROUP BY entity_id) r ON r.entity_id = e.id
ORDER BY e.id`,
    summarySql: `SELECT entity_id, min(pnl_date) AS first_pnl_date, max(pnl_date) AS last_pnl_date, count(*) AS pnl_rows
FROM sable.pnl_daily_v2
GROUP BY entity_id`,
  },
  {
    id: 'gold-dietz-daily',
    scenario: 'sable',
    shape: 'view_cache',
    title: 'Modified Dietz daily returns (view cache)',
    description:
      'Third seed: gold.v_dietz_daily sits on a chain of window-function views over every P&L row; one entity costs as much as all of them. Cached in a table keyed by (entity_id, pnl_date), a change for entity E on date D refreshes the rows of E from D on.',
    slowQuery: `SELECT * FROM gold.v_dietz_daily
WHERE entity_id = 1 AND pnl_date >= current_date - 365
ORDER BY pnl_date`,
    summarySql: 'gold.v_dietz_daily',
    key: ['entity_id', 'pnl_date'],
  },
]);

export function findDemoExample(id: string): DemoExample | undefined {
  return DEMO_EXAMPLES.find((e) => e.id === id);
}
