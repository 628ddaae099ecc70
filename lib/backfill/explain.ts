import { exec, type Queryable } from '../db/pool';

/** One node of `EXPLAIN (FORMAT JSON)`, as much of it as the backfill reads. */
export interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Plan Rows': number;
  readonly 'Index Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

/** The planner's plan for `sql` with `values` bound (never executed). */
export async function explain(
  db: Queryable,
  sql: string,
  values: unknown[] = [],
): Promise<PlanNode> {
  const { rows } = await exec<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
    db,
    `EXPLAIN (FORMAT JSON) ${sql}`,
    values,
  );
  const plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
  if (!plan) throw new Error('EXPLAIN returned no plan');
  return plan;
}

export function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

/** The planner's row estimate for `sql`, rounded. */
export async function estimateRows(
  db: Queryable,
  sql: string,
  values: unknown[] = [],
): Promise<number> {
  return Math.round((await explain(db, sql, values))['Plan Rows']);
}
