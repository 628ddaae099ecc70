import { createHmac } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { NextRequest } from 'next/server';
import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { createSessionToken, verifySessionToken } from '../lib/auth/session-token';
import { readAuthConfig } from '../lib/auth/auth-config';
import { checkPassword } from '../lib/auth/check-password';
import { isSameOrigin } from '../lib/auth/same-origin';
import { requireUser } from '../lib/auth/require-user';
import { readCookie, SESSION_COOKIE, sessionCookie } from '../lib/auth/session-cookie';
import { safeNextPath } from '../lib/auth/public-paths';
import { config as proxyConfig, proxy } from '../proxy';
import { listAppRoutes, PUBLIC_ROUTES } from '../e2e/app-routes';

const ROOT = path.resolve(import.meta.dirname, '..');
const ORIGIN = 'http://127.0.0.1:3000';
const key = Buffer.alloc(32, 7);

const ENV_KEYS = ['TALLY_PASSWORD', 'TALLY_VIEWER_PASSWORD', 'TALLY_SECRET'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
function setEnv(values: Partial<Record<(typeof ENV_KEYS)[number], string>>) {
  for (const k of ENV_KEYS) {
    if (values[k] === undefined) delete process.env[k];
    else process.env[k] = values[k];
  }
}
afterEach(() => setEnv(savedEnv as Record<string, string>));

describe('session tokens', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const later = new Date(now.getTime() + 3600_000);

  test('sign and verify', () => {
    const token = createSessionToken({ role: 'viewer', issuedAt: now, expiresAt: later }, key);
    expect(verifySessionToken(token, key, now)).toEqual({
      role: 'viewer',
      issuedAt: now,
      expiresAt: later,
    });
  });

  test('expired at exactly exp, and after', () => {
    const token = createSessionToken({ role: 'admin', issuedAt: now, expiresAt: later }, key);
    expect(verifySessionToken(token, key, new Date(later.getTime() - 1000))).not.toBeNull();
    expect(verifySessionToken(token, key, later)).toBeNull();
    expect(verifySessionToken(token, key, new Date(later.getTime() + 1))).toBeNull();
  });

  test('tampering with the payload, the signature or the key is rejected', () => {
    const token = createSessionToken({ role: 'viewer', issuedAt: now, expiresAt: later }, key);
    const [body, sig] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), role: 'admin' }),
    ).toString('base64url');
    expect(verifySessionToken(`${forged}.${sig}`, key, now)).toBeNull();
    const flipped = sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.at(-1);
    expect(verifySessionToken(`${body}.${flipped}`, key, now)).toBeNull();
    expect(verifySessionToken(token, Buffer.alloc(32, 8), now)).toBeNull();
    for (const junk of ['', '.', 'abc', `${body}.`, `.${sig}`, `${body}.${sig}.x`, 'a.b'])
      expect(verifySessionToken(junk, key, now)).toBeNull();
  });

  test('a correctly signed payload of the wrong shape is rejected', () => {
    const sign = (payload: unknown) => {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
    };
    const exp = Math.floor(later.getTime() / 1000);
    expect(verifySessionToken(sign({ v: 1, role: 'admin', iat: 0, exp }), key, now)?.role).toBe(
      'admin',
    );
    expect(verifySessionToken(sign({ v: 1, role: 'root', iat: 0, exp }), key, now)).toBeNull();
    expect(verifySessionToken(sign({ v: 2, role: 'admin', iat: 0, exp }), key, now)).toBeNull();
    expect(
      verifySessionToken(sign({ v: 1, role: 'admin', iat: 0, exp, extra: 1 }), key, now),
    ).toBeNull();
  });
});

