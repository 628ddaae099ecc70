import { describe, expect, test } from 'vitest';
import { identifierBytes } from '../../lib/db/ident';
import { definition } from '../../lib/definition/definition';
import { normalizeDefinition } from '../../lib/definition/normalize';
import { generateSql } from '../../lib/sqlgen/generate';
import { groupRows } from '../../lib/sqlgen/key-match';
import { LOCK_SLOTS, lockSlotsPlpgsql, slotSql, WIDE_LOCK_THRESHOLD } from '../../lib/sqlgen/locks';
import { commentSafe, dollarTag, fitIdentifier, hiddenColumn, lockClassOf, summaryNames } from '../../lib/sqlgen/names';
import { indentLines } from '../../lib/sqlgen/render/format';
import type { ResolvedDefinition } from '../../lib/sqlgen/resolved-definition';

/** The pure parts of the generator: names, the lock protocol, key matching, formatting. */

describe('names', () => {
  test('fit in 63 bytes, keep their prefix and suffix, and never collide', () => {
    const long = 'x'.repeat(63);
    const names = summaryNames(long, { schema: 's', table: long });
    for (const n of [names.keyIndex, names.guardFunction, names.sourceIndex, ...Object.values(names.functions), ...Object.values(names.triggers)])
      expect(identifierBytes(n)).toBeLessThanOrEqual(63);
    expect(names.triggers.insert).toMatch(/^tally_100_x+_[0-9a-f]{8}_ins$/);
    expect(names.functions.truncate).toMatch(/^tally_x+_[0-9a-f]{8}_trunc$/);
    expect(fitIdentifier('a'.repeat(60) + 'b', 'p_')).not.toBe(fitIdentifier('a'.repeat(60) + 'c', 'p_'));
    // multi-byte characters are never cut in half
    const h = hiddenColumn('nn', 'é'.repeat(31));
    expect(identifierBytes(h)).toBeLessThanOrEqual(63);
    expect(Buffer.from(h, 'utf8').toString('utf8')).toBe(h);
    expect(fitIdentifier('short', 'tally_', '_ins')).toBe('tally_short_ins');
  });

  test('the lock class is a stable int4 of the qualified summary table', () => {
    expect(lockClassOf({ schema: 'crm', table: 'user_talk_time' })).toBe(lockClassOf({ schema: 'crm', table: 'user_talk_time' }));
    expect(lockClassOf({ schema: 'crm', table: 'a' })).not.toBe(lockClassOf({ schema: 'crm', table: 'b' }));
    const c = lockClassOf({ schema: 'x', table: 'y' });
    expect(Number.isInteger(c) && c >= -(2 ** 31) && c < 2 ** 31).toBe(true);
  });

  test('comments cannot be broken out of, dollar quotes never collide with the body', () => {
    expect(commentSafe('a\nDROP TABLE x; --')).toBe('a\\x0aDROP TABLE x; --');
    expect(dollarTag('SELECT 1')).toBe('$tally$');
    expect(dollarTag(`SELECT '$tally$', '$tally_1$'`)).toBe('$tally_2$');
  });
});

describe('lock protocol', () => {
  test('slots hash the key datums into a bounded range; bulk statements take the wide key', () => {
    expect(slotSql(['a', 'b'])).toBe(`pg_catalog.hash_record(ROW(a, b)) & ${LOCK_SLOTS - 1}`);
    const block = lockSlotsPlpgsql(42, 'v');
    expect(block).toContain(`IF pg_catalog.cardinality(v) > ${WIDE_LOCK_THRESHOLD} THEN`);
    expect(block.indexOf('pg_advisory_xact_lock_shared(42, -1)')).toBeLessThan(block.indexOf('pg_advisory_xact_lock(42, slot)'));
  });
});

describe('key matching', () => {
  test('NOT NULL keys use plain equality; NULL-able keys get one branch per NULL pattern', () => {
    expect(groupRows('t', 'x', [{ expr: 'k', value: 's.k', nullable: false }])).toEqual({ from: 't AS x', where: ['k = s.k'] });
    const g = groupRows('t', 'x', [
      { expr: 'a', value: 's.a', nullable: true },
      { expr: 'b', value: 's.b', nullable: false },
    ]);
    expect(g.where).toEqual([]);
    expect(g.from).toBe(
      '(\n  SELECT * FROM t AS x WHERE a = s.a AND b = s.b\n  UNION ALL\n  SELECT * FROM t AS x WHERE s.a IS NULL AND a IS NULL AND b = s.b\n) AS x',
    );
    const many = groupRows(
      't',
      'x',
      ['a', 'b', 'c', 'd'].map((k) => ({ expr: k, value: `s.${k}`, nullable: true })),
    );
    expect(many.from).toBe('t AS x');
    expect(many.where[0]).toBe('(a = s.a OR (a IS NULL AND s.a IS NULL))');
  });
});

describe('formatting', () => {
  test('indentation never changes a quoted identifier or literal that contains a line break', () => {
    const sql = `SELECT "a\nb", 'x\ny', E'p\\'\nq', $q$r\ns$q$ -- c\nFROM t`;
    expect(indentLines(sql, '  ')).toBe(`  SELECT "a\nb", 'x\ny', E'p\\'\nq', $q$r\ns$q$ -- c\n  FROM t`);
  });
});

describe('generateSql is pure and deterministic', () => {
  test('the same resolved definition gives byte-identical SQL, without a database', async () => {
    const d = definition.parse({
      shape: 'aggregate',
      name: 'pure',
      source: { schema: 's', table: 't' },
      groupBy: [{ kind: 'column', column: 'k' }],
      aggregates: [
        { name: 'n', fn: 'count' },
        { name: 'm', fn: 'min', arg: 'v' },
      ],
    });
    const n = await normalizeDefinition(d);
    const r: ResolvedDefinition = {
      ...n,
      keys: n.keys.map((k) => ({ ...k, type: 'integer', notNull: false, indexSql: 'k' })),
      aggregates: n.aggregates.map((a) => ({
        ...a,
        type: a.fn === 'count' ? 'bigint' : 'integer',
        ...(a.argSql ? { argType: 'integer', argBaseType: 'integer' } : {}),
      })),
      sourceColumns: [
        { name: 'k', type: 'integer', notNull: false },
        { name: 'v', type: 'integer', notNull: false },
      ],
      lockClass: lockClassOf(n.target),
      sourceUniqueColumns: [],
      keysIndexable: true,
      serverVersion: 150000,
      warnings: [],
    };
    const a = generateSql(r);
    expect(generateSql(structuredClone(r))).toEqual(a);
    expect(a.concurrentIndexes).toHaveLength(1);
    expect(a.sections.map((s) => [s.id, s.phase])).toEqual([
      ['source_indexes', 'concurrent'],
      ['table', 'install'],
      ['guard', 'install'],
      ['maintenance', 'install'],
      ['triggers', 'install'],
      ['populate', 'populate'],
    ]);
    expect(a.objects.filter((o) => o.kind === 'trigger').map((o) => o.name)).toEqual([
      'tally_000_guard',
      'tally_100_pure_ins',
      'tally_100_pure_upd',
      'tally_100_pure_del',
      'tally_100_pure_trunc',
    ]);
    // an INSERT-only function for count/min: lock, then one upsert; no recompute, no snapshot check
    const ins = a.sections.find((s) => s.id === 'maintenance')!.statements[0]!;
    expect(ins).not.toMatch(/transaction_isolation|_tally_stale|DELETE FROM/);
    const del = a.sections.find((s) => s.id === 'maintenance')!.statements[4]!;
    expect(del).toMatch(/transaction_isolation/);
  });
});
