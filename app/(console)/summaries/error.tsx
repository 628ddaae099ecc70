'use client';

import { ErrorPanel } from '@/components/ui/error-panel';

export default function SummariesError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPanel title="Could not read the summaries" error={error} onRetry={retry} />;
}
