import { NextResponse } from 'next/server';
import { z } from 'zod';
import { readAuthConfig } from '@/lib/auth/auth-config';
import { checkPassword } from '@/lib/auth/check-password';
import { isSameOrigin } from '@/lib/auth/same-origin';
import { isHttps, sessionCookie } from '@/lib/auth/session-cookie';

const bodySchema = z.strictObject({ password: z.string().min(1).max(1024) });

/** Public by necessity; still same-origin only, so another site cannot sign a browser in. */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOrigin(request.headers))
    return Response.json({ error: 'cross-origin request refused' }, { status: 403 });
  const config = readAuthConfig();
  if (config.mode === 'demo') return Response.json({ role: 'admin', demo: true });
  const body = bodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) return Response.json({ error: 'password: required' }, { status: 400 });
  const role = checkPassword(config, body.data.password);
  if (!role) return Response.json({ error: 'Wrong password' }, { status: 401 });
  const response = NextResponse.json({ role, demo: false });
  response.cookies.set(sessionCookie(role, config.key, isHttps(request)));
  return response;
}
