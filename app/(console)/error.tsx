'use client';

import { ErrorPanel } from '@/components/ui/error-panel';

export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPanel error={error} onRetry={retry} />;
}
