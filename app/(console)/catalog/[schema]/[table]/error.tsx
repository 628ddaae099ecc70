'use client';

import { ErrorPanel } from '@/components/ui/error-panel';

export default function TableError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPanel title="Could not read this table" error={error} onRetry={retry} />;
}
