import { describe, expect, test } from 'vitest';
import { diffHunks, diffLines, diffStats } from '../lib/summary/line-diff';
import {
  aggregatesForType,
  dayBucket,
  typeCategory,
  aggregateOutputName,
} from '../lib/summary/aggregate-choices';

/** The edit diff (old install script vs new) and the form's type-driven offers: pure helpers. */

describe('diffLines', () => {
  test('equal texts: every line the same', () => {
    const d = diffLines('a\nb\n', 'a\nb\n');
    expect(d.map((l) => l.kind)).toEqual(['same', 'same']);
    expect(diffHunks(d)).toEqual([]);
  });

  test('a changed line: deletion before addition, with both line numbers', () => {
    const d = diffLines('a\nb\nc', 'a\nB\nc\nd');
    expect(d).toEqual([
      { kind: 'same', text: 'a', oldNo: 1, newNo: 1 },
      { kind: 'del', text: 'b', oldNo: 2 },
      { kind: 'add', text: 'B', newNo: 2 },
      { kind: 'same', text: 'c', oldNo: 3, newNo: 3 },
      { kind: 'add', text: 'd', newNo: 4 },
    ]);
    expect(diffStats(d)).toEqual({ added: 2, removed: 1 });
  });

  test('a minimal diff in the middle of common lines', () => {
    const old = ['x', 'a', 'b', 'c', 'd', 'y'].join('\n');
    const neu = ['x', 'a', 'c', 'd', 'e', 'y'].join('\n');
    expect(diffStats(diffLines(old, neu))).toEqual({ added: 1, removed: 1 });
  });

  test('hunks keep three lines of context and merge when close', () => {
    const old = Array.from({ length: 30 }, (_, i) => `l${i}`);
    const neu = [...old];
    neu[5] = 'changed5';
    neu[9] = 'changed9';
    neu[25] = 'changed25';
    const hunks = diffHunks(diffLines(old.join('\n'), neu.join('\n')));
    expect(hunks).toHaveLength(2);
    expect(hunks[0]).toMatchObject({ oldStart: 3, newStart: 3 });
    expect(hunks[0]!.lines[0]!.text).toBe('l2');
    expect(hunks[1]!.lines.filter((l) => l.kind !== 'same').map((l) => l.text)).toEqual([
      'l25',
      'changed25',
    ]);
  });

  test('from and to empty', () => {
    expect(diffLines('', 'a\nb').map((l) => l.kind)).toEqual(['add', 'add']);
    expect(diffLines('a', '').map((l) => l.kind)).toEqual(['del']);
  });
});

describe('aggregate choices by column type', () => {
  test('numbers, text, time, booleans, json', () => {
    expect(aggregatesForType('numeric(12,2)')).toEqual([
      'count',
      'count_distinct',
      'sum',
      'avg',
      'min',
      'max',
      'array_agg',
    ]);
    expect(aggregatesForType('money')).toContain('sum');
    expect(aggregatesForType('money')).not.toContain('avg');
    expect(aggregatesForType('character varying(20)')).toEqual([
      'count',
      'count_distinct',
      'min',
      'max',
      'array_agg',
    ]);
    expect(aggregatesForType('timestamp with time zone')).toEqual([
      'count',
      'count_distinct',
      'min',
      'max',
      'array_agg',
    ]);
    expect(aggregatesForType('boolean')).toEqual([
      'count',
      'count_distinct',
      'bool_and',
      'bool_or',
      'array_agg',
    ]);
    expect(aggregatesForType('jsonb')).toEqual(['count', 'count_distinct', 'array_agg']);
    expect(aggregatesForType('json')).toEqual(['count', 'array_agg']);
    expect(aggregatesForType('uuid')).toEqual(['count', 'count_distinct', 'array_agg']);
    expect(typeCategory('integer[]')).toBe('array');
  });

  test('day buckets are immutable expressions, quoted', () => {
    expect(dayBucket('created_at', 'timestamp with time zone')).toEqual({
      expr: "(created_at AT TIME ZONE 'UTC')::date",
      name: 'created_at_day',
    });
    expect(dayBucket('Placed At', 'timestamp(3) without time zone')).toEqual({
      expr: `date_trunc('day', "Placed At")`,
      name: 'Placed At_day',
    });
    expect(dayBucket('d', 'date')).toBeUndefined();
  });

  test('default output names', () => {
    expect(aggregateOutputName('count', undefined)).toBe('count');
    expect(aggregateOutputName('sum', 'Amount')).toBe('sum_amount');
    expect(aggregateOutputName('max', 'a + b')).toBe('max_expr');
  });
});
