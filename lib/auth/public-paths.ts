/** The only paths reachable without a session: the sign-in page and the sign-in/out endpoints. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set([
  '/signin',
  '/api/auth/signin',
  '/api/auth/signout',
]);

/** Next's own assets and files from the app root (icon, favicon) carry no data. */
export function isPublicPath(pathname: string): boolean {
  if (PUBLIC_PATHS.has(pathname)) return true;
  return (
    pathname.startsWith('/_next/static/') ||
    pathname.startsWith('/_next/image') ||
    pathname === '/favicon.ico' ||
    pathname === '/icon.svg'
  );
}

/** A `next` redirect target we accept: a local path, never another origin (`//evil`, `/\evil`). */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return '/catalog';
  return next;
}
