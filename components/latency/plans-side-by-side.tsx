import {
  resultOf,
  type LatencyQueryId,
  type LatencyQueryResult,
  type LatencyRun,
} from '@/lib/latency/latency-views';
import { formatMs } from './format-latency';

function PlanColumn({ title, result }: { title: string; result: LatencyQueryResult | undefined }) {
  const p = result?.plan;
  return (
    <div className="min-w-0 flex-1 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <h4 className="text-xs font-semibold text-zinc-700 dark:text-zinc-300">{title}</h4>
      {!p ? (
        <p className="mt-1 text-xs text-zinc-500">No plan.</p>
      ) : (
        <>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            {p.timedOut
              ? 'EXPLAIN ANALYZE timed out: estimated plan'
              : `execution ${formatMs(p.executionMs)}`}
            {p.planningMs !== null && `, planning ${formatMs(p.planningMs)}`}
            {p.sharedHit !== null && `, buffers hit ${p.sharedHit}`}
            {p.sharedRead !== null && ` read ${p.sharedRead}`}
          </p>
          <pre className="mt-2 overflow-x-auto font-mono text-xs leading-5 text-zinc-800 dark:text-zinc-200">
            {p.nodes
              .map(
                (n) =>
                  `${'  '.repeat(n.depth)}${n.nodeType}${n.index ? ` using ${n.index}` : ''}${n.relation ? ` on ${n.relation}` : ''}${
                    n.actualRows !== null
                      ? `  (rows ${n.actualRows}${n.actualMs !== null ? `, ${formatMs(n.actualMs)}` : ''})`
                      : ''
                  }`,
              )
              .join('\n')}
          </pre>
        </>
      )}
    </div>
  );
}

const PAIRS: readonly { title: string; view: LatencyQueryId; table: LatencyQueryId }[] = [
  { title: 'Per-key read', view: 'per_key_view', table: 'per_key_table' },
  { title: 'Dashboard, top 50', view: 'dashboard_view', table: 'dashboard_table' },
  { title: 'Your queries', view: 'user_before', table: 'user_after' },
];

/** EXPLAIN (ANALYZE, BUFFERS) of each pair, defining query beside summary table. */
export function PlansSideBySide({ run }: { run: LatencyRun }) {
  return (
    <div className="space-y-4 p-4">
      {PAIRS.filter((p) => resultOf(run.results, p.view) || resultOf(run.results, p.table)).map(
        (p) => (
          <div key={p.title}>
            <h3 className="mb-2 text-sm font-medium text-zinc-800 dark:text-zinc-200">{p.title}</h3>
            <div className="flex flex-col gap-3 lg:flex-row">
              <PlanColumn title="Defining query" result={resultOf(run.results, p.view)} />
              <PlanColumn title="Summary table" result={resultOf(run.results, p.table)} />
            </div>
          </div>
        ),
      )}
    </div>
  );
}
