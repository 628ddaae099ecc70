import type { AuthConfig } from './auth-config';
import { createSessionToken, verifySessionToken, type Role, type Session } from './session-token';

export const SESSION_COOKIE = 'tally_session';
/** Sessions are short because a signed token cannot be revoked before it expires. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

export interface CookieSpec {
  readonly name: string;
  readonly value: string;
  readonly httpOnly: true;
  readonly sameSite: 'lax';
  readonly secure: boolean;
  readonly path: '/';
  readonly maxAge: number;
}

/** The cookie that signs `role` in. `secure` when the request came over https. */
export function sessionCookie(
  role: Role,
  key: Buffer,
  secure: boolean,
  now = new Date(),
): CookieSpec {
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000);
  return {
    name: SESSION_COOKIE,
    value: createSessionToken({ role, issuedAt: now, expiresAt }, key),
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: SESSION_TTL_SECONDS,
  };
}

/** The cookie that signs out: same name and path, empty, already expired. */
export function clearedSessionCookie(secure: boolean): CookieSpec {
  return {
    name: SESSION_COOKIE,
    value: '',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: 0,
  };
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}

/** The verified session in a cookie value, or null (also null in demo mode: there are none). */
export function sessionFromCookie(
  value: string | undefined,
  config: AuthConfig,
  now = new Date(),
): Session | null {
  if (config.mode !== 'password' || !value) return null;
  return verifySessionToken(value, config.key, now);
}

/** Whether the client reached us over https (directly or through a proxy that says so). */
export function isHttps(request: Request): boolean {
  const forwarded = request.headers.get('x-forwarded-proto');
  if (forwarded) return forwarded.split(',')[0]!.trim() === 'https';
  return new URL(request.url).protocol === 'https:';
}
