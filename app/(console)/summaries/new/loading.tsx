import { Skeleton } from '@/components/ui/skeleton';

export default function NewSummaryLoading() {
  return (
    <div role="status" aria-label="Loading the editor">
      <Skeleton className="mb-2 h-4 w-24" />
      <Skeleton className="mb-2 h-6 w-48" />
      <Skeleton className="mb-8 h-4 w-96 max-w-full" />
      <div className="grid gap-6 xl:grid-cols-2">
        <div className="space-y-4">
          <Skeleton className="h-28" />
          <Skeleton className="h-40" />
          <Skeleton className="h-40" />
        </div>
        <Skeleton className="h-96" />
      </div>
    </div>
  );
}