describe('configuration and passwords', () => {
  test('demo mode without TALLY_PASSWORD', () => {
    expect(readAuthConfig({}).mode).toBe('demo');
    expect(readAuthConfig({ TALLY_VIEWER_PASSWORD: 'v' }).mode).toBe('demo');
  });

  test('the derived key depends on both passwords; TALLY_SECRET replaces it', () => {
    const a = readAuthConfig({ TALLY_PASSWORD: 'p' });
    const b = readAuthConfig({ TALLY_PASSWORD: 'p', TALLY_VIEWER_PASSWORD: 'v' });
    const c = readAuthConfig({ TALLY_PASSWORD: 'q', TALLY_VIEWER_PASSWORD: 'v' });
    const s1 = readAuthConfig({ TALLY_PASSWORD: 'p', TALLY_SECRET: 's' });
    const s2 = readAuthConfig({ TALLY_PASSWORD: 'q', TALLY_SECRET: 's' });
    if (
      a.mode !== 'password' ||
      b.mode !== 'password' ||
      c.mode !== 'password' ||
      s1.mode !== 'password' ||
      s2.mode !== 'password'
    )
      throw new Error('expected password mode');
    expect(a.key.equals(b.key)).toBe(false);
    expect(b.key.equals(c.key)).toBe(false);
    expect(s1.key.equals(s2.key)).toBe(true);
    expect(s1.key.equals(a.key)).toBe(false);
    // deterministic, so sessions survive a restart
    expect(readAuthConfig({ TALLY_PASSWORD: 'p' })).toEqual(a);
  });

  test('password check: admin, viewer, wrong', () => {
    const config = readAuthConfig({
      TALLY_PASSWORD: 'admin-pw',
      TALLY_VIEWER_PASSWORD: 'viewer-pw',
    });
    expect(checkPassword(config, 'admin-pw')).toBe('admin');
    expect(checkPassword(config, 'viewer-pw')).toBe('viewer');
    expect(checkPassword(config, 'admin-p')).toBeNull();
    expect(checkPassword(config, '')).toBeNull();
    expect(checkPassword(readAuthConfig({ TALLY_PASSWORD: 'x' }), '')).toBeNull();
    expect(checkPassword(readAuthConfig({}), 'anything')).toBeNull();
  });

  test('the session cookie is http-only, SameSite=Lax, Secure on https only', () => {
    const c = sessionCookie('admin', key, true);
    expect(c).toMatchObject({
      name: SESSION_COOKIE,
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/',
    });
    expect(sessionCookie('admin', key, false).secure).toBe(false);
    expect(readCookie(`a=1; ${SESSION_COOKIE}=${c.value}; b=2`, SESSION_COOKIE)).toBe(c.value);
  });

  test('next= only ever leads to a local path', () => {
    expect(safeNextPath('/catalog/a/b?x=1')).toBe('/catalog/a/b?x=1');
    for (const bad of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      '',
      null,
      undefined,
    ])
      expect(safeNextPath(bad)).toBe('/catalog');
  });
});

