import { Badge } from '@/components/ui/badge';

/**
 * Marks summary contents that are not the whole truth yet: while a backfill runs (or after
 * one was cancelled) the summary holds only the groups it has reached.
 */
export function PartialMarker({ status }: { status: string }) {
  if (status === 'installed')
    return (
      <Badge
        tone="amber"
        title="Rows that existed before the summary was installed are not counted until a backfill runs"
      >
        partial — not backfilled
      </Badge>
    );
  if (status === 'backfilling')
    return (
      <Badge
        tone="amber"
        title="Groups the backfill has not reached yet are missing or incomplete; the table is exact once it is done"
      >
        partial — backfill in progress
      </Badge>
    );
  if (status === 'cancelled')
    return (
      <Badge
        tone="red"
        title="The backfill was cancelled: the table is incomplete until a new backfill finishes"
      >
        partial — backfill cancelled
      </Badge>
    );
  return null;
}
