import { beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from './helpers/db';
import { quoteIdent } from '../lib/db/ident';
import type { Definition, DefinitionInput } from '../lib/definition/definition';
import { validateDefinition } from '../lib/definition/validate-definition';
import { DatabaseError, DefinitionError } from '../lib/errors';
import { listAuditEntries } from '../lib/summary/audit-log';
import { compareWithTruth } from '../lib/summary/compare';
import { createSummary } from '../lib/summary/create-summary';
import { dropSummary } from '../lib/summary/drop-summary';
import { previewSummary } from '../lib/summary/preview-summary';
import { rebuildSummary } from '../lib/summary/rebuild-summary';
import { getSummary } from '../lib/summary/registry';
import { getSummaryDetail, listSummaryViews } from '../lib/summary/summary-overview';
import {
  previewResultSchema,
  summaryDetailSchema,
  summaryListItemSchema,
} from '../lib/summary/summary-views';

/**
 * The lib/ functions behind the console's summary pages: preview (parse → resolve → generate,
 * issues as data), the list and detail views with broken-trigger detection, the audit log
 * reader, and rebuild (edit = drop + create in one transaction, version + 1).
 */

const db = await createTestDatabase();
const ACTOR = 'console-test';
const HOSTILE = 'a"; drop table x; --';

const byCustomer: DefinitionInput = {
  shape: 'aggregate',
  name: 'by_customer',
  source: { schema: 'shop', table: 'orders' },
  groupBy: [{ kind: 'column', column: 'customer_id' }],
  aggregates: [
    { name: 'orders', fn: 'count' },
    { name: 'total', fn: 'sum', arg: 'total' },
  ],
};

beforeAll(async () => {
  await db.pool.query(`
    CREATE SCHEMA shop;
    CREATE TABLE shop.orders (
      id bigint PRIMARY KEY, customer_id int NOT NULL, status text, total numeric(12,2), placed_at timestamptz NOT NULL
    );
    INSERT INTO shop.orders
      SELECT g, g % 40, (ARRAY['new','paid','shipped'])[1 + g % 3], g * 0.5, timestamptz '2025-01-01' + g * interval '3 hours'
      FROM generate_series(1, 4000) g;
    ANALYZE shop.orders;
    CREATE TABLE shop.${quoteIdent(HOSTILE)} (${quoteIdent(HOSTILE)} int, note text);
    INSERT INTO shop.${quoteIdent(HOSTILE)} SELECT g % 5, 'n' || (g % 3) FROM generate_series(1, 50) g;
    CREATE TABLE public.x (v int);
  `);
});

async function exact(name: string): Promise<void> {
  const s = await getSummary(db.pool, name);
  const cols = [
    ...s.definition.groupBy.map((k) => (k.kind === 'column' ? (k.name ?? k.column) : k.name)),
    ...s.definition.aggregates.map((a) => a.name),
  ];
  const r = await compareWithTruth(
    db.pool,
    { schema: s.targetSchema, table: s.targetTable },
    s.definingQuery,
    cols,
  );
  expect(r, `${name} equals its defining query`).toMatchObject({ missing: 0, extra: 0 });
}

describe('previewSummary', () => {
  test('a form definition: sections, warnings, locks, and an estimate from pg_stats', async () => {
    const r = await previewSummary(db.pool, { mode: 'form', definition: byCustomer });
    previewResultSchema.parse(r);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.definingQuery).toContain('FROM shop.orders');
    expect(r.sections.map((s) => s.id)).toEqual([
      'table',
      'guard',
      'maintenance',
      'triggers',
      'populate',
    ]);
    expect(r.locks.find((l) => l.by === 'CREATE TRIGGER')).toMatchObject({
      table: 'shop.orders',
      mode: 'SHARE ROW EXCLUSIVE',
    });
    expect(r.locks.find((l) => l.by === 'CREATE TRIGGER')!.effect).toContain(
      'lock_timeout = 5000 ms',
    );
    expect(r.estimate).toMatchObject({ basis: 'pg_stats', groups: 40, sourceRows: 4000 });
    expect(r.concurrentIndexes).toEqual([]);
  });

  test('expression keys are estimated by the planner; a recompute aggregate needs a concurrent index', async () => {
    const r = await previewSummary(db.pool, {
      mode: 'form',
      lockTimeoutMs: 1234,
      definition: {
        ...byCustomer,
        name: 'by_day',
        groupBy: [
          { kind: 'expression', expr: "(placed_at AT TIME ZONE 'UTC')::date", name: 'day' },
        ],
        aggregates: [{ name: 'customers', fn: 'count_distinct', arg: 'customer_id' }],
      },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.estimate.basis).toBe('planner');
    expect(r.estimate.groups).toBeGreaterThan(0);
    expect(r.concurrentIndexes).toHaveLength(1);
    expect(r.concurrentIndexes[0]!.drop).toBe(
      'DROP INDEX CONCURRENTLY IF EXISTS shop.tally_by_day_src',
    );
    expect(r.warnings.map((w) => w.code)).toContain('source_index_created');
    expect(r.locks.map((l) => l.mode)).toEqual(['SHARE UPDATE EXCLUSIVE', 'SHARE ROW EXCLUSIVE']);
    expect(r.locks[1]!.effect).toContain('1234 ms');
  });

  test('database problems come back as issues on the field at fault', async () => {
    const r = await previewSummary(db.pool, {
      mode: 'form',
      definition: {
        ...byCustomer,
        groupBy: [{ kind: 'column', column: 'nope' }],
      },
    });
    expect(r).toEqual({
      ok: false,
      issues: [expect.objectContaining({ field: 'groupBy.0.column' })],
    });

    const volatile = await previewSummary(db.pool, {
      mode: 'form',
      definition: {
        ...byCustomer,
        groupBy: [{ kind: 'expression', expr: "date_trunc('day', placed_at)", name: 'day' }],
      },
    });
    expect(volatile.ok).toBe(false);
    if (!volatile.ok) {
      expect(volatile.issues[0]!.field).toBe('groupBy.0.expr');
      expect(volatile.issues[0]!.hint ?? volatile.issues[0]!.message).toMatch(/AT TIME ZONE/);
    }

    const typed = await previewSummary(db.pool, {
      mode: 'form',
      definition: { ...byCustomer, aggregates: [{ name: 's', fn: 'sum', arg: 'status' }] },
    });
    expect(typed.ok === false && typed.issues[0]!.field).toBe('aggregates.0.arg');

    const schema = await previewSummary(db.pool, {
      mode: 'form',
      definition: { ...byCustomer, name: 'Bad Name' },
    });
    expect(schema.ok === false && schema.issues[0]!.field).toBe('name');
  });

  test('pasted SQL: filled definition, or the unsupported part at its position', async () => {
    const ok = await previewSummary(db.pool, {
      mode: 'sql',
      name: 'pasted',
      sql: 'SELECT customer_id, count(*) FROM shop.orders WHERE status <> $$new$$ GROUP BY 1',
    });
    if (!ok.ok) throw new Error(JSON.stringify(ok.issues));
    expect(ok.definition).toMatchObject({
      name: 'pasted',
      source: { schema: 'shop', table: 'orders' },
      groupBy: [{ kind: 'column', column: 'customer_id' }],
    });

    const sql = 'SELECT customer_id, string_agg(status, ",") FROM shop.orders GROUP BY 1';
    const bad = await previewSummary(db.pool, { mode: 'sql', name: 'pasted', sql });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.issues[0]).toMatchObject({
        field: 'sql',
        position: sql.indexOf('string_agg') + 1,
      });
      expect(bad.issues[0]!.message).toMatch(/string_agg/);
    }
  });

  test('a name already taken, by a summary or by a table', async () => {
    const taken = await previewSummary(db.pool, {
      mode: 'form',
      definition: { ...byCustomer, name: 'orders' },
    });
    expect(taken).toEqual({
      ok: false,
      issues: [expect.objectContaining({ field: 'name', message: 'shop.orders already exists' })],
    });
  });

  test('hostile table and column names preview and apply', async () => {
    const def: DefinitionInput = {
      shape: 'aggregate',
      name: 'hostile_notes',
      source: { schema: 'shop', table: HOSTILE },
      groupBy: [{ kind: 'column', column: HOSTILE }],
      aggregates: [{ name: 'notes', fn: 'count_distinct', arg: 'note' }],
    };
    const r = await previewSummary(db.pool, { mode: 'form', definition: def });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.definingQuery).toContain('"a""; drop table x; --"');
    await createSummary(db.pool, validateDefinition(def), { actor: ACTOR });
    await exact('hostile_notes');
    expect((await db.pool.query('SELECT count(*) FROM public.x')).rowCount).toBe(1);
    await dropSummary(db.pool, 'hostile_notes', { actor: ACTOR });
  });
});

