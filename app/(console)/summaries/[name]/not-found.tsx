import Link from 'next/link';
import { buttonClass } from '@/components/ui/button-class';
import { EmptyState } from '@/components/ui/empty-state';
import { Panel } from '@/components/ui/panel';

export default function SummaryNotFound() {
  return (
    <Panel>
      <EmptyState title="Summary not found">
        <p>There is no summary of that name.</p>
        <Link href="/summaries" className={buttonClass('secondary', 'mt-4')}>
          Back to the summaries
        </Link>
      </EmptyState>
    </Panel>
  );
}
