'use client';

import type { SummaryDetail } from '@/lib/summary/summary-views';
import { BackfillPanel } from '@/components/backfill/backfill-panel';

/**
 * ==== BACKFILL SLOT (issue 6) ====
 * The summary's backfill (components/backfill/): progress polled from the state table, the
 * throughput chart, start / pause / resume / cancel, the history of runs. Rendered in the
 * detail page's Backfill tab (`variant="tab"`) and right after an apply (`variant="after-apply"`,
 * where starting the backfill is offered). Without `canWrite` it only shows.
 */
export function BackfillSlot({
  summary,
  variant,
  canWrite = false,
}: {
  summary: SummaryDetail;
  variant: 'tab' | 'after-apply';
  canWrite?: boolean;
}) {
  return (
    <div data-slot="backfill" data-variant={variant} className="text-sm">
      <BackfillPanel name={summary.name} variant={variant} canWrite={canWrite} />
    </div>
  );
}