describe('requireUser', () => {
  const config = readAuthConfig({ TALLY_PASSWORD: 'admin-pw', TALLY_VIEWER_PASSWORD: 'viewer-pw' });
  const token = (role: 'admin' | 'viewer') =>
    config.mode === 'password' ? sessionCookie(role, config.key, false).value : '';
  const req = (method: string, headers: Record<string, string>) =>
    new Request(`${ORIGIN}/api/x`, { method, headers });

  test('no session, bad session → 401', () => {
    expect(requireUser(req('GET', {}), { mutation: false }, config)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(
      requireUser(req('GET', { cookie: `${SESSION_COOKIE}=nope` }), { mutation: false }, config),
    ).toMatchObject({ ok: false, status: 401 });
  });

  test('viewer reads but cannot mutate; admin can', () => {
    const sameOrigin = { origin: ORIGIN, host: '127.0.0.1:3000' };
    expect(
      requireUser(
        req('GET', { cookie: `${SESSION_COOKIE}=${token('viewer')}` }),
        { mutation: false },
        config,
      ),
    ).toMatchObject({ ok: true, user: { role: 'viewer' } });
    expect(
      requireUser(
        req('POST', { ...sameOrigin, cookie: `${SESSION_COOKIE}=${token('viewer')}` }),
        { mutation: true },
        config,
      ),
    ).toMatchObject({ ok: false, status: 403 });
    expect(
      requireUser(
        req('POST', { ...sameOrigin, cookie: `${SESSION_COOKIE}=${token('admin')}` }),
        { mutation: true },
        config,
      ),
    ).toMatchObject({ ok: true, user: { role: 'admin', demo: false } });
  });

  test('mutations need our own origin, also in demo mode', () => {
    const admin = { cookie: `${SESSION_COOKIE}=${token('admin')}` };
    expect(
      requireUser(
        req('POST', { ...admin, origin: 'https://evil.example', host: '127.0.0.1:3000' }),
        { mutation: true },
        config,
      ),
    ).toMatchObject({ status: 403 });
    expect(
      requireUser(
        req('POST', { ...admin, 'sec-fetch-site': 'cross-site' }),
        { mutation: true },
        config,
      ),
    ).toMatchObject({ status: 403 });
    expect(
      requireUser(
        req('POST', { ...admin, 'sec-fetch-site': 'same-site' }),
        { mutation: true },
        config,
      ),
    ).toMatchObject({ status: 403 });
    expect(requireUser(req('POST', admin), { mutation: true }, config)).toMatchObject({
      status: 403,
    });
    const demo = readAuthConfig({});
    expect(
      requireUser(
        req('POST', { origin: 'https://evil.example', host: '127.0.0.1:3000' }),
        { mutation: true },
        demo,
      ),
    ).toMatchObject({ status: 403 });
    expect(
      requireUser(req('POST', { 'sec-fetch-site': 'same-origin' }), { mutation: true }, demo),
    ).toMatchObject({ ok: true, user: { demo: true } });
  });

  test('same-origin check', () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(isSameOrigin(h({ 'sec-fetch-site': 'same-origin' }))).toBe(true);
    expect(
      isSameOrigin(h({ 'sec-fetch-site': 'cross-site', origin: ORIGIN, host: '127.0.0.1:3000' })),
    ).toBe(false);
    expect(isSameOrigin(h({ origin: ORIGIN, host: '127.0.0.1:3000' }))).toBe(true);
    expect(isSameOrigin(h({ origin: 'http://127.0.0.1:3001', host: '127.0.0.1:3000' }))).toBe(
      false,
    );
    expect(isSameOrigin(h({ origin: 'null', host: '127.0.0.1:3000' }))).toBe(false);
    expect(isSameOrigin(h({ host: '127.0.0.1:3000' }))).toBe(false);
  });
});

