import type { DefinitionInput } from '../../lib/definition/definition';

/**
 * Golden cases: a source schema, a definition, and writes that exercise every path of the
 * generated triggers (rows moving between groups and in/out of the WHERE, NULL keys, groups
 * emptied, multi-row statements, TRUNCATE). test/golden/<name>.sql holds the expected SQL.
 */
export interface GoldenCase {
  readonly name: string;
  readonly setup: string;
  readonly def: DefinitionInput;
  readonly writes: readonly string[];
  /** relations that must survive the uninstall */
  readonly survivors: readonly string[];
}

const EVIL_SCHEMA = 'a"; drop table x; --';
const EVIL_TABLE = 'b"; drop table x; --';
const EVIL_TARGET = "t'; drop table x; --";
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    name: 'talk_time',
    setup: `
      CREATE SCHEMA crm;
      CREATE TABLE crm.admin_user_call_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id integer,
        duration integer,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO crm.admin_user_call_log (user_id, duration)
      SELECT CASE WHEN i % 9 = 0 THEN NULL ELSE i % 5 END, CASE WHEN i % 7 = 0 THEN NULL ELSE i % 11 - 2 END
      FROM generate_series(1, 60) AS i;`,
    def: {
      shape: 'aggregate',
      name: 'user_talk_time',
      source: { schema: 'crm', table: 'admin_user_call_log' },
      groupBy: [{ kind: 'column', column: 'user_id' }],
      aggregates: [
        { name: 'total_talk_time', fn: 'sum', arg: 'duration', filter: 'duration > 0' },
        { name: 'calls', fn: 'count' },
      ],
    },
    writes: [
      `INSERT INTO crm.admin_user_call_log (user_id, duration) VALUES (1, 30), (2, -5), (NULL, 12), (77, NULL)`,
      `UPDATE crm.admin_user_call_log SET user_id = user_id + 1 WHERE id % 4 = 0`,
      `UPDATE crm.admin_user_call_log SET user_id = NULL WHERE id % 10 = 3`,
      `UPDATE crm.admin_user_call_log SET duration = -duration WHERE id % 3 = 0`,
      `UPDATE crm.admin_user_call_log SET created_at = created_at + interval '1 day'`,
      `DELETE FROM crm.admin_user_call_log WHERE user_id = 77`,
      `DELETE FROM crm.admin_user_call_log WHERE duration > 5`,
      `UPDATE crm.admin_user_call_log SET duration = NULL WHERE user_id = 2`,
      `TRUNCATE crm.admin_user_call_log`,
      `INSERT INTO crm.admin_user_call_log (user_id, duration) VALUES (5, 0), (5, 9)`,
    ],
    survivors: ['crm.admin_user_call_log'],
  },
  {
    name: 'every_aggregate',
    setup: `
      CREATE SCHEMA shop;
      CREATE TABLE shop.orders (
        id bigint PRIMARY KEY,
        customer_id integer NOT NULL,
        region text,
        placed_at timestamp NOT NULL,
        amount numeric(12,2),
        qty integer,
        weight double precision,
        paid boolean,
        data jsonb NOT NULL DEFAULT '{}',
        tag text,
        deleted_at timestamp
      );
      INSERT INTO shop.orders
      SELECT i, i % 7, (ARRAY['north', 'south', NULL])[1 + i % 3], timestamp '2024-03-01' + (i % 4) * interval '13 hours',
             CASE WHEN i % 6 = 0 THEN NULL ELSE (i % 50) * 1.25 END, CASE WHEN i % 8 = 0 THEN NULL ELSE i % 5 - 1 END,
             (i % 9) * 0.5, CASE WHEN i % 10 = 0 THEN NULL ELSE i % 3 > 0 END,
             jsonb_build_object('status', CASE WHEN i % 11 = 0 THEN 'draft' ELSE 'ok' END, 'channel', (ARRAY['web', 'app', NULL])[1 + i % 3]),
             'tag' || (i % 4), CASE WHEN i % 13 = 0 THEN timestamp '2024-04-01' END
      FROM generate_series(1, 120) AS i;`,
    def: {
      shape: 'aggregate',
      name: 'orders_daily',
      source: { schema: 'shop', table: 'orders' },
      filter: `deleted_at IS NULL AND data->>'status' <> 'draft'`,
      groupBy: [
        { kind: 'column', column: 'region' },
        { kind: 'expression', expr: 'placed_at::date', name: 'day' },
        { kind: 'expression', expr: `data->>'channel'`, name: 'channel' },
      ],
      aggregates: [
        { name: 'orders', fn: 'count' },
        { name: 'paid_orders', fn: 'count', filter: 'paid' },
        { name: 'with_qty', fn: 'count', arg: 'qty' },
        { name: 'revenue', fn: 'sum', arg: 'amount', filter: 'paid' },
        { name: 'units', fn: 'sum', arg: 'qty' },
        { name: 'avg_amount', fn: 'avg', arg: 'amount' },
        { name: 'avg_qty', fn: 'avg', arg: 'qty' },
        { name: 'avg_weight', fn: 'avg', arg: 'weight' },
        { name: 'first_order', fn: 'min', arg: 'placed_at' },
        { name: 'biggest', fn: 'max', arg: 'amount', filter: 'qty > 0' },
        { name: 'all_paid', fn: 'bool_and', arg: 'paid' },
        { name: 'any_paid', fn: 'bool_or', arg: 'paid' },
        { name: 'customers', fn: 'count_distinct', arg: 'customer_id' },
        { name: 'tags', fn: 'array_agg', arg: 'tag', orderBy: [{ expr: 'placed_at', direction: 'desc' }, { expr: 'id' }] },
      ],
    },
    writes: [
      `INSERT INTO shop.orders (id, customer_id, region, placed_at, amount, qty, weight, paid, data, tag)
       VALUES (1001, 1, 'east', '2024-03-05 10:00', 999.99, 3, 1.5, true, '{"status":"ok","channel":"web"}', 'new'),
              (1002, 2, NULL, '2024-03-01 00:00', 0.01, 0, 0, false, '{"status":"ok"}', 'null-key'),
              (1003, 3, 'north', '2024-03-01 01:00', NULL, NULL, NULL, NULL, '{"status":"draft","channel":"web"}', 'draft')`,
      `UPDATE shop.orders SET region = 'east' WHERE id % 5 = 0`,
      `UPDATE shop.orders SET region = NULL, data = data - 'channel' WHERE id % 7 = 1`,
      `UPDATE shop.orders SET data = jsonb_set(data, '{status}', '"draft"') WHERE id % 6 = 2`,
      `UPDATE shop.orders SET deleted_at = NULL WHERE deleted_at IS NOT NULL`,
      `UPDATE shop.orders SET amount = amount + 100 WHERE id = (SELECT id FROM shop.orders WHERE qty > 0 AND amount IS NOT NULL ORDER BY amount DESC LIMIT 1)`,
      `DELETE FROM shop.orders WHERE amount = (SELECT max(amount) FROM shop.orders WHERE qty > 0)`,
      `DELETE FROM shop.orders WHERE placed_at = (SELECT min(placed_at) FROM shop.orders) AND id % 2 = 0`,
      `UPDATE shop.orders SET paid = NOT paid WHERE id % 4 = 1`,
      `UPDATE shop.orders SET customer_id = customer_id + 1 WHERE id % 3 = 0`,
      `UPDATE shop.orders SET note_free = 1 WHERE false`.replace('note_free', 'qty'),
      `UPDATE shop.orders SET tag = tag || '!' WHERE id % 2 = 1`,
      `UPDATE shop.orders SET placed_at = placed_at + interval '1 day' WHERE region = 'south'`,
      `DELETE FROM shop.orders WHERE region = 'north'`,
      `UPDATE shop.orders SET weight = weight * 2, qty = qty + 1`,
      `DELETE FROM shop.orders WHERE id % 2 = 0`,
      `TRUNCATE shop.orders`,
      `INSERT INTO shop.orders (id, customer_id, region, placed_at, amount, qty, weight, paid, tag) VALUES (1, 1, NULL, '2024-01-01', 1, 1, 1, true, 'x')`,
    ],
    survivors: ['shop.orders'],
  },
  {
    name: 'no_group_by',
    setup: `
      CREATE SCHEMA metrics;
      CREATE TABLE metrics.readings (id serial PRIMARY KEY, sensor text, value integer, ok boolean);
      INSERT INTO metrics.readings (sensor, value, ok)
      SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE 's' || (i % 3) END, i % 17 - 4, i % 4 > 0 FROM generate_series(1, 40) AS i;`,
    def: {
      shape: 'aggregate',
      name: 'readings_total',
      source: { schema: 'metrics', table: 'readings' },
      filter: 'sensor IS NOT NULL',
      groupBy: [],
      aggregates: [
        { name: 'n', fn: 'count' },
        { name: 'total', fn: 'sum', arg: 'value' },
        { name: 'lowest', fn: 'min', arg: 'value' },
        { name: 'highest', fn: 'max', arg: 'value' },
        { name: 'mean', fn: 'avg', arg: 'value' },
        { name: 'sensors', fn: 'count_distinct', arg: 'sensor' },
        { name: 'all_ok', fn: 'bool_and', arg: 'ok' },
      ],
    },
    writes: [
      `INSERT INTO metrics.readings (sensor, value, ok) VALUES ('s9', 1000, true), (NULL, -1000, false)`,
      `DELETE FROM metrics.readings WHERE value = (SELECT max(value) FROM metrics.readings)`,
      `UPDATE metrics.readings SET sensor = NULL WHERE id % 3 = 0`,
      `UPDATE metrics.readings SET ok = true`,
      `DELETE FROM metrics.readings WHERE sensor IS NOT NULL`,
      `INSERT INTO metrics.readings (sensor, value, ok) VALUES ('s1', NULL, NULL)`,
      `UPDATE metrics.readings SET value = 5 WHERE sensor = 's1'`,
      `TRUNCATE metrics.readings`,
      `INSERT INTO metrics.readings (sensor, value, ok) VALUES ('s1', 3, false), ('s2', 4, true)`,
    ],
    survivors: ['metrics.readings'],
  },
  {
    name: 'hostile_names',
    setup: `
      CREATE SCHEMA ${q(EVIL_SCHEMA)};
      CREATE SCHEMA ${q(EVIL_TARGET)};
      CREATE TABLE public.x (v int);
      INSERT INTO public.x VALUES (1);
      CREATE TABLE ${q(EVIL_SCHEMA)}.${q(EVIL_TABLE)} (
        id serial PRIMARY KEY,
        ${q('k"; drop table x; --')} text,
        ${q('line\nbreak')} integer,
        ${q("it's $tally$")} integer,
        s integer, t integer, d integer, c integer, e integer, slot integer,
        _tally_slots integer,
        "Group" text
      );
      INSERT INTO ${q(EVIL_SCHEMA)}.${q(EVIL_TABLE)} (${q('k"; drop table x; --')}, ${q('line\nbreak')}, ${q("it's $tally$")}, s, t, d, c, e, slot, _tally_slots, "Group")
      SELECT CASE WHEN i % 4 = 0 THEN NULL ELSE 'k' || (i % 3) END, i, i % 5, i % 2, i % 3, i, i, i, i, i % 6, 'g' || (i % 2)
      FROM generate_series(1, 30) AS i;`,
    def: {
      shape: 'aggregate',
      name: 'hostile',
      target: { schema: EVIL_TARGET, table: 't"; drop table x; --' },
      source: { schema: EVIL_SCHEMA, table: EVIL_TABLE },
      filter: `${q("it's $tally$")} <> 4 AND _tally_slots >= 0`,
      groupBy: [
        { kind: 'column', column: 'k"; drop table x; --' },
        { kind: 'column', column: 's', name: 'line\nbreak key' },
        { kind: 'expression', expr: `"Group" || '$tally$'`, name: 'Group' },
      ],
      aggregates: [
        { name: 'select', fn: 'count' },
        { name: 'from"; --', fn: 'sum', arg: q('line\nbreak'), filter: 't > 0' },
        { name: "it's", fn: 'min', arg: q("it's $tally$") },
        { name: 'd', fn: 'max', arg: 'd + c + e + slot' },
        { name: 'distinct t', fn: 'count_distinct', arg: 't' },
      ],
    },
    writes: [
      `INSERT INTO ${q(EVIL_SCHEMA)}.${q(EVIL_TABLE)} (${q('k"; drop table x; --')}, ${q('line\nbreak')}, ${q("it's $tally$")}, s, t, d, c, e, slot, _tally_slots, "Group")
       VALUES ('k1', 5, 0, 1, 1, 1, 1, 1, 1, 0, 'g0'), (NULL, 6, 9, 0, 0, 0, 0, 0, 0, 1, 'g1')`,
      `UPDATE ${q(EVIL_SCHEMA)}.${q(EVIL_TABLE)} SET s = 1 - s WHERE id % 3 = 0`,
      `UPDATE ${q(EVIL_SCHEMA)}.${q(EVIL_TABLE)} SET ${q("it's $tally$")} = 4 WHERE id % 5 = 1`,
      `DELETE FROM ${q(EVIL_SCHEMA)}.${q(EVIL_TABLE)} WHERE ${q("it's $tally$")} = 0`,
      `UPDATE ${q(EVIL_SCHEMA)}.${q(EVIL_TABLE)} SET ${q('k"; drop table x; --')} = NULL WHERE id % 2 = 0`,
      `DELETE FROM ${q(EVIL_SCHEMA)}.${q(EVIL_TABLE)} WHERE d = (SELECT max(d) FROM ${q(EVIL_SCHEMA)}.${q(EVIL_TABLE)})`,
      `TRUNCATE ${q(EVIL_SCHEMA)}.${q(EVIL_TABLE)}`,
      `INSERT INTO ${q(EVIL_SCHEMA)}.${q(EVIL_TABLE)} (s, t, _tally_slots) VALUES (1, 1, 1)`,
    ],
    survivors: [`${q(EVIL_SCHEMA)}.${q(EVIL_TABLE)}`, 'public.x'],
  },
  {
    name: 'long_names',
    setup: `
      CREATE SCHEMA ${q('ééééééééééééééééééééééééééééééé_')};
      CREATE TABLE ${q('ééééééééééééééééééééééééééééééé_')}.events (
        id serial PRIMARY KEY,
        ${q('k'.repeat(63))} integer,
        val integer
      );
      INSERT INTO ${q('ééééééééééééééééééééééééééééééé_')}.events (${q('k'.repeat(63))}, val)
      SELECT i % 4, i FROM generate_series(1, 20) AS i;`,
    def: {
      shape: 'aggregate',
      name: 'a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi',
      source: { schema: 'ééééééééééééééééééééééééééééééé_', table: 'events' },
      groupBy: [{ kind: 'column', column: 'k'.repeat(63) }],
      aggregates: [
        { name: 'sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh', fn: 'sum', arg: 'val' },
        { name: 'lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi', fn: 'min', arg: 'val' },
        { name: 'ä'.repeat(31), fn: 'avg', arg: 'val' },
      ],
    },
    writes: [
      `INSERT INTO ${q('ééééééééééééééééééééééééééééééé_')}.events (${q('k'.repeat(63))}, val) VALUES (9, -1), (NULL, 2)`,
      `DELETE FROM ${q('ééééééééééééééééééééééééééééééé_')}.events WHERE val = (SELECT min(val) FROM ${q('ééééééééééééééééééééééééééééééé_')}.events)`,
      `UPDATE ${q('ééééééééééééééééééééééééééééééé_')}.events SET ${q('k'.repeat(63))} = NULL WHERE id % 3 = 0`,
      `DELETE FROM ${q('ééééééééééééééééééééééééééééééé_')}.events WHERE id % 2 = 0`,
    ],
    survivors: [`${q('ééééééééééééééééééééééééééééééé_')}.events`],
  },
  {
    name: 'min_max_not_null_keys',
    setup: `
      CREATE SCHEMA fin;
      CREATE TABLE fin.pnl_daily (
        entity_id integer NOT NULL,
        pnl_date date NOT NULL,
        pnl numeric(14,2) NOT NULL,
        PRIMARY KEY (entity_id, pnl_date)
      );
      INSERT INTO fin.pnl_daily SELECT e, date '2024-01-01' + d, (e * d) % 97 - 40 FROM generate_series(1, 5) e, generate_series(0, 20) d;`,
    def: {
      shape: 'aggregate',
      name: 'pnl_range',
      source: { schema: 'fin', table: 'pnl_daily' },
      groupBy: [{ kind: 'column', column: 'entity_id' }],
      aggregates: [
        { name: 'first_date', fn: 'min', arg: 'pnl_date' },
        { name: 'last_date', fn: 'max', arg: 'pnl_date' },
        { name: 'days', fn: 'count' },
        { name: 'total', fn: 'sum', arg: 'pnl' },
        { name: 'always_positive', fn: 'bool_and', arg: 'pnl > 0' },
      ],
    },
    writes: [
      `DELETE FROM fin.pnl_daily WHERE pnl_date = date '2024-01-01'`,
      `DELETE FROM fin.pnl_daily WHERE entity_id = 2 AND pnl_date > date '2024-01-15'`,
      `UPDATE fin.pnl_daily SET pnl_date = pnl_date - 30 WHERE entity_id = 3 AND pnl_date = date '2024-01-10'`,
      `UPDATE fin.pnl_daily SET entity_id = 9 WHERE entity_id = 4`,
      `UPDATE fin.pnl_daily SET pnl = abs(pnl) + 1 WHERE entity_id = 1`,
      `INSERT INTO fin.pnl_daily VALUES (1, date '2023-06-01', -5), (6, date '2024-06-01', 5)`,
      `DELETE FROM fin.pnl_daily WHERE entity_id = 6`,
    ],
    survivors: ['fin.pnl_daily'],
  },
  {
    name: 'special_values',
    setup: `
      CREATE SCHEMA lab;
      CREATE TABLE lab.samples (id serial PRIMARY KEY, grp text NOT NULL, x double precision, n numeric, span interval, price money);
      INSERT INTO lab.samples (grp, x, n, span, price)
      SELECT 'g' || (i % 3), i * 0.5, i * 1.5, i * interval '90 minutes', (i * 2)::money FROM generate_series(1, 12) AS i;`,
    def: {
      shape: 'aggregate',
      name: 'sample_stats',
      source: { schema: 'lab', table: 'samples' },
      groupBy: [{ kind: 'column', column: 'grp' }],
      aggregates: [
        { name: 'sum_x', fn: 'sum', arg: 'x' },
        { name: 'avg_x', fn: 'avg', arg: 'x' },
        { name: 'sum_n', fn: 'sum', arg: 'n' },
        { name: 'avg_span', fn: 'avg', arg: 'span' },
        { name: 'sum_span', fn: 'sum', arg: 'span' },
        { name: 'revenue', fn: 'sum', arg: 'price' },
      ],
    },
    writes: [
      `INSERT INTO lab.samples (grp, x, n) VALUES ('g0', 'Infinity', 'NaN'), ('g1', '-Infinity', 'Infinity'), ('g1', 'Infinity', '-Infinity')`,
      `DELETE FROM lab.samples WHERE x = '-Infinity'`,
      `DELETE FROM lab.samples WHERE n = 'NaN'`,
      `UPDATE lab.samples SET x = 'NaN' WHERE id = 2`,
      `UPDATE lab.samples SET x = 1 WHERE x = 'NaN' OR x = 'Infinity'`,
      `UPDATE lab.samples SET price = price * -1, span = -span WHERE id % 2 = 0`,
      `DELETE FROM lab.samples WHERE grp = 'g2'`,
    ],
    survivors: ['lab.samples'],
  },
];
