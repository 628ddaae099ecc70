import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { getPool } from '@/lib/db/pool';
import { findRelation } from '@/lib/catalog/find-relation';
import { tablePath } from '@/components/catalog/queries';
import { requirePageUser } from '@/app/_server/page-user';
import { relationFromPageParams } from '@/app/_server/relation-params';

/**
 * Existence is checked here, above this segment's loading.tsx: once the loading fallback
 * has streamed, the status is 200 for good, and a missing table must answer 404.
 */
export default async function TableLayout({
  params,
  children,
}: {
  params: Promise<{ schema: string; table: string }>;
  children: ReactNode;
}) {
  const relation = relationFromPageParams(await params);
  if (!relation) notFound();
  await requirePageUser(tablePath(relation.schema, relation.table));
  if (!(await findRelation(getPool(), relation.schema, relation.table))) notFound();
  return children;
}
