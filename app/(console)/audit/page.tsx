import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { getPool } from '@/lib/db/pool';
import { listAuditEntries } from '@/lib/summary/audit-log';
import { getQueryClient } from '@/components/query/get-query-client';
import { AuditLogView } from '@/components/summaries/audit-log-view';
import { auditLogQuery, type AuditFilters } from '@/components/summaries/queries';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageUser } from '@/app/_server/page-user';

export const metadata: Metadata = { title: 'Audit log' };

interface Props {
  searchParams: Promise<{ summary?: string | string[]; outcome?: string | string[] }>;
}

export default async function AuditPage({ searchParams }: Props) {
  await requirePageUser('/audit');
  const sp = await searchParams;
  const summary =
    typeof sp.summary === 'string' && sp.summary ? sp.summary.slice(0, 200) : undefined;
  const outcome = sp.outcome === 'ok' || sp.outcome === 'error' ? sp.outcome : undefined;
  const filters: AuditFilters = {
    ...(summary ? { summary } : {}),
    ...(outcome ? { outcome } : {}),
  };
  const queryClient = getQueryClient();
  await queryClient.fetchInfiniteQuery(
    auditLogQuery(filters, () => listAuditEntries(getPool(), filters)),
  );
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every statement Tally ran against this database: who, when, the SQL and its outcome. Failed attempts are kept too."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <AuditLogView filters={filters} />
      </HydrationBoundary>
    </>
  );
}
