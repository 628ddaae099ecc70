import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getPool } from '@/lib/db/pool';
import { NotFoundError } from '@/lib/errors';
import { getSummaryDetail } from '@/lib/summary/summary-overview';
import { getQueryClient } from '@/components/query/get-query-client';
import { summaryDetailQuery, summaryPath } from '@/components/summaries/queries';
import { SummaryDetailView } from '@/components/summaries/summary-detail-view';
import { requirePageUser } from '@/app/_server/page-user';
import { summaryFromPageParams } from '@/app/_server/summary-params';

interface Props {
  params: Promise<{ name: string }>;
  searchParams: Promise<{ applied?: string | string[] }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).name };
}

export default async function SummaryPage({ params, searchParams }: Props) {
  const name = summaryFromPageParams(await params);
  if (!name) notFound();
  const user = await requirePageUser(summaryPath(name));
  const queryClient = getQueryClient();
  const detail = await queryClient.fetchQuery(
    summaryDetailQuery(name, () =>
      getSummaryDetail(getPool(), name).catch((e: unknown) => {
        if (e instanceof NotFoundError) return null;
        throw e;
      }),
    ),
  );
  // dropped between the layout's check and now
  if (!detail) notFound();
  const applied = (await searchParams).applied;
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <SummaryDetailView
        name={name}
        canWrite={user.role === 'admin'}
        applied={applied === 'create' || applied === 'rebuild' ? applied : null}
      />
    </HydrationBoundary>
  );
}
