import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getPool } from '@/lib/db/pool';
import { getCatalogOverview } from '@/lib/catalog/get-catalog-overview';
import { catalogOverviewQuery } from '@/components/catalog/queries';
import { getQueryClient } from '@/components/query/get-query-client';
import { SummaryEditor } from '@/components/summaries/summary-editor';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Panel } from '@/components/ui/panel';
import { requirePageUser } from '@/app/_server/page-user';

export const metadata: Metadata = { title: 'New summary' };

export default async function NewSummaryPage() {
  const user = await requirePageUser('/summaries/new');
  const header = (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-500 dark:text-zinc-400">
        <Link
          href="/summaries"
          className="hover:text-zinc-900 hover:underline dark:hover:text-zinc-100"
        >
          Summaries
        </Link>
      </nav>
      <PageHeader
        title="New summary"
        description="Pick the source and what to count, or paste the slow query. The SQL is generated and checked against the database as you go; nothing runs until you apply."
      />
    </>
  );
  if (user.role !== 'admin')
    return (
      <>
        {header}
        <Panel>
          <EmptyState title="Read-only">
            The viewer role can look at summaries but not define them.
          </EmptyState>
        </Panel>
      </>
    );
  const queryClient = getQueryClient();
  await queryClient.fetchQuery(catalogOverviewQuery(() => getCatalogOverview(getPool())));
  return (
    <>
      {header}
      <HydrationBoundary state={dehydrate(queryClient)}>
        <SummaryEditor />
      </HydrationBoundary>
    </>
  );
}
