import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';

export default function AuditLoading() {
  return (
    <div>
      <Skeleton className="mb-2 h-6 w-32" />
      <Skeleton className="mb-8 h-4 w-96 max-w-full" />
      <TableSkeleton label="Loading the audit log" rows={10} />
    </div>
  );
}
