import { groupRows, type MatchKey } from './key-match';

/**
 * `groupRows` as a join clause after a FROM item: `, table AS alias` plus WHERE conditions,
 * or `CROSS JOIN LATERAL (branches) AS alias` when NULL-able keys need branches.
 */
export function joinGroupRows(
  relation: string,
  alias: string,
  keys: readonly MatchKey[],
  select = '*',
): { join: string; where: readonly string[] } {
  const g = groupRows(relation, alias, keys, select);
  return g.where.length || keys.length === 0
    ? { join: `, ${g.from}`, where: g.where }
    : { join: `CROSS JOIN LATERAL ${g.from}`, where: [] };
}