describe('list, detail and audit views', () => {
  test('a disabled trigger makes a summary broken; the detail names it', async () => {
    await createSummary(db.pool, validateDefinition({ ...byCustomer, name: 'views_a' }), {
      actor: ACTOR,
    });
    let list = await listSummaryViews(db.pool);
    const a = list.find((s) => s.name === 'views_a')!;
    summaryListItemSchema.parse(a);
    expect(a).toMatchObject({
      healthy: true,
      problems: [],
      rows: 40,
      status: 'ready',
      keys: ['customer_id'],
    });
    expect(a.aggregates).toEqual(['count(*)', 'sum(total)']);

    await db.pool.query('ALTER TABLE shop.orders DISABLE TRIGGER tally_100_views_a_upd');
    list = await listSummaryViews(db.pool);
    const broken = list.find((s) => s.name === 'views_a')!;
    expect(broken.healthy).toBe(false);
    expect(broken.problems).toEqual([
      expect.stringMatching(/^update trigger tally_100_views_a_upd: disabled/),
    ]);

    const detail = summaryDetailSchema.parse(await getSummaryDetail(db.pool, 'views_a'));
    expect(detail.objects.find((o) => o.name === 'tally_100_views_a_upd')).toMatchObject({
      ok: false,
      triggerState: 'disabled',
    });
    expect(detail.usedBy).toEqual([]);
    await db.pool.query('ALTER TABLE shop.orders ENABLE TRIGGER tally_100_views_a_upd');
    await dropSummary(db.pool, 'views_a', { actor: ACTOR });
  });

  test('the audit log: newest first, filtered, paged by id', async () => {
    const all = await listAuditEntries(db.pool, { summary: 'views_a' });
    expect(all.entries.length).toBeGreaterThan(5);
    expect(all.entries[0]!.action).toBe('drop');
    expect(all.entries.every((e) => e.summaryName === 'views_a')).toBe(true);
    expect(all.summaries).toContain('views_a');
    const page = await listAuditEntries(db.pool, { summary: 'views_a', limit: 2 });
    expect(page.entries).toHaveLength(2);
    expect(page.nextBefore).toBe(page.entries[1]!.id);
    const next = await listAuditEntries(db.pool, {
      summary: 'views_a',
      limit: 2,
      before: page.nextBefore!,
    });
    expect(next.entries[0]!.id).toBeLessThan(page.entries[1]!.id);
    expect(
      (await listAuditEntries(db.pool, { outcome: 'error' })).entries.every(
        (e) => e.outcome === 'error',
      ),
    ).toBe(true);
  });
});

