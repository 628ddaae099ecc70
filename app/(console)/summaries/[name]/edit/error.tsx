'use client';

import { ErrorPanel } from '@/components/ui/error-panel';

export default function EditSummaryError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPanel title="Could not open the editor" error={error} onRetry={retry} />;
}
