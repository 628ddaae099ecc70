import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';

export default function SummariesLoading() {
  return (
    <div>
      <Skeleton className="mb-2 h-6 w-40" />
      <Skeleton className="mb-8 h-4 w-96 max-w-full" />
      <div className="mb-4 flex gap-3">
        <Skeleton className="h-8 w-72" />
        <Skeleton className="h-8 w-40" />
      </div>
      <TableSkeleton label="Loading the summaries" rows={5} />
    </div>
  );
}
