import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';

test.beforeEach(async ({ page, baseURL }) => {
  await signIn(page, baseURL);
});

test('the dark-mode toggle persists across reloads', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/catalog');
  const html = page.locator('html');
  const toggle = page.getByRole('button', { name: 'Dark mode' });
  await expect(html).not.toHaveClass(/\bdark\b/);
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');

  await toggle.click();
  await expect(html).toHaveClass(/\bdark\b/);
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');

  await page.reload();
  await expect(html).toHaveClass(/\bdark\b/);
  await expect(page.getByRole('button', { name: 'Dark mode' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  await page.getByRole('button', { name: 'Dark mode' }).click();
  await page.reload();
  await expect(html).not.toHaveClass(/\bdark\b/);
});

test('the theme is applied before the first paint, from the OS until chosen', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  // With the bundles blocked React never runs: only the inline head script can set the class,
  // and it runs while the HTML is parsed, i.e. before the first paint.
  await page.route('**/_next/static/**/*.js', (route) => route.abort());
  await page.goto('/catalog');
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await page.unroute('**/_next/static/**/*.js');

  // With the app running, nothing chosen yet: it follows the OS setting live.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Dark mode' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
  await expect(page.getByRole('button', { name: 'Dark mode' })).toHaveAttribute(
    'aria-pressed',
    'false',
  );
});