describe('every page and route handler requires a session', () => {
  const routes = listAppRoutes(ROOT);
  const pages = routes.filter((r) => r.kind === 'page');
  const handlers = routes.filter((r) => r.kind === 'route');
  beforeEach(() => setEnv({ TALLY_PASSWORD: 'test-admin-pw' }));

  test('the enumeration finds the app', () => {
    expect(pages.map((p) => p.path)).toEqual(
      expect.arrayContaining(['/', '/catalog', '/catalog/sample/sample', '/signin']),
    );
    expect(handlers.map((p) => p.path)).toEqual(
      expect.arrayContaining(['/api/catalog', '/api/catalog/sample/sample', '/api/auth/signin']),
    );
    // every public entry is still there: a renamed sign-in route must not leave a stale allowance
    for (const p of PUBLIC_ROUTES) expect(routes.some((r) => r.path === p)).toBe(true);
  });

  test.each(routes.map((r) => [r.path, r]))('the proxy runs on %s', (_path, route) => {
    expect(unstable_doesMiddlewareMatch({ config: proxyConfig, url: route.path })).toBe(true);
  });

  test.each(pages.filter((p) => !PUBLIC_ROUTES.has(p.path)).map((p) => [p.path, p]))(
    'page %s redirects to sign-in',
    (_path, page) => {
      const res = proxy(new NextRequest(`${ORIGIN}${page.path}?a=1`));
      expect(res.status).toBe(307);
      const location = new URL(res.headers.get('location')!);
      expect(location.pathname).toBe('/signin');
      expect(location.searchParams.get('next')).toBe(`${page.path}?a=1`);
    },
  );

  test.each(handlers.filter((p) => !PUBLIC_ROUTES.has(p.path)).map((p) => [p.path, p]))(
    'route %s answers 401 (proxy and handler)',
    async (_path, route) => {
      const mod = (await import(path.join(ROOT, route.file))) as Record<string, unknown>;
      const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].filter(
        (m) => typeof mod[m] === 'function',
      );
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods) {
        // same-origin headers, so the only thing missing is the session
        const init = {
          method,
          headers: { origin: ORIGIN, host: '127.0.0.1:3000', 'sec-fetch-site': 'same-origin' },
        };
        const viaProxy = proxy(new NextRequest(`${ORIGIN}${route.path}`, init));
        expect(viaProxy.status, `${method} ${route.path} via proxy`).toBe(401);
        const handler = mod[method] as (req: Request, ctx: unknown) => Promise<Response>;
        const direct = await handler(new Request(`${ORIGIN}${route.path}`, init), {
          params: Promise.resolve(route.params),
        });
        expect(direct.status, `${method} ${route.path} called directly`).toBe(401);
        expect(await direct.json()).toEqual({ error: 'sign in required' });
      }
    },
  );

  test('public routes are reachable, and their POSTs still refuse other origins', async () => {
    expect(proxy(new NextRequest(`${ORIGIN}/signin`)).headers.get('x-middleware-next')).toBe('1');
    for (const p of ['/api/auth/signin', '/api/auth/signout']) {
      const { POST } = (await import(path.join(ROOT, 'app', p, 'route.ts'))) as {
        POST: (r: Request) => Promise<Response>;
      };
      const res = await POST(
        new Request(`${ORIGIN}${p}`, {
          method: 'POST',
          headers: { origin: 'https://evil.example', host: '127.0.0.1:3000' },
        }),
      );
      expect(res.status).toBe(403);
    }
  });

  test('a valid session passes the proxy; demo mode needs none', () => {
    const config = readAuthConfig();
    if (config.mode !== 'password') throw new Error('expected password mode');
    const cookie = `${SESSION_COOKIE}=${sessionCookie('viewer', config.key, false).value}`;
    expect(
      proxy(new NextRequest(`${ORIGIN}/catalog`, { headers: { cookie } })).headers.get(
        'x-middleware-next',
      ),
    ).toBe('1');
    expect(
      proxy(new NextRequest(`${ORIGIN}/api/catalog`, { headers: { cookie } })).headers.get(
        'x-middleware-next',
      ),
    ).toBe('1');
    setEnv({});
    expect(proxy(new NextRequest(`${ORIGIN}/catalog`)).headers.get('x-middleware-next')).toBe('1');
  });
});

describe('sign-in and sign-out handlers', () => {
  beforeEach(() => setEnv({ TALLY_PASSWORD: 'admin-pw', TALLY_VIEWER_PASSWORD: 'viewer-pw' }));
  const post = async (p: string, body: unknown, proto = 'http') => {
    const { POST } = (await import(path.join(ROOT, 'app', p, 'route.ts'))) as {
      POST: (r: Request) => Promise<Response>;
    };
    return POST(
      new Request(`${proto}://127.0.0.1:3000${p}`, {
        method: 'POST',
        headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  };

  test('wrong password → 401 and no cookie; right one → a session cookie for the role', async () => {
    const wrong = await post('/api/auth/signin', { password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect((await post('/api/auth/signin', {})).status).toBe(400);

    const ok = await post('/api/auth/signin', { password: 'viewer-pw' });
    expect(ok.status).toBe(200);
    const setCookie = ok.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(setCookie.toLowerCase()).toContain('httponly');
    expect(setCookie.toLowerCase()).toContain('samesite=lax');
    expect(setCookie.toLowerCase()).not.toContain('secure');
    const value = readCookie(setCookie.split(';')[0]!, SESSION_COOKIE)!;
    const config = readAuthConfig();
    expect(config.mode === 'password' && verifySessionToken(value, config.key)?.role).toBe(
      'viewer',
    );

    const https = await post('/api/auth/signin', { password: 'admin-pw' }, 'https');
    expect(https.headers.get('set-cookie')!.toLowerCase()).toContain('secure');
  });

  test('sign-out clears the cookie', async () => {
    const res = await post('/api/auth/signout', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(
      new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`, 'i'),
    );
  });
});
