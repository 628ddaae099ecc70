import { qualify, quoteIdent } from '../db/ident';
import type { TableRef } from '../definition/definition';

/**
 * The trigger users write by hand without Tally — the first seed's pattern, extended to
 * UPDATE and DELETE the way that team did: AFTER INSERT/UPDATE/DELETE FOR EACH ROW, recompute
 * SUM for the row's OLD and NEW key from the source, upsert it, delete the row when the group
 * is empty. It is the baseline of the write benchmark and of the concurrency test, which shows
 * that it loses updates: two writers to one group each recompute from their own snapshot and
 * the later upsert overwrites the earlier.
 */
export interface SeedRowTrigger {
  readonly source: TableRef;
  /** the summary table the trigger maintains: (key PRIMARY KEY, total, rows) */
  readonly target: TableRef;
  readonly keyColumn: string;
  readonly keyType: string;
  readonly valueColumn: string;
}

export function seedRowTriggerInstallSql(t: SeedRowTrigger): string {
  const source = qualify(t.source.schema, t.source.table);
  const target = qualify(t.target.schema, t.target.table);
  const fn = qualify(t.target.schema, `${t.target.table}_refresh`);
  const key = quoteIdent(t.keyColumn);
  const value = quoteIdent(t.valueColumn);
  const refresh = (rec: 'OLD' | 'NEW') => `
  IF ${rec}.${key} IS NOT NULL THEN
    SELECT sum(${value}), count(*) INTO v_total, v_rows FROM ${source} WHERE ${key} = ${rec}.${key};
    IF v_rows = 0 THEN
      DELETE FROM ${target} WHERE key = ${rec}.${key};
    ELSE
      INSERT INTO ${target} (key, total, rows) VALUES (${rec}.${key}, v_total, v_rows)
      ON CONFLICT (key) DO UPDATE SET total = EXCLUDED.total, rows = EXCLUDED.rows;
    END IF;
  END IF;`;
  return `CREATE TABLE ${target} (key ${t.keyType} PRIMARY KEY, total numeric, rows bigint NOT NULL);
INSERT INTO ${target} (key, total, rows)
  SELECT ${key}, sum(${value}), count(*) FROM ${source} WHERE ${key} IS NOT NULL GROUP BY ${key};
CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $seed$
DECLARE
  v_total numeric;
  v_rows bigint;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN${refresh('OLD')}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN${refresh('NEW')}
  END IF;
  RETURN NULL;
END;
$seed$;
CREATE TRIGGER ${quoteIdent(`${t.target.table}_refresh`)}
  AFTER INSERT OR UPDATE OR DELETE ON ${source}
  FOR EACH ROW EXECUTE FUNCTION ${fn}();`;
}

export function seedRowTriggerUninstallSql(t: SeedRowTrigger): string {
  return `DROP TRIGGER IF EXISTS ${quoteIdent(`${t.target.table}_refresh`)} ON ${qualify(t.source.schema, t.source.table)};
DROP FUNCTION IF EXISTS ${qualify(t.target.schema, `${t.target.table}_refresh`)}();
DROP TABLE IF EXISTS ${qualify(t.target.schema, t.target.table)};`;
}

/** The seed summary's truth, with the same column names, for compareWithTruth. */
export function seedRowTriggerDefiningQuery(t: SeedRowTrigger): string {
  const key = quoteIdent(t.keyColumn);
  return `SELECT ${key} AS key, sum(${quoteIdent(t.valueColumn)})::numeric AS total, count(*) AS rows
FROM ${qualify(t.source.schema, t.source.table)} WHERE ${key} IS NOT NULL GROUP BY ${key}`;
}

export const SEED_ROW_TRIGGER_COLUMNS = ['key', 'total', 'rows'] as const;
