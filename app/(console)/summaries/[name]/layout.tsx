import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { getPool } from '@/lib/db/pool';
import { summaryPath } from '@/components/summaries/queries';
import { requirePageUser } from '@/app/_server/page-user';
import { summaryFromPageParams } from '@/app/_server/summary-params';

/**
 * Existence is checked here, above this segment's loading.tsx: once the loading fallback has
 * streamed the status is 200 for good, and a missing summary must answer 404.
 */
export default async function SummaryLayout({
  params,
  children,
}: {
  params: Promise<{ name: string }>;
  children: ReactNode;
}) {
  const name = summaryFromPageParams(await params);
  if (!name) notFound();
  await requirePageUser(summaryPath(name));
  const { rowCount } = await getPool().query('SELECT 1 FROM tally.summaries WHERE name = $1', [
    name,
  ]);
  if (!rowCount) notFound();
  return children;
}
