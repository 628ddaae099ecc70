import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { readAuthConfig } from '@/lib/auth/auth-config';
import type { User } from '@/lib/auth/require-user';
import { SESSION_COOKIE, sessionFromCookie } from '@/lib/auth/session-cookie';

/** The signed-in user (or the demo user), or null. Reading cookies makes the page dynamic. */
export async function currentUser(): Promise<User | null> {
  const config = readAuthConfig();
  const jar = await cookies();
  if (config.mode === 'demo') return { role: 'admin', demo: true };
  const session = sessionFromCookie(jar.get(SESSION_COOKIE)?.value, config);
  return session ? { role: session.role, demo: false } : null;
}

/**
 * Pages call this before loading data, even though the proxy already redirected anonymous
 * requests: layouts are not re-run on client navigation, pages are.
 */
export async function requirePageUser(returnTo: string): Promise<User> {
  const user = await currentUser();
  if (!user) redirect(`/signin?next=${encodeURIComponent(returnTo)}`);
  return user;
}
