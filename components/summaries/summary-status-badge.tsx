import type { SummaryListItem } from '@/lib/summary/summary-views';
import { Badge, type BadgeTone } from '@/components/ui/badge';

export interface StatusDisplay {
  readonly label: string;
  readonly tone: BadgeTone;
  readonly title: string;
}

/**
 * What the status column says. A summary whose objects are not all in place, or whose triggers
 * do not fire, is "broken" whatever the registry says: that is how summaries drift.
 */
export function statusDisplay(
  s: Pick<SummaryListItem, 'status' | 'healthy' | 'problems'>,
): StatusDisplay {
  if (!s.healthy)
    return {
      label: 'broken',
      tone: 'red',
      title: s.problems.join('\n') || 'an installed object is missing or a trigger does not fire',
    };
  switch (s.status) {
    case 'ready':
      return {
        label: 'healthy',
        tone: 'green',
        title: 'Installed, filled, and every trigger fires',
      };
    case 'installed':
      return {
        label: 'installed',
        tone: 'amber',
        title: 'Triggers are live; rows that existed before are not counted until a backfill runs',
      };
    case 'backfilling':
      return { label: 'backfilling', tone: 'blue', title: 'A backfill is filling the summary' };
    case 'cancelled':
      return {
        label: 'backfill cancelled',
        tone: 'amber',
        title: 'A backfill was cancelled: the contents are not complete',
      };
    default:
      return { label: s.status, tone: 'neutral', title: s.status };
  }
}

export function SummaryStatusBadge({
  summary,
}: {
  summary: Pick<SummaryListItem, 'status' | 'healthy' | 'problems'>;
}) {
  const d = statusDisplay(summary);
  return (
    <Badge tone={d.tone} title={d.title}>
      {d.label}
    </Badge>
  );
}
