'use client';

import { ErrorPanel } from '@/components/ui/error-panel';

export default function CatalogError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPanel title="Could not read the catalog" error={error} onRetry={retry} />;
}
