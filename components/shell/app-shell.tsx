import Link from 'next/link';
import type { ReactNode } from 'react';
import type { User } from '@/lib/auth/require-user';
import type { ServerInfo } from '@/lib/catalog/catalog-types';
import { Badge } from '@/components/ui/badge';
import { ConnectionInfo } from './connection-info';
import { DemoBanner } from './demo-banner';
import { SidebarNav } from './sidebar-nav';
import { SignOutButton } from './sign-out-button';
import { TallyLogo } from './tally-logo';
import { ThemeToggle } from './theme-toggle';

/** The console frame: navigation and connection on the left, user controls on top. */
export function AppShell({
  user,
  server,
  children,
}: {
  user: User;
  server: ServerInfo | null;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-zinc-900"
      >
        Skip to content
      </a>
      {/* The aside stretches with the page (its border and background run to the bottom);
          its content sticks to the viewport. */}
      <aside className="hidden w-56 shrink-0 border-r border-zinc-200 bg-zinc-50 md:block dark:border-zinc-800 dark:bg-zinc-900/40">
        <div className="sticky top-0 flex h-screen flex-col">
          <div className="flex h-14 items-center gap-2.5 border-b border-zinc-200 px-5 dark:border-zinc-800">
            <Link
              href="/catalog"
              className="flex items-center gap-2.5 rounded-md focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
            >
              <TallyLogo className="size-6" />
              <span className="text-[15px] font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">
                Tally
              </span>
            </Link>
          </div>
          <SidebarNav orientation="vertical" />
          <div className="border-t border-zinc-200 px-5 py-4 dark:border-zinc-800">
            <ConnectionInfo server={server} />
          </div>
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        {user.demo && <DemoBanner />}
        <header className="flex h-14 items-center justify-between gap-4 border-b border-zinc-200 bg-white/80 px-6 dark:border-zinc-800 dark:bg-zinc-950/80">
          {/* small screens have no sidebar: the logo and the same links go up here */}
          <div className="flex min-w-0 items-center gap-4 md:hidden">
            <Link href="/catalog" aria-label="Tally" className="shrink-0">
              <TallyLogo className="size-6" />
            </Link>
            <SidebarNav orientation="horizontal" />
          </div>
          <div className="hidden md:block" />
          <div className="flex items-center gap-2">
            {!user.demo && (
              <Badge
                tone={user.role === 'admin' ? 'blue' : 'neutral'}
                title={user.role === 'viewer' ? 'Read-only' : undefined}
              >
                {user.role}
              </Badge>
            )}
            <ThemeToggle />
            {!user.demo && <SignOutButton />}
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-6 py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
