import { CITIES, HOTEL_TYPES, HOTEL_WORDS } from './names';
import {
  int,
  pickText,
  pickTextSkewed,
  skewedIndex,
  syncIdentity,
  timeOfRow,
  weighted,
} from './random-sql';
import type { DemoScale, DemoScenario, ScenarioContext } from './scenario';

/**
 * The second seed: hotel deal stats (average price and deal count per city) computed by a
 * GROUP BY over every deal joined to its hotel, on every dashboard request.
 */

const SIZES: Record<DemoScale, { hotels: number; deals: number }> = {
  small: { hotels: 300, deals: 10_000 },
  medium: { hotels: 4_000, deals: 1_000_000 },
  large: { hotels: 20_000, deals: 5_000_000 },
};

/** Typical nightly price by star rating. */
const BASE_PRICE_BY_STARS = [45, 70, 110, 190, 380];

export function dealsScenario({ scale, anchor }: ScenarioContext): DemoScenario {
  const n = SIZES[scale];
  return {
    name: 'deals',
    schemas: ['deals'],
    tables: [
      {
        name: 'deals.hotels',
        create: `CREATE TABLE deals.hotels (
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  city text NOT NULL,
  stars smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
  created_at timestamptz NOT NULL
)`,
        load: [
          // ~200 cities, a few of them (London, Paris, New York …) with most of the hotels.
          `INSERT INTO deals.hotels (id, name, city, stars, created_at) OVERRIDING SYSTEM VALUE
SELECT i, ${pickText(HOTEL_WORDS)} || ' ' || ${pickText(HOTEL_WORDS)} || ' ' || ${pickText(HOTEL_TYPES)},
       ${pickTextSkewed(CITIES, 2.5)},
       ${weighted(['1', '2', '3', '4', '5'], [5, 15, 40, 30, 10])}::smallint,
       ${timeOfRow('i', n.hotels, anchor)} - interval '365 days'
FROM generate_series(1, ${int(n.hotels)}) i`,
        ],
        finish: [
          'ALTER TABLE deals.hotels ADD PRIMARY KEY (id)',
          syncIdentity('deals.hotels'),
          'CREATE INDEX hotels_city_idx ON deals.hotels (city)',
        ],
      },
      {
        name: 'deals.deals',
        create: `CREATE TABLE deals.deals (
  id bigint GENERATED ALWAYS AS IDENTITY,
  hotel_id bigint NOT NULL,
  price_per_night numeric(10,2),
  is_available boolean NOT NULL DEFAULT true,
  checkin_date date NOT NULL,
  created_at timestamptz NOT NULL
)`,
        load: [
          // Big chains list far more deals; the price follows the hotel's stars (looked up in
          // an array built once rather than joined per row).
          `INSERT INTO deals.deals (id, hotel_id, price_per_night, is_available, checkin_date, created_at) OVERRIDING SYSTEM VALUE
SELECT g.i, g.hotel_id,
       CASE WHEN random() < 0.005 THEN NULL
            ELSE round(((ARRAY[${BASE_PRICE_BY_STARS.map(int).join(', ')}])[h.stars[g.hotel_id]] * (0.6 + random() * 0.9))::numeric, 2) END,
       random() < 0.7,
       (g.created_at AT TIME ZONE 'UTC')::date + floor(random() * 120)::int,
       g.created_at
FROM (SELECT i, ${skewedIndex(n.hotels, 2)} AS hotel_id, ${timeOfRow('i', n.deals, anchor)} AS created_at
      FROM generate_series(1, ${int(n.deals)}) i OFFSET 0) g,
     (SELECT array_agg(stars ORDER BY id) AS stars FROM deals.hotels) h`,
        ],
        finish: [
          'ALTER TABLE deals.deals ADD PRIMARY KEY (id)',
          syncIdentity('deals.deals'),
          'CREATE INDEX deals_hotel_id_idx ON deals.deals (hotel_id)',
          'CREATE INDEX deals_checkin_date_idx ON deals.deals (checkin_date)',
          'CREATE INDEX deals_created_at_idx ON deals.deals (created_at)',
          'ALTER TABLE deals.deals ADD FOREIGN KEY (hotel_id) REFERENCES deals.hotels (id)',
        ],
      },
    ],
    after: [],
  };
}
