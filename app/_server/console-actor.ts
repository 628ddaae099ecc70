import type { User } from '@/lib/auth/require-user';

/** Who is acting, for the audit log and created_by: the console has roles, not user names. */
export function consoleActor(user: User): string {
  return user.demo ? 'console:demo' : `console:${user.role}`;
}
