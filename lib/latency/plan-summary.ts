import type { PlanNode, PlanSummary } from './latency-views';

/** One node of `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` output, the fields we read. */
interface ExplainNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  Schema?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Actual Total Time'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: ExplainNode[];
}

export interface ExplainOutput {
  Plan?: ExplainNode;
  'Execution Time'?: number;
  'Planning Time'?: number;
}

function flatten(node: ExplainNode, depth: number, out: PlanNode[]): void {
  out.push({
    depth,
    nodeType: node['Node Type'] ?? '?',
    relation: node['Relation Name']
      ? `${node.Schema ? `${node.Schema}.` : ''}${node['Relation Name']}`
      : null,
    index: node['Index Name'] ?? null,
    actualRows: node['Actual Rows'] ?? null,
    actualMs: node['Actual Total Time'] ?? null,
  });
  for (const child of node.Plans ?? []) flatten(child, depth + 1, out);
}

/** The plan as a few facts: node tree, scan types, buffers of the top node. */
export function summarizePlan(
  explain: ExplainOutput,
  executionMs: number | null,
  timedOut: boolean,
): PlanSummary {
  const nodes: PlanNode[] = [];
  if (explain.Plan) flatten(explain.Plan, 0, nodes);
  const scans = [
    ...new Set(
      nodes
        .filter((n) => /Scan$/.test(n.nodeType))
        .map(
          (n) =>
            `${n.nodeType}${n.index ? ` using ${n.index}` : ''}${n.relation ? ` on ${n.relation}` : ''}`,
        ),
    ),
  ];
  return {
    executionMs,
    planningMs: explain['Planning Time'] ?? null,
    scans,
    sharedHit: explain.Plan?.['Shared Hit Blocks'] ?? null,
    sharedRead: explain.Plan?.['Shared Read Blocks'] ?? null,
    nodes,
    timedOut,
  };
}
