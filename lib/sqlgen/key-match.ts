/**
 * Rows of a table that belong to one group, found through an index on the keys even when keys
 * may be NULL. `t.k = g.k OR (t.k IS NULL AND g.k IS NULL)` makes PostgreSQL scan every
 * NULL-key row for every lookup (the index condition becomes `k = $1 OR k IS NULL`), so each
 * pattern of NULL keys gets its own UNION ALL branch with plain index conditions; the
 * parameter-only tests (`g.k IS NULL`) become one-time filters, so exactly one branch runs.
 */
export interface MatchKey {
  /** the key over the searched table, e.g. `user_id` or `(created_at AT TIME ZONE 'UTC')::date` */
  readonly expr: string;
  /** the group's value, e.g. `s.user_id` */
  readonly value: string;
  readonly nullable: boolean;
}

/** Above this many NULL-able keys the 2^n branches are not worth it: fall back to OR conditions. */
export const MAX_NULLABLE_BRANCH_KEYS = 3;

export interface GroupRows {
  /** a FROM item */
  readonly from: string;
  /** conditions to AND into the WHERE, when the FROM item is the plain table */
  readonly where: readonly string[];
}

/**
 * `relation AS alias` restricted to the group whose key values are `keys[].value`. `select`
 * is the select list of each branch (e.g. `*`, or `ctid` which `*` does not include).
 */
export function groupRows(relation: string, alias: string, keys: readonly MatchKey[], select = '*'): GroupRows {
  const nullable = keys.filter((k) => k.nullable);
  if (nullable.length === 0) return { from: `${relation} AS ${alias}`, where: keys.map((k) => `${k.expr} = ${k.value}`) };
  if (nullable.length > MAX_NULLABLE_BRANCH_KEYS)
    return {
      from: `${relation} AS ${alias}`,
      where: keys.map((k) =>
        k.nullable ? `(${k.expr} = ${k.value} OR (${k.expr} IS NULL AND ${k.value} IS NULL))` : `${k.expr} = ${k.value}`,
      ),
    };
  const branches: string[] = [];
  for (let mask = 0; mask < 1 << nullable.length; mask++) {
    const isNull = new Set(nullable.filter((_, i) => mask & (1 << i)));
    const conds = keys.flatMap((k) =>
      isNull.has(k) ? [`${k.value} IS NULL`, `${k.expr} IS NULL`] : [`${k.expr} = ${k.value}`],
    );
    branches.push(`SELECT ${select} FROM ${relation} AS ${alias} WHERE ${conds.join(' AND ')}`);
  }
  return { from: `(\n  ${branches.join('\n  UNION ALL\n  ')}\n) AS ${alias}`, where: [] };
}