describe('rebuildSummary', () => {
  const v1: DefinitionInput = {
    shape: 'aggregate',
    name: 'rb',
    source: { schema: 'shop', table: 'orders' },
    groupBy: [{ kind: 'column', column: 'customer_id' }],
    aggregates: [
      { name: 'orders', fn: 'count' },
      { name: 'statuses', fn: 'count_distinct', arg: 'status' },
    ],
  };

  async function indexes(): Promise<string[]> {
    const { rows } = await db.pool.query<{ def: string }>(
      `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'shop' AND tablename = 'orders' AND indexname LIKE 'tally_rb%' ORDER BY 1`,
    );
    return rows.map((r) => r.def);
  }

  test('same keys: the new version keeps the source index; version + 1; exact and live', async () => {
    await createSummary(db.pool, validateDefinition(v1), { actor: ACTOR });
    expect(await indexes()).toEqual([
      'CREATE INDEX tally_rb_src ON shop.orders USING btree (customer_id)',
    ]);
    const v2: Definition = validateDefinition({
      ...v1,
      filter: "status <> 'new'",
      aggregates: [...v1.aggregates, { name: 'total', fn: 'sum', arg: 'total' }],
    });
    const preview = await previewSummary(db.pool, {
      mode: 'form',
      definition: v2,
      replacing: 'rb',
    });
    if (!preview.ok) throw new Error(JSON.stringify(preview.issues));
    expect(preview.locks.map((l) => `${l.mode} ${l.table}`)).toEqual([
      'SHARE UPDATE EXCLUSIVE shop.orders',
      'ACCESS EXCLUSIVE shop.orders',
      'ACCESS EXCLUSIVE shop.rb',
      'SHARE ROW EXCLUSIVE shop.orders',
    ]);

    const rec = await rebuildSummary(db.pool, v2, { actor: ACTOR, populate: true });
    expect(rec).toMatchObject({ version: 2, status: 'ready' });
    expect(rec.definition.filter).toBe("status <> 'new'");
    expect(await indexes()).toEqual([
      'CREATE INDEX tally_rb_src ON shop.orders USING btree (customer_id)',
    ]);
    await exact('rb');
    await db.pool.query(
      `UPDATE shop.orders SET status = 'new' WHERE id % 7 = 0; DELETE FROM shop.orders WHERE id % 11 = 0`,
    );
    await exact('rb');
    expect((await getSummaryDetail(db.pool, 'rb')).healthy).toBe(true);
    expect((await listAuditEntries(db.pool, { summary: 'rb' })).entries[0]!.action).toBe('rebuild');
  });

  test('other keys: the index is rebuilt on them; dropping the new version removes it', async () => {
    const v3 = validateDefinition({ ...v1, groupBy: [{ kind: 'column', column: 'status' }] });
    const rec = await rebuildSummary(db.pool, v3, { actor: ACTOR, populate: true });
    expect(rec.version).toBe(3);
    expect(await indexes()).toEqual([
      'CREATE INDEX tally_rb_src ON shop.orders USING btree (status)',
    ]);
    await exact('rb');
  });

  test('a rebuild that cannot get its lock leaves the old version in place', async () => {
    const before = await getSummary(db.pool, 'rb');
    const blocker = await db.connect();
    await blocker.query('BEGIN; LOCK TABLE shop.orders IN ACCESS SHARE MODE');
    const v4 = validateDefinition({
      ...v1,
      groupBy: [{ kind: 'column', column: 'status' }],
      aggregates: [{ name: 'n', fn: 'count' }],
    });
    const err = await rebuildSummary(db.pool, v4, {
      actor: ACTOR,
      lockTimeoutMs: 200,
      populate: true,
    }).catch((e: unknown) => e);
    await blocker.query('ROLLBACK');
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as DatabaseError).psql).toMatch(/lock timeout/);
    const after = await getSummary(db.pool, 'rb');
    expect(after.version).toBe(before.version);
    expect(after.installSql).toBe(before.installSql);
    expect((await getSummaryDetail(db.pool, 'rb')).healthy).toBe(true);
    await exact('rb');
    const last = (await listAuditEntries(db.pool, { summary: 'rb', limit: 1 })).entries[0]!;
    expect(last).toMatchObject({ action: 'rebuild', statement: 'ROLLBACK' });
  });

  test('an edit keeps the name; unknown summaries and bad input are DefinitionErrors', async () => {
    const renamed = await previewSummary(db.pool, {
      mode: 'form',
      definition: { ...v1, name: 'rb2' },
      replacing: 'rb',
    });
    expect(renamed.ok === false && renamed.issues[0]!.field).toBe('name');
    await expect(
      rebuildSummary(db.pool, validateDefinition({ ...v1, name: 'nope' }), { actor: ACTOR }),
    ).rejects.toThrow(/does not exist/);
    await expect(
      rebuildSummary(
        db.pool,
        validateDefinition({ ...v1, groupBy: [{ kind: 'column', column: 'zz' }] }),
        { actor: ACTOR },
      ),
    ).rejects.toBeInstanceOf(DefinitionError);
    await dropSummary(db.pool, 'rb', { actor: ACTOR });
    expect(await indexes()).toEqual([]);
  });
});
