import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getPool } from '@/lib/db/pool';
import { listSummaryViews } from '@/lib/summary/summary-overview';
import { getQueryClient } from '@/components/query/get-query-client';
import { summariesQuery } from '@/components/summaries/queries';
import { SummariesList } from '@/components/summaries/summaries-list';
import { LatencyOverview } from '@/components/latency/latency-overview';
import { buttonClass } from '@/components/ui/button-class';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/app/_server/page-user';

export const metadata: Metadata = { title: 'Summaries' };

export default async function SummariesPage() {
  const user = await requirePageUser('/summaries');
  const queryClient = getQueryClient();
  // fetchQuery (not prefetchQuery) so that a database error reaches error.tsx
  await queryClient.fetchQuery(summariesQuery(() => listSummaryViews(getPool())));
  const canWrite = user.role === 'admin';
  return (
    <>
      <PageHeader
        title="Summaries"
        description="Summary tables kept exact by triggers, checked against what is really installed: a missing or disabled trigger shows as broken."
      >
        {canWrite && (
          <Link href="/summaries/new" className={buttonClass('primary')}>
            New summary
          </Link>
        )}
      </PageHeader>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <SummariesList canWrite={canWrite} />
        <div className="mt-6">
          <LatencyOverview />
        </div>
      </HydrationBoundary>
    </>
  );
}
