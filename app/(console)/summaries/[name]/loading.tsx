import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';

export default function SummaryLoading() {
  return (
    <div>
      <Skeleton className="mb-3 h-4 w-24" />
      <Skeleton className="mb-6 h-7 w-64" />
      <div className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-16" />
        ))}
      </div>
      <TableSkeleton label="Loading the summary" rows={6} />
    </div>
  );
}
