import { qualify, quoteIdent } from '../db/ident';
import { exec, type Queryable } from '../db/pool';
import { summaryNames } from '../sqlgen/names';
import type { SummaryRecord } from './registry';

/**
 * What is actually installed for a summary, read from pg_catalog: each object Tally created,
 * whether it still exists, and whether its triggers fire. A missing object or a trigger that
 * does not fire on ordinary writes is the classic cause of drift, so it is flagged as broken.
 */
export type ObjectKind = 'table' | 'index' | 'function' | 'trigger';
/** pg_trigger.tgenabled: O fires normally, D never, R only under session_replication_role = replica, A always. */
export type TriggerState = 'enabled' | 'disabled' | 'replica' | 'always';

export interface InstalledObject {
  readonly kind: ObjectKind;
  readonly schema: string;
  readonly name: string;
  /** the table an index or trigger is on, qualified and quoted */
  readonly on?: string;
  readonly role: string;
  readonly exists: boolean;
  readonly triggerState?: TriggerState;
  /** exists, and a trigger fires on ordinary writes */
  readonly ok: boolean;
  readonly problem?: string;
}

export interface SummaryStatus {
  readonly objects: InstalledObject[];
  /** rows in the summary table; null when the table is missing */
  readonly rows: number | null;
  /** pg_total_relation_size of the summary table (with indexes and TOAST) */
  readonly totalBytes: number | null;
  readonly size: string | null;
  /** every object exists and every trigger fires */
  readonly healthy: boolean;
}

interface Expected {
  readonly kind: ObjectKind;
  readonly schema: string;
  readonly name: string;
  readonly on?: { schema: string; table: string };
  readonly role: string;
}

/** The objects a summary installs, from the generator's deterministic names. */
export function expectedObjects(s: SummaryRecord): Expected[] {
  const target = { schema: s.targetSchema, table: s.targetTable };
  const source = { schema: s.sourceSchema, table: s.sourceTable };
  const n = summaryNames(s.name, target);
  const events = ['insert', 'update', 'delete', 'truncate'] as const;
  return [
    { kind: 'table', schema: target.schema, name: target.table, role: 'summary table' },
    {
      kind: 'index',
      schema: target.schema,
      name: n.keyIndex,
      on: target,
      role: 'unique key index',
    },
    { kind: 'function', schema: target.schema, name: n.guardFunction, role: 'guard function' },
    {
      kind: 'trigger',
      schema: target.schema,
      name: n.guardTrigger,
      on: target,
      role: 'guard trigger',
    },
    ...events.flatMap((e): Expected[] => [
      {
        kind: 'function',
        schema: target.schema,
        name: n.functions[e],
        role: `${e} maintenance function`,
      },
      {
        kind: 'trigger',
        schema: source.schema,
        name: n.triggers[e],
        on: source,
        role: `${e} trigger`,
      },
    ]),
    // the source index exists only when Tally had to create one; its uninstall then drops it
    ...(s.uninstallSql.includes(quoteIdent(n.sourceIndex))
      ? [
          {
            kind: 'index',
            schema: source.schema,
            name: n.sourceIndex,
            on: source,
            role: 'source index for recompute',
          } as const,
        ]
      : []),
  ];
}

const RELATIONS_SQL = `
SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind
FROM unnest($1::text[], $2::text[]) AS w(schema, name)
JOIN pg_catalog.pg_namespace n ON n.nspname = w.schema
JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = w.name`;

const FUNCTIONS_SQL = `
SELECT n.nspname AS schema, p.proname AS name
FROM unnest($1::text[], $2::text[]) AS w(schema, name)
JOIN pg_catalog.pg_namespace n ON n.nspname = w.schema
JOIN pg_catalog.pg_proc p ON p.pronamespace = n.oid AND p.proname = w.name`;

const TRIGGERS_SQL = `
SELECT n.nspname AS schema, c.relname AS table_name, t.tgname AS name, t.tgenabled::text AS enabled
FROM unnest($1::text[], $2::text[], $3::text[]) AS w(schema, table_name, name)
JOIN pg_catalog.pg_namespace n ON n.nspname = w.schema
JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = w.table_name
JOIN pg_catalog.pg_trigger t ON t.tgrelid = c.oid AND t.tgname = w.name`;

