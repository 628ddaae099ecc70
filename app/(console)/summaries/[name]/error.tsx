'use client';

import { ErrorPanel } from '@/components/ui/error-panel';

export default function SummaryError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPanel title="Could not read this summary" error={error} onRetry={retry} />;
}
