import { NextResponse } from 'next/server';
import { isSameOrigin } from '@/lib/auth/same-origin';
import { clearedSessionCookie, isHttps } from '@/lib/auth/session-cookie';

/** Public: signing out needs no session, only our own origin (no forced sign-out from elsewhere). */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOrigin(request.headers))
    return Response.json({ error: 'cross-origin request refused' }, { status: 403 });
  const response = NextResponse.json({ signedOut: true });
  response.cookies.set(clearedSessionCookie(isHttps(request)));
  return response;
}
