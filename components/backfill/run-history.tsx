import type { BackfillRunView } from '@/lib/backfill/backfill-view';
import { formatDuration } from '@/lib/backfill/progress';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { DataTable, TBody, Td, Th, THead, Tr } from '@/components/ui/data-table';
import { formatInteger } from '@/components/ui/format';
import { formatTimestamp } from '@/components/summaries/format-timestamp';

export const STATUS_TONE: Record<BackfillRunView['status'], BadgeTone> = {
  pending: 'blue',
  running: 'blue',
  paused: 'amber',
  cancelled: 'neutral',
  failed: 'red',
  done: 'green',
};

export function RunStatusBadge({ run }: { run: BackfillRunView }) {
  return (
    <Badge tone={STATUS_TONE[run.status]} title={run.lastError ?? undefined}>
      {run.status}
    </Badge>
  );
}

/** Past and present runs: when, how long, how it ended, how much. */
export function RunHistory({ runs }: { runs: readonly BackfillRunView[] }) {
  return (
    <DataTable caption="Backfill runs">
      <THead>
        <tr>
          <Th>Run</Th>
          <Th>Started</Th>
          <Th numeric>Duration</Th>
          <Th>Outcome</Th>
          <Th numeric>Rows</Th>
          <Th numeric>Batches</Th>
          <Th>Protocol</Th>
          <Th>By</Th>
        </tr>
      </THead>
      <TBody>
        {runs.map((r) => (
          <Tr key={r.id}>
            <Td className="font-mono text-xs">#{r.id}</Td>
            <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-300">
              {formatTimestamp(r.startedAt ?? r.createdAt)}
            </Td>
            <Td numeric>{r.elapsedMs !== null ? formatDuration(r.elapsedMs / 1000) : '—'}</Td>
            <Td>
              <RunStatusBadge run={r} />
              {r.retries > 0 && (
                <span
                  className="ml-2 text-xs text-zinc-500"
                  title="lock timeouts and other retried errors"
                >
                  {r.retries} retried
                </span>
              )}
            </Td>
            <Td numeric>{formatInteger(r.rowsDone)}</Td>
            <Td numeric>{formatInteger(r.batchesDone)}</Td>
            <Td className="text-zinc-600 dark:text-zinc-300" title={r.protocolReason}>
              {r.protocol === 'key_order' ? 'key order' : 'single'}
            </Td>
            <Td className="font-mono text-xs text-zinc-500">{r.createdBy}</Td>
          </Tr>
        ))}
      </TBody>
    </DataTable>
  );
}
