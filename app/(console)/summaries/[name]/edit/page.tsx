import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getPool } from '@/lib/db/pool';
import { getCatalogOverview } from '@/lib/catalog/get-catalog-overview';
import { NotFoundError } from '@/lib/errors';
import { getSummaryDetail } from '@/lib/summary/summary-overview';
import { catalogOverviewQuery } from '@/components/catalog/queries';
import { getQueryClient } from '@/components/query/get-query-client';
import { summaryPath } from '@/components/summaries/queries';
import { SummaryEditor } from '@/components/summaries/summary-editor';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Panel } from '@/components/ui/panel';
import { requirePageUser } from '@/app/_server/page-user';
import { summaryFromPageParams } from '@/app/_server/summary-params';

interface Props {
  params: Promise<{ name: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Edit ${(await params).name}` };
}

/** Editing never changes a summary in place: the editor shows the SQL diff and rebuilds it. */
export default async function EditSummaryPage({ params }: Props) {
  const name = summaryFromPageParams(await params);
  if (!name) notFound();
  const user = await requirePageUser(`${summaryPath(name)}/edit`);
  const summary = await getSummaryDetail(getPool(), name).catch((e: unknown) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const header = (
    <>
      <nav
        aria-label="Breadcrumb"
        className="mb-2 flex gap-1.5 text-sm text-zinc-500 dark:text-zinc-400"
      >
        <Link
          href="/summaries"
          className="hover:text-zinc-900 hover:underline dark:hover:text-zinc-100"
        >
          Summaries
        </Link>
        <span aria-hidden="true">/</span>
        <Link
          href={summaryPath(name)}
          className="font-mono hover:text-zinc-900 hover:underline dark:hover:text-zinc-100"
        >
          {name}
        </Link>
      </nav>
      <PageHeader
        title={`Edit ${name}`}
        description={`Version ${summary.version} stays in place until you rebuild: then its uninstall script and the new install run in one transaction, as version ${summary.version + 1}.`}
      />
    </>
  );
  if (user.role !== 'admin')
    return (
      <>
        {header}
        <Panel>
          <EmptyState title="Read-only">The viewer role cannot change summaries.</EmptyState>
        </Panel>
      </>
    );
  const queryClient = getQueryClient();
  await queryClient.fetchQuery(catalogOverviewQuery(() => getCatalogOverview(getPool())));
  return (
    <>
      {header}
      <HydrationBoundary state={dehydrate(queryClient)}>
        <SummaryEditor replacing={summary} />
      </HydrationBoundary>
    </>
  );
}
