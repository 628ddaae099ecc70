import { BOOKS, FUND_WORDS } from './names';
import { anchorDate, anchorTs, int, pickText } from './random-sql';
import { HISTORY_DAYS, type DemoScale, type DemoScenario, type ScenarioContext } from './scenario';
import { quoteLiteral } from '../db/ident';

/**
 * The third seed: a finance system whose daily P&L rows (one per entity, day and position,
 * plus restated versions from later uploads) feed a chain of views with window functions (daily sums → running NAV → capital → Modified
 * Dietz return); the last one took minutes for everything and seconds for one entity, so it
 * was cached in a table refreshed per entity from the changed date on.
 */

const SIZES: Record<DemoScale, { entities: number; maxPositions: number }> = {
  // rows ≈ Σ positions(e) × business days(e): ~5k, ~300k, ~3M
  small: { entities: 6, maxPositions: 6 },
  medium: { entities: 20, maxPositions: 250 },
  large: { entities: 40, maxPositions: 2_000 },
};

export function sableScenario({ scale, anchor }: ScenarioContext): DemoScenario {
  const n = SIZES[scale];
  const books = `ARRAY[${BOOKS.map(quoteLiteral).join(', ')}]::text[]`;
  return {
    name: 'sable',
    schemas: ['sable', 'gold'],
    tables: [
      {
        name: 'sable.entities',
        create: `CREATE TABLE sable.entities (
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL
)`,
        load: [
          `INSERT INTO sable.entities (id, name) OVERRIDING SYSTEM VALUE
SELECT i, 'Sable ' || ${pickText(FUND_WORDS)} || ' Fund ' || to_char(i, 'FMRN')
FROM generate_series(1, ${int(n.entities)}) i`,
        ],
        finish: [
          `SELECT setval(pg_get_serial_sequence('sable.entities', 'id'), ${int(n.entities)})`,
          'ALTER TABLE sable.entities ADD PRIMARY KEY (id)',
          'CREATE UNIQUE INDEX entities_name_key ON sable.entities (name)',
        ],
      },
      {
        name: 'sable.pnl_daily_v2',
        create: `CREATE TABLE sable.pnl_daily_v2 (
  id bigint GENERATED ALWAYS AS IDENTITY,
  entity_id bigint NOT NULL,
  pnl_date date NOT NULL,
  position_id integer NOT NULL,
  book text NOT NULL,
  daily_pnl numeric(18,2),
  capital_flow numeric(18,2) NOT NULL DEFAULT 0,
  btig_daily_ror numeric,
  created_at timestamptz NOT NULL DEFAULT now()
)`,
        load: [
          // Per entity: first business day (a third run the whole history), positions held
          // (power law: entity 1 is the flagship) and seed capital, funded on the first day.
          `CREATE TEMP TABLE sable_entity_plan ON COMMIT DROP AS
SELECT entity_id, positions, seed_capital,
       start + CASE extract(isodow FROM start) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END AS first_date
FROM (SELECT id AS entity_id,
             greatest(1, round(${int(n.maxPositions)} / id ^ 1.1))::int AS positions,
             round((5000000 * exp(random() * 3))::numeric, -3) AS seed_capital,
             ${anchorDate(anchor)} - ${int(HISTORY_DAYS)}
               + CASE WHEN id <= greatest(1, ${int(n.entities)} / 3) THEN 0 ELSE floor(random() * 600)::int END AS start
      FROM sable.entities ORDER BY id) e`,
          // One upload per business day, so ids follow pnl_date.
          `INSERT INTO sable.pnl_daily_v2 (entity_id, pnl_date, position_id, book, daily_pnl, capital_flow, created_at)
SELECT p.entity_id, d.pnl_date, pos, (${books})[1 + (pos + p.entity_id) % ${int(BOOKS.length)}],
       CASE WHEN random() < 0.001 THEN NULL
            ELSE round(p.seed_capital / p.positions * ((random() + random() + random() - 1.5) * 0.02 + 0.0002)::numeric, 2) END,
       CASE WHEN pos <> 1 THEN 0
            WHEN d.pnl_date = p.first_date THEN p.seed_capital
            WHEN random() < 0.02 THEN round(p.seed_capital * (random() * 0.2 - 0.08)::numeric, -2)
            ELSE 0 END,
       (d.pnl_date + time '20:00') AT TIME ZONE 'UTC' + random() * interval '90 minutes'
FROM sable_entity_plan p
CROSS JOIN LATERAL (SELECT p.first_date + k AS pnl_date
                    FROM generate_series(0, ${anchorDate(anchor)} - 1 - p.first_date) k
                    WHERE extract(isodow FROM p.first_date + k) < 6) d
CROSS JOIN LATERAL generate_series(1, p.positions) pos
ORDER BY d.pnl_date, p.entity_id, pos`,
          // Restatements: a later upload replaces ~2% of the rows (the views read the latest).
          `INSERT INTO sable.pnl_daily_v2 (entity_id, pnl_date, position_id, book, daily_pnl, capital_flow, created_at)
SELECT entity_id, pnl_date, position_id, book, round(daily_pnl * (0.9 + random() * 0.2)::numeric, 2), capital_flow,
       least(created_at + interval '1 day' + random() * interval '3 days', ${anchorTs(anchor)})
FROM sable.pnl_daily_v2
WHERE random() < 0.02
ORDER BY id`,
        ],
        finish: [
          'ALTER TABLE sable.pnl_daily_v2 ADD PRIMARY KEY (id)',
          'CREATE INDEX pnl_daily_v2_entity_id_pnl_date_idx ON sable.pnl_daily_v2 (entity_id, pnl_date)',
          'ALTER TABLE sable.pnl_daily_v2 ADD FOREIGN KEY (entity_id) REFERENCES sable.entities (id)',
        ],
      },
    ],
    after: [
      // The latest upload of each position and day counts (v2 keeps the restated versions).
      `CREATE VIEW gold.v_pnl_daily AS
SELECT entity_id, pnl_date,
       sum(daily_pnl) AS daily_pnl,
       sum(capital_flow) AS capital_flow,
       max(btig_daily_ror) AS btig_daily_ror,
       count(*) AS positions
FROM (SELECT DISTINCT ON (entity_id, pnl_date, position_id) entity_id, pnl_date, daily_pnl, capital_flow, btig_daily_ror
      FROM sable.pnl_daily_v2
      ORDER BY entity_id, pnl_date, position_id, created_at DESC, id DESC) latest
GROUP BY entity_id, pnl_date`,
      `CREATE VIEW gold.v_nav_daily AS
SELECT entity_id, pnl_date, daily_pnl, capital_flow, btig_daily_ror, positions,
       sum(coalesce(daily_pnl, 0) + capital_flow)
         OVER (PARTITION BY entity_id ORDER BY pnl_date ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS end_nav
FROM gold.v_pnl_daily`,
      // firm_nav is what the allocation report needs (every entity of a day); being a window
      // over all entities, it is also why an entity filter on the views above cannot be
      // pushed below this one, and one entity costs as much as all of them (as in the seed).
      `CREATE VIEW gold.v_capital_daily AS
SELECT entity_id, pnl_date, daily_pnl, capital_flow, btig_daily_ror, end_nav,
       coalesce(lag(end_nav) OVER (PARTITION BY entity_id ORDER BY pnl_date), 0) + capital_flow AS capital_amount,
       sum(end_nav) OVER (PARTITION BY pnl_date) AS firm_nav
FROM gold.v_nav_daily`,
      `CREATE VIEW gold.v_dietz_daily AS
SELECT c.entity_id, e.name AS entity_name, c.pnl_date,
       round(c.daily_pnl / nullif(c.capital_amount, 0) * 100, 8) AS daily_return_pct,
       c.daily_pnl, c.capital_amount, c.end_nav, c.btig_daily_ror,
       round((c.daily_pnl / nullif(c.capital_amount, 0) - c.btig_daily_ror) * 10000, 4) AS daily_diff_bps,
       round(1 + c.daily_pnl / nullif(c.capital_amount, 0), 12) AS return_factor
FROM gold.v_capital_daily c
JOIN sable.entities e ON e.id = c.entity_id`,
      // The broker's reported return, on each entity-day's first position: the true return
      // plus rounding noise, and a real break on a few days.
      `UPDATE sable.pnl_daily_v2 p
SET btig_daily_ror = round(d.daily_return_pct / 100
      + (CASE WHEN random() < 0.03 THEN (random() - 0.5) * 0.002 ELSE (random() - 0.5) * 0.00002 END)::numeric, 10)
FROM gold.v_dietz_daily d
WHERE p.position_id = 1 AND d.entity_id = p.entity_id AND d.pnl_date = p.pnl_date`,
    ],
  };
}
