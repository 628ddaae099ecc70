import { readAuthConfig, type AuthConfig } from './auth-config';
import { isSameOrigin } from './same-origin';
import { readCookie, SESSION_COOKIE, sessionFromCookie } from './session-cookie';
import type { Role } from './session-token';

export interface User {
  readonly role: Role;
  /** true in demo mode: nobody signed in, the console trusts loopback */
  readonly demo: boolean;
}

export type AuthResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

/** GET and HEAD read; every other method is a mutation. */
export function isMutationMethod(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/**
 * The one check every route handler makes (the proxy makes it too: defense in depth).
 * Mutations must come from our own origin, also in demo mode: a page on another site must
 * not be able to drive a console listening on loopback. Viewers cannot mutate.
 */
export function requireUser(
  request: Request,
  opts: { mutation: boolean },
  config: AuthConfig = readAuthConfig(),
): AuthResult {
  if (opts.mutation && !isSameOrigin(request.headers))
    return { ok: false, status: 403, message: 'cross-origin request refused' };
  if (config.mode === 'demo') return { ok: true, user: { role: 'admin', demo: true } };
  const session = sessionFromCookie(
    readCookie(request.headers.get('cookie'), SESSION_COOKIE),
    config,
  );
  if (!session) return { ok: false, status: 401, message: 'sign in required' };
  if (opts.mutation && session.role !== 'admin')
    return { ok: false, status: 403, message: 'the viewer role is read-only' };
  return { ok: true, user: { role: session.role, demo: false } };
}
