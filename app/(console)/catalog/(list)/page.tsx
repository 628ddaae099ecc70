import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { getPool } from '@/lib/db/pool';
import { getCatalogOverview } from '@/lib/catalog/get-catalog-overview';
import { CatalogBrowser } from '@/components/catalog/catalog-browser';
import { catalogOverviewQuery } from '@/components/catalog/queries';
import { getQueryClient } from '@/components/query/get-query-client';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/app/_server/page-user';

export const metadata: Metadata = { title: 'Catalog' };

export default async function CatalogPage() {
  await requirePageUser('/catalog');
  const queryClient = getQueryClient();
  // fetchQuery (not prefetchQuery) so that a database error reaches error.tsx.
  await queryClient.fetchQuery(catalogOverviewQuery(() => getCatalogOverview(getPool())));
  return (
    <>
      <PageHeader
        title="Catalog"
        description="Schemas, tables and views in the connected database. Pick the source of a slow GROUP BY query to see its columns, keys and indexes."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <CatalogBrowser />
      </HydrationBoundary>
    </>
  );
}
