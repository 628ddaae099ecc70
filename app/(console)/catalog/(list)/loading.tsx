import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';

export default function CatalogLoading() {
  return (
    <div>
      <Skeleton className="mb-2 h-6 w-32" />
      <Skeleton className="mb-8 h-4 w-96 max-w-full" />
      <div className="mb-6 flex gap-3">
        <Skeleton className="h-8 w-72" />
        <Skeleton className="h-8 w-44" />
      </div>
      <TableSkeleton label="Loading the catalog" rows={8} />
    </div>
  );
}
