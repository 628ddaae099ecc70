import { NextResponse, type NextRequest } from 'next/server';
import { readAuthConfig } from '@/lib/auth/auth-config';
import { isPublicPath } from '@/lib/auth/public-paths';
import { isMutationMethod, requireUser } from '@/lib/auth/require-user';
import { SESSION_COOKIE, sessionFromCookie } from '@/lib/auth/session-cookie';

/**
 * The first wall: no page or API route is reached without a session (except in demo mode).
 * Pages redirect to /signin?next=…; the API answers 401 JSON. Route handlers and pages check
 * again themselves, so a matcher mistake here does not open anything.
 */
export function proxy(request: NextRequest): Response {
  const { pathname, search } = request.nextUrl;
  if (isPublicPath(pathname)) return NextResponse.next();
  const config = readAuthConfig();

  if (pathname === '/api' || pathname.startsWith('/api/')) {
    const auth = requireUser(request, { mutation: isMutationMethod(request.method) }, config);
    return auth.ok
      ? NextResponse.next()
      : NextResponse.json({ error: auth.message }, { status: auth.status });
  }

  if (
    config.mode === 'demo' ||
    sessionFromCookie(request.cookies.get(SESSION_COOKIE)?.value, config)
  )
    return NextResponse.next();
  const signin = new URL('/signin', request.url);
  signin.search = '';
  signin.searchParams.set('next', pathname + search);
  return NextResponse.redirect(signin);
}

export const config = {
  // Everything but Next's static assets; the favicon is public via isPublicPath.
  matcher: ['/((?!_next/static|_next/image).*)'],
};
