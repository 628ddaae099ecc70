import type { Queryable } from '../db/pool';
import { exec } from '../db/pool';
import type { Trigger, TriggerState } from './catalog-types';

// Internal triggers (the ones that implement foreign keys) are not the user's and are left out.
const TRIGGERS_SQL = `
SELECT t.tgname AS name,
       t.tgenabled::text AS enabled,
       t.tgtype::int AS type_bits,
       pn.nspname AS function_schema,
       p.proname AS function_name,
       pg_catalog.pg_get_triggerdef(t.oid) AS definition
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
WHERE t.tgrelid = $1::oid AND NOT t.tgisinternal
ORDER BY t.tgname`;

interface TriggerRow {
  name: string;
  enabled: string;
  type_bits: number;
  function_schema: string;
  function_name: string;
  definition: string;
}

const STATES: Record<string, TriggerState> = {
  O: 'enabled',
  D: 'disabled',
  R: 'replica',
  A: 'always',
};

// pg_trigger.tgtype bits, from src/include/catalog/pg_trigger.h
const TRIGGER_TYPE = {
  row: 1,
  before: 2,
  insert: 4,
  delete: 8,
  update: 16,
  truncate: 32,
  instead: 64,
} as const;

export async function listTriggers(db: Queryable, relationOid: number): Promise<Trigger[]> {
  const { rows } = await exec<TriggerRow>(db, TRIGGERS_SQL, [relationOid]);
  return rows.map((r) => {
    const bits = r.type_bits;
    const state = STATES[r.enabled];
    if (!state) throw new Error(`unexpected tgenabled ${JSON.stringify(r.enabled)}`);
    const events: Trigger['events'] = [];
    if (bits & TRIGGER_TYPE.insert) events.push('insert');
    if (bits & TRIGGER_TYPE.update) events.push('update');
    if (bits & TRIGGER_TYPE.delete) events.push('delete');
    if (bits & TRIGGER_TYPE.truncate) events.push('truncate');
    return {
      name: r.name,
      state,
      timing:
        bits & TRIGGER_TYPE.instead
          ? 'instead of'
          : bits & TRIGGER_TYPE.before
            ? 'before'
            : 'after',
      level: bits & TRIGGER_TYPE.row ? 'row' : 'statement',
      events,
      functionSchema: r.function_schema,
      functionName: r.function_name,
      definition: r.definition,
    };
  });
}
