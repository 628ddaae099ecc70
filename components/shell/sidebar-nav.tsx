'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/components/ui/cn';
import { NavIcon } from './nav-icons';
import { NAV_ITEMS } from './nav-items';

export function SidebarNav({ orientation }: { orientation: 'vertical' | 'horizontal' }) {
  const pathname = usePathname();
  const vertical = orientation === 'vertical';
  return (
    <nav aria-label="Main" className={vertical ? 'flex-1 px-3 py-4' : 'min-w-0 overflow-x-auto'}>
      <ul className={vertical ? 'space-y-0.5' : 'flex gap-1'}>
        {NAV_ITEMS.map((item) => {
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? 'page' : undefined}
                className={cn(
                  'flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors',
                  'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-600',
                  active
                    ? 'bg-zinc-200/70 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50'
                    : 'text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-zinc-100',
                )}
              >
                <NavIcon name={item.icon} className="size-4 shrink-0" />
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
