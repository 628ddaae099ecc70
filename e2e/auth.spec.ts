import path from 'node:path';
import { expect, test } from '@playwright/test';
import { listAppRoutes, PUBLIC_ROUTES } from './app-routes';
import { E2E_PASSWORD } from './e2e-env';

test.describe('sign-in', () => {
  test('a page redirects to sign-in; a wrong password shows an error', async ({ page }) => {
    await page.goto('/catalog');
    await expect(page).toHaveURL(/\/signin\?next=%2Fcatalog$/);
    await expect(page.getByRole('heading', { name: 'Sign in to Tally' })).toBeVisible();
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // (Next's route announcer is an empty role=alert too)
    await expect(page.getByRole('alert').filter({ hasText: 'Wrong password' })).toBeVisible();
    await expect(page).toHaveURL(/\/signin/);
  });

  test('the right password lands on the page asked for; sign-out ends the session', async ({
    page,
    context,
  }) => {
    await page.goto('/catalog');
    await page.getByLabel('Password').fill(E2E_PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await expect(page).toHaveURL(/\/catalog$/);
    await expect(page.getByRole('heading', { name: 'Catalog', level: 1 })).toBeVisible();
    await expect(page.getByText('admin', { exact: true })).toBeVisible();
    // no demo banner when a password is set
    await expect(page.getByText(/Demo mode/)).toHaveCount(0);

    const cookie = (await context.cookies()).find((c) => c.name === 'tally_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin$/);
    expect((await context.cookies()).find((c) => c.name === 'tally_session')).toBeUndefined();
    await page.goto('/catalog');
    await expect(page).toHaveURL(/\/signin\?next=/);
  });
});

test.describe('without a session', () => {
  test('an API request gets 401 JSON', async ({ request }) => {
    const res = await request.get('/api/catalog');
    expect(res.status()).toBe(401);
    expect(await res.json()).toEqual({ error: 'sign in required' });
  });

  test('a cross-origin POST to sign in is refused', async ({ request }) => {
    const res = await request.post('/api/auth/signin', {
      data: { password: E2E_PASSWORD },
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status()).toBe(403);
  });

  // Every page and route handler on disk, against the real server: nothing answers 200.
  const routes = listAppRoutes(path.resolve(import.meta.dirname, '..')).filter(
    (r) => !PUBLIC_ROUTES.has(r.path),
  );
  for (const route of routes) {
    test(`${route.kind} ${route.path} is protected`, async ({ request, baseURL }) => {
      if (route.kind === 'page') {
        const res = await request.get(route.path, { maxRedirects: 0 });
        expect(res.status()).toBe(307);
        expect(new URL(res.headers().location!, baseURL).pathname).toBe('/signin');
      } else {
        for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
          const res = await request.fetch(route.path, {
            method,
            headers: { origin: baseURL! },
            maxRedirects: 0,
          });
          // 401 from the proxy for every method (405 would mean a handler-less method got through)
          expect(res.status(), `${method} ${route.path}`).toBe(401);
        }
      }
    });
  }
});
