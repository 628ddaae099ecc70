import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getPool } from '@/lib/db/pool';
import { getTableDetail } from '@/lib/catalog/get-table-detail';
import { TableDetailView } from '@/components/catalog/table-detail-view';
import { tableDetailQuery, tablePath } from '@/components/catalog/queries';
import { getQueryClient } from '@/components/query/get-query-client';
import { requirePageUser } from '@/app/_server/page-user';
import { relationFromPageParams } from '@/app/_server/relation-params';

interface Props {
  params: Promise<{ schema: string; table: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  // generateMetadata receives decoded params (see relationFromPageParams)
  const { schema, table } = await params;
  return { title: `${schema}.${table}` };
}

export default async function TablePage({ params }: Props) {
  const relation = relationFromPageParams(await params);
  if (!relation) notFound();
  const { schema, table } = relation;
  await requirePageUser(tablePath(schema, table));

  const queryClient = getQueryClient();
  const detail = await queryClient.fetchQuery(
    tableDetailQuery(schema, table, () => getTableDetail(getPool(), schema, table)),
  );
  // dropped between the layout's check and now
  if (!detail) notFound();
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <TableDetailView schema={schema} table={table} />
    </HydrationBoundary>
  );
}
