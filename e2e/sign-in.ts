import { expect, type Page } from '@playwright/test';
import { E2E_PASSWORD } from './e2e-env';

/**
 * Signs the page's browser context in through the API (the sign-in form has its own spec).
 * page.request shares the context's cookie jar. Origin is required for any POST.
 */
export async function signIn(page: Page, baseURL: string | undefined): Promise<void> {
  const res = await page.request.post('/api/auth/signin', {
    data: { password: E2E_PASSWORD },
    headers: { origin: baseURL ?? '' },
  });
  expect(res.status()).toBe(200);
}
