import { describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import { quoteIdent } from '../lib/db/ident';
import { getCatalogOverview } from '../lib/catalog/get-catalog-overview';
import { getTableDetail } from '../lib/catalog/get-table-detail';
import { getServerInfo } from '../lib/catalog/get-server-info';
import { catalogOverviewSchema, tableDetailSchema } from '../lib/catalog/catalog-types';

const db = await createTestDatabase();

const HOSTILE = 'a"; drop table x; --';
const q = quoteIdent;

await db.pool.query(`
  CREATE SCHEMA shop;
  CREATE SCHEMA empty_one;
  CREATE TABLE x (id int);
  CREATE TABLE shop.hotels (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city text NOT NULL DEFAULT 'Paris',
    parent_id bigint REFERENCES shop.hotels (id)
  );
  COMMENT ON TABLE shop.hotels IS 'one row per hotel';
  CREATE TABLE shop.deals (
    id bigint PRIMARY KEY,
    hotel_id bigint NOT NULL,
    region text,
    country text,
    price_per_night numeric(10, 2),
    price_with_tax numeric GENERATED ALWAYS AS (price_per_night * 1.2) STORED,
    created_at timestamptz DEFAULT now(),
    CONSTRAINT deals_hotel_fk FOREIGN KEY (hotel_id) REFERENCES shop.hotels (id) ON DELETE CASCADE
  );
  CREATE TABLE shop.regions (country text, region text, PRIMARY KEY (country, region));
  ALTER TABLE shop.deals ADD CONSTRAINT deals_region_fk FOREIGN KEY (region, country)
    REFERENCES shop.regions (region, country) ON UPDATE SET NULL;
  CREATE INDEX deals_created_idx ON shop.deals (created_at DESC);
  CREATE UNIQUE INDEX deals_hotel_day_idx ON shop.deals (hotel_id, ((created_at AT TIME ZONE 'UTC')::date));
  CREATE VIEW shop.cheap_deals AS SELECT id, price_per_night FROM shop.deals WHERE price_per_night < 50;
  CREATE MATERIALIZED VIEW shop.deals_per_hotel AS SELECT hotel_id, count(*) AS n FROM shop.deals GROUP BY hotel_id;
  CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
  CREATE TRIGGER _100_touch AFTER INSERT OR UPDATE ON shop.deals FOR EACH STATEMENT EXECUTE FUNCTION shop.touch();
  CREATE TRIGGER _200_touch_row BEFORE DELETE ON shop.deals FOR EACH ROW EXECUTE FUNCTION shop.touch();
  CREATE TRIGGER _300_off AFTER TRUNCATE ON shop.deals FOR EACH STATEMENT EXECUTE FUNCTION shop.touch();
  ALTER TABLE shop.deals DISABLE TRIGGER _300_off;
  CREATE TRIGGER _400_replica AFTER DELETE ON shop.deals FOR EACH STATEMENT EXECUTE FUNCTION shop.touch();
  ALTER TABLE shop.deals ENABLE REPLICA TRIGGER _400_replica;
  INSERT INTO shop.hotels (city) SELECT 'c' || g FROM generate_series(1, 500) g;
  ANALYZE shop.hotels;

  CREATE SCHEMA ${q(HOSTILE)};
  CREATE TABLE ${q(HOSTILE)}.${q(HOSTILE)} (
    ${q(HOSTILE)} int PRIMARY KEY,
    "Mixed Case" text,
    hotel_id bigint REFERENCES shop.hotels (id)
  );
  CREATE INDEX ${q(HOSTILE + ' idx')} ON ${q(HOSTILE)}.${q(HOSTILE)} ("Mixed Case");
`);

describe('catalog overview', () => {
  test('lists user schemas with their relations and hides system and tally schemas', async () => {
    const overview = catalogOverviewSchema.parse(await getCatalogOverview(db.pool));
    const names = overview.schemas.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['public', 'shop', 'empty_one', HOSTILE]));
    for (const hidden of ['pg_catalog', 'information_schema', 'pg_toast', 'tally'])
      expect(names).not.toContain(hidden);
    expect(overview.schemas.find((s) => s.name === 'empty_one')?.relations).toEqual([]);

    const shop = overview.schemas.find((s) => s.name === 'shop')!;
    expect(shop.relations.map((r) => [r.name, r.kind])).toEqual([
      ['cheap_deals', 'view'],
      ['deals', 'table'],
      ['deals_per_hotel', 'materialized view'],
      ['hotels', 'table'],
      ['regions', 'table'],
    ]);
    const hotels = shop.relations.find((r) => r.name === 'hotels')!;
    expect(hotels).toMatchObject({
      rowEstimate: 500,
      columnCount: 3,
      indexCount: 1,
      comment: 'one row per hotel',
    });
    expect(hotels.totalBytes).toBeGreaterThan(0);
    expect(hotels.totalSize).toMatch(/kB$/);
    const deals = shop.relations.find((r) => r.name === 'deals')!;
    expect(deals).toMatchObject({ rowEstimate: null, columnCount: 7, indexCount: 3 });
    const view = shop.relations.find((r) => r.name === 'cheap_deals')!;
    expect(view).toMatchObject({
      rowEstimate: null,
      totalBytes: null,
      totalSize: null,
      columnCount: 2,
      indexCount: 0,
    });
  });

  test('reports a hostile schema, table and column name exactly', async () => {
    const overview = await getCatalogOverview(db.pool);
    const hostile = overview.schemas.find((s) => s.name === HOSTILE)!;
    expect(hostile.relations.map((r) => r.name)).toEqual([HOSTILE]);
    expect(hostile.relations[0]).toMatchObject({ columnCount: 3, indexCount: 2 });
  });
});

