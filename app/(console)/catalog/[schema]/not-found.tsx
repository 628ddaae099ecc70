import Link from 'next/link';
import { buttonClass } from '@/components/ui/button-class';
import { EmptyState } from '@/components/ui/empty-state';

export default function TableNotFound() {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <EmptyState title="Table not found">
        <p>
          There is no table or view by that name in a visible schema. It may have been dropped or
          renamed.
        </p>
        <Link href="/catalog" className={buttonClass('secondary', 'mt-4')}>
          Back to the catalog
        </Link>
      </EmptyState>
    </div>
  );
}