const SIZE_SQL = `
SELECT pg_catalog.pg_total_relation_size(c.oid)::float8 AS bytes,
       pg_catalog.pg_size_pretty(pg_catalog.pg_total_relation_size(c.oid)) AS size
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2`;

const STATES: Record<string, TriggerState> = {
  O: 'enabled',
  D: 'disabled',
  R: 'replica',
  A: 'always',
};
const RELKINDS: Partial<Record<ObjectKind, string[]>> = { table: ['r', 'p'], index: ['i', 'I'] };
const key = (...parts: string[]) => JSON.stringify(parts);

export async function getSummaryStatus(db: Queryable, s: SummaryRecord): Promise<SummaryStatus> {
  const expected = expectedObjects(s);
  const relations = expected.filter((o) => o.kind === 'table' || o.kind === 'index');
  const functions = expected.filter((o) => o.kind === 'function');
  const triggers = expected.filter((o) => o.kind === 'trigger');

  const [rel, fn, trg] = await Promise.all([
    exec<{ schema: string; name: string; relkind: string }>(db, RELATIONS_SQL, [
      relations.map((o) => o.schema),
      relations.map((o) => o.name),
    ]),
    exec<{ schema: string; name: string }>(db, FUNCTIONS_SQL, [
      functions.map((o) => o.schema),
      functions.map((o) => o.name),
    ]),
    exec<{ schema: string; table_name: string; name: string; enabled: string }>(db, TRIGGERS_SQL, [
      triggers.map((o) => o.on!.schema),
      triggers.map((o) => o.on!.table),
      triggers.map((o) => o.name),
    ]),
  ]);
  const relkinds = new Map(rel.rows.map((r) => [key(r.schema, r.name), r.relkind]));
  const fns = new Set(fn.rows.map((r) => key(r.schema, r.name)));
  const trgs = new Map(
    trg.rows.map((r) => [key(r.schema, r.table_name, r.name), STATES[r.enabled]]),
  );

  const objects = expected.map((o): InstalledObject => {
    const base = {
      kind: o.kind,
      schema: o.schema,
      name: o.name,
      role: o.role,
      ...(o.on ? { on: qualify(o.on.schema, o.on.table) } : {}),
    };
    if (o.kind === 'trigger') {
      const state = trgs.get(key(o.on!.schema, o.on!.table, o.name));
      if (!state) return { ...base, exists: false, ok: false, problem: 'missing' };
      const fires = state === 'enabled' || state === 'always';
      return {
        ...base,
        exists: true,
        triggerState: state,
        ok: fires,
        ...(fires
          ? {}
          : {
              problem:
                state === 'disabled'
                  ? 'disabled: writes are not maintained, the summary drifts'
                  : 'fires only under session_replication_role = replica: ordinary writes are not maintained',
            }),
      };
    }
    const exists =
      o.kind === 'function'
        ? fns.has(key(o.schema, o.name))
        : (RELKINDS[o.kind] ?? []).includes(relkinds.get(key(o.schema, o.name)) ?? '');
    return { ...base, exists, ok: exists, ...(exists ? {} : { problem: 'missing' }) };
  });

  const tableExists = objects[0]!.exists;
  let rows: number | null = null;
  let totalBytes: number | null = null;
  let size: string | null = null;
  if (tableExists) {
    const count = await exec<{ n: string }>(
      db,
      `SELECT count(*) AS n FROM ${qualify(s.targetSchema, s.targetTable)}`,
    );
    rows = Number(count.rows[0]!.n);
    const sz = await exec<{ bytes: number; size: string }>(db, SIZE_SQL, [
      s.targetSchema,
      s.targetTable,
    ]);
    totalBytes = sz.rows[0]?.bytes ?? null;
    size = sz.rows[0]?.size ?? null;
  }
  return { objects, rows, totalBytes, size, healthy: objects.every((o) => o.ok) };
}