describe('table detail', () => {
  test('columns: type, nullability, defaults, identity, generated, keys', async () => {
    const detail = tableDetailSchema.parse(await getTableDetail(db.pool, 'shop', 'deals'));
    expect(detail.relation).toMatchObject({ schema: 'shop', name: 'deals', kind: 'table' });
    expect(
      detail.columns.map((c) => [c.name, c.type, c.nullable, c.inPrimaryKey, c.inForeignKey]),
    ).toEqual([
      ['id', 'bigint', false, true, false],
      ['hotel_id', 'bigint', false, false, true],
      ['region', 'text', true, false, true],
      ['country', 'text', true, false, true],
      ['price_per_night', 'numeric(10,2)', true, false, false],
      ['price_with_tax', 'numeric', true, false, false],
      ['created_at', 'timestamp with time zone', true, false, false],
    ]);
    const byName = Object.fromEntries(detail.columns.map((c) => [c.name, c]));
    expect(byName.created_at).toMatchObject({ default: 'now()', generated: false, identity: null });
    expect(byName.price_with_tax).toMatchObject({
      default: '(price_per_night * 1.2)',
      generated: true,
    });

    const hotels = await getTableDetail(db.pool, 'shop', 'hotels');
    expect(hotels!.columns[0]).toMatchObject({ name: 'id', identity: 'always', default: null });
    expect(hotels!.columns[1]).toMatchObject({
      name: 'city',
      default: "'Paris'::text",
      nullable: false,
    });
  });

  test('indexes with their definitions', async () => {
    const detail = await getTableDetail(db.pool, 'shop', 'deals');
    expect(detail!.indexes.map((i) => [i.name, i.unique, i.primary, i.valid, i.method])).toEqual([
      ['deals_pkey', true, true, true, 'btree'],
      ['deals_created_idx', false, false, true, 'btree'],
      ['deals_hotel_day_idx', true, false, true, 'btree'],
    ]);
    expect(detail!.indexes[1]!.definition).toBe(
      'CREATE INDEX deals_created_idx ON shop.deals USING btree (created_at DESC)',
    );
    expect(detail!.indexes[0]!.size).toMatch(/bytes|kB/);
  });

  test('foreign keys in both directions, with column order and actions', async () => {
    const deals = await getTableDetail(db.pool, 'shop', 'deals');
    expect(deals!.foreignKeys.incoming).toEqual([]);
    expect(deals!.foreignKeys.outgoing).toEqual([
      {
        name: 'deals_hotel_fk',
        fromSchema: 'shop',
        fromTable: 'deals',
        fromColumns: ['hotel_id'],
        toSchema: 'shop',
        toTable: 'hotels',
        toColumns: ['id'],
        onUpdate: 'no action',
        onDelete: 'cascade',
        definition: 'FOREIGN KEY (hotel_id) REFERENCES shop.hotels(id) ON DELETE CASCADE',
      },
      expect.objectContaining({
        name: 'deals_region_fk',
        fromColumns: ['region', 'country'],
        toTable: 'regions',
        toColumns: ['region', 'country'],
        onUpdate: 'set null',
        onDelete: 'no action',
      }),
    ]);

    const hotels = await getTableDetail(db.pool, 'shop', 'hotels');
    // the self-reference is both outgoing and incoming
    expect(hotels!.foreignKeys.outgoing.map((k) => k.name)).toEqual(['hotels_parent_id_fkey']);
    expect(
      hotels!.foreignKeys.incoming.map((k) => [k.fromSchema, k.fromTable, k.fromColumns]),
    ).toEqual([
      [HOSTILE, HOSTILE, ['hotel_id']],
      ['shop', 'deals', ['hotel_id']],
      ['shop', 'hotels', ['parent_id']],
    ]);
  });

  test('triggers with their enabled state, timing, events and function', async () => {
    const detail = await getTableDetail(db.pool, 'shop', 'deals');
    expect(
      detail!.triggers.map((t) => [
        t.name,
        t.state,
        t.timing,
        t.level,
        t.events,
        `${t.functionSchema}.${t.functionName}`,
      ]),
    ).toEqual([
      ['_100_touch', 'enabled', 'after', 'statement', ['insert', 'update'], 'shop.touch'],
      ['_200_touch_row', 'enabled', 'before', 'row', ['delete'], 'shop.touch'],
      ['_300_off', 'disabled', 'after', 'statement', ['truncate'], 'shop.touch'],
      ['_400_replica', 'replica', 'after', 'statement', ['delete'], 'shop.touch'],
    ]);
    expect(detail!.triggers[0]!.definition).toContain(
      'CREATE TRIGGER _100_touch AFTER INSERT OR UPDATE ON shop.deals',
    );
    // foreign-key triggers are internal and not listed
    const hotels = await getTableDetail(db.pool, 'shop', 'hotels');
    expect(hotels!.triggers).toEqual([]);
  });

  test('views and materialized views are marked, with their definition', async () => {
    const view = await getTableDetail(db.pool, 'shop', 'cheap_deals');
    expect(view!.relation.kind).toBe('view');
    expect(view!.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'bigint'],
      ['price_per_night', 'numeric(10,2)'],
    ]);
    // the deparsed text differs between server versions (15 qualifies columns, 18 does not)
    expect(view!.viewDefinition).toMatch(/WHERE \(?(deals\.)?price_per_night < 50/);
    const matview = await getTableDetail(db.pool, 'shop', 'deals_per_hotel');
    expect(matview!.relation.kind).toBe('materialized view');
    expect(matview!.viewDefinition).toMatch(/GROUP BY (deals\.)?hotel_id/);
    const table = await getTableDetail(db.pool, 'shop', 'deals');
    expect(table!.viewDefinition).toBeNull();
  });

  test('hostile names are looked up as parameters and reported exactly; nothing is dropped', async () => {
    const detail = tableDetailSchema.parse(await getTableDetail(db.pool, HOSTILE, HOSTILE));
    expect(detail.relation).toMatchObject({ schema: HOSTILE, name: HOSTILE });
    expect(detail.columns.map((c) => c.name)).toEqual([HOSTILE, 'Mixed Case', 'hotel_id']);
    expect(detail.columns[0]).toMatchObject({
      inPrimaryKey: true,
      nullable: false,
      type: 'integer',
    });
    expect(detail.indexes.map((i) => i.name)).toEqual([
      `${HOSTILE.slice(0, 58)}_pkey`,
      `${HOSTILE} idx`,
    ]);
    expect(detail.indexes[1]!.definition).toBe(
      `CREATE INDEX "a""; drop table x; -- idx" ON "a""; drop table x; --"."a""; drop table x; --" USING btree ("Mixed Case")`,
    );
    expect(detail.foreignKeys.outgoing[0]).toMatchObject({
      fromSchema: HOSTILE,
      fromTable: HOSTILE,
      fromColumns: ['hotel_id'],
    });

    // The names as *values* must never reach SQL text: x still exists, and so does everything else.
    expect(await getTableDetail(db.pool, 'public', 'x')).not.toBeNull();
    const { rows } = await db.pool.query(`SELECT to_regclass('public.x') IS NOT NULL AS exists`);
    expect(rows[0].exists).toBe(true);
    expect(await getTableDetail(db.pool, 'public', `x'; drop table x; --`)).toBeNull();
    expect(await getTableDetail(db.pool, HOSTILE, 'x')).toBeNull();
  });

  test('missing tables, system schemas and non-relations give null', async () => {
    expect(await getTableDetail(db.pool, 'shop', 'nope')).toBeNull();
    expect(await getTableDetail(db.pool, 'SHOP', 'deals')).toBeNull();
    expect(await getTableDetail(db.pool, 'pg_catalog', 'pg_class')).toBeNull();
    expect(await getTableDetail(db.pool, 'tally', 'summaries')).toBeNull();
    expect(await getTableDetail(db.pool, 'shop', 'deals_pkey')).toBeNull();
  });
});

describe('server info', () => {
  test('names the database and version, never credentials', async () => {
    const info = await getServerInfo(db.pool);
    expect(info.database).toBe(db.name);
    expect(info.host).toBe('127.0.0.1');
    expect(info.port).toBe(Number(new URL(db.url).port));
    expect(info.versionNum).toBeGreaterThanOrEqual(150000);
    expect(info.version).toMatch(/^\d+(\.\d+)?/);
  });
});
