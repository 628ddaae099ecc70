import type { ReactNode } from 'react';

/** "Nothing here": centred for a whole page or list, compact for one section of a page. */
export function EmptyState({
  title,
  compact,
  children,
}: {
  title: string;
  compact?: boolean;
  children?: ReactNode;
}) {
  if (compact)
    return (
      <div className="px-4 py-3 text-sm text-zinc-500 dark:text-zinc-400">
        {title}
        {children && <span> {children}</span>}
      </div>
    );
  return (
    <div className="px-6 py-10 text-center">
      <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{title}</p>
      {children && <div className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{children}</div>}
    </div>
  );
}
