import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { getPool } from '@/lib/db/pool';
import { getServerInfo } from '@/lib/catalog/get-server-info';
import type { ServerInfo } from '@/lib/catalog/catalog-types';
import { AppShell } from '@/components/shell/app-shell';
import { currentUser } from '@/app/_server/page-user';

async function loadServerInfo(): Promise<ServerInfo | null> {
  try {
    return await getServerInfo(getPool());
  } catch (e) {
    // The shell still renders; the page below shows the actual error.
    console.error(e);
    return null;
  }
}

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) redirect('/signin');
  return (
    <AppShell user={user} server={await loadServerInfo()}>
      {children}
    </AppShell>
  );
}
