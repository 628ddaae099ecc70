import pg from 'pg';
import { quoteIdent as q, quoteLiteral as lit } from '../lib/db/ident';
import { E2E_DATABASE_URL, ESCAPED, HOSTILE, ODD, SHOP } from './e2e-env';

/**
 * Known tables for the specs, independent of the demo data: FKs, indexes, a view, a trigger,
 * a hostile name (with rows, for a summary over it) and two that need URL encoding ("%", "/",
 * and "%41"). Rebuilt on every run, with the registry rows of summaries that lived in it.
 */
export default async function globalSetup(): Promise<void> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`
      DROP SCHEMA IF EXISTS ${q(SHOP)} CASCADE;
      -- summaries registered on the schema just dropped (a previous run's) are gone with it
      DO $$ BEGIN
        IF to_regclass('tally.summaries') IS NOT NULL THEN
          DELETE FROM tally.summaries WHERE source_schema = ${lit(SHOP)} OR target_schema = ${lit(SHOP)};
        END IF;
      END $$;
      CREATE SCHEMA ${q(SHOP)};
      COMMENT ON SCHEMA ${q(SHOP)} IS 'seeded by e2e/global-setup.ts';
      CREATE TABLE ${q(SHOP)}.customers (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ${q(SHOP)}.orders (
        id bigint PRIMARY KEY,
        customer_id bigint NOT NULL REFERENCES ${q(SHOP)}.customers (id) ON DELETE CASCADE,
        total numeric(12, 2) NOT NULL,
        placed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX orders_placed_idx ON ${q(SHOP)}.orders (placed_at);
      CREATE INDEX orders_customer_idx ON ${q(SHOP)}.orders (customer_id);
      CREATE VIEW ${q(SHOP)}.big_orders AS SELECT id, customer_id, total FROM ${q(SHOP)}.orders WHERE total > 100;
      CREATE FUNCTION ${q(SHOP)}.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
      CREATE TRIGGER _100_orders_noop AFTER INSERT ON ${q(SHOP)}.orders FOR EACH STATEMENT EXECUTE FUNCTION ${q(SHOP)}.noop();
      CREATE TABLE ${q(SHOP)}.${q(HOSTILE)} (${q(HOSTILE)} int PRIMARY KEY, note text);
      CREATE TABLE ${q(SHOP)}.${q(ODD)} (id int PRIMARY KEY, order_id bigint REFERENCES ${q(SHOP)}.orders (id));
      CREATE TABLE ${q(SHOP)}.${q(ESCAPED)} (id int);
      INSERT INTO ${q(SHOP)}.customers (email) SELECT 'c' || g || '@example.com' FROM generate_series(1, 200) g;
      INSERT INTO ${q(SHOP)}.orders SELECT g, 1 + g % 200, (g % 300) + 0.99, now() - g * interval '1 hour'
        FROM generate_series(1, 5000) g;
      INSERT INTO ${q(SHOP)}.${q(HOSTILE)} SELECT g, 'note ' || (g % 3) FROM generate_series(1, 30) g;
      ANALYZE ${q(SHOP)}.customers;
      ANALYZE ${q(SHOP)}.orders;
      ANALYZE ${q(SHOP)}.${q(HOSTILE)};
    `);
  } finally {
    await client.end();
  }
}
