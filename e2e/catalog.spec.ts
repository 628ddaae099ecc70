import { expect, test } from '@playwright/test';
import { ESCAPED, HOSTILE, ODD, SHOP } from './e2e-env';
import { signIn } from './sign-in';

test.beforeEach(async ({ page, baseURL }) => {
  await signIn(page, baseURL);
});

test('the home page opens the catalog, with the connection in the sidebar', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalog' }),
  ).toHaveAttribute('aria-current', 'page');
  const connection = page.getByRole('definition').filter({ hasText: /^PostgreSQL \d+/ });
  await expect(connection).toBeVisible();
  await expect(page.getByText('127.0.0.1:54339')).toBeVisible();
});

test('filter by name and by schema', async ({ page }) => {
  await page.goto('/catalog');
  const shop = page.getByRole('region', { name: SHOP });
  await expect(shop.getByRole('link', { name: 'orders', exact: true })).toBeVisible();

  await page.getByLabel('Filter tables').fill('custom');
  await expect(shop.getByRole('link', { name: 'customers', exact: true })).toBeVisible();
  await expect(shop.getByRole('link', { name: 'orders', exact: true })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: /of \d+ relations/ })).toBeVisible();

  await page.getByLabel('Filter tables').fill('no-such-table-anywhere');
  await expect(page.getByText('Nothing matches')).toBeVisible();

  await page.getByLabel('Filter tables').fill('');
  await page.getByLabel('Schema').selectOption(SHOP);
  await expect(page.getByRole('region')).toHaveCount(1);
  const rows = shop.getByRole('row');
  // header + customers, orders, big_orders, and the three oddly named tables
  await expect(rows).toHaveCount(7);
  await expect(shop.getByRole('row', { name: /big_orders/ })).toContainText('view');
});

test('open a table: columns, indexes, foreign keys, triggers', async ({ page }) => {
  await page.goto('/catalog');
  await page.getByLabel('Schema').selectOption(SHOP);
  await page
    .getByRole('region', { name: SHOP })
    .getByRole('link', { name: 'orders', exact: true })
    .click();
  await expect(page).toHaveURL(new RegExp(`/catalog/${SHOP}/orders$`));
  await expect(page.getByRole('heading', { name: 'orders', level: 1 })).toBeVisible();

  const columns = page.getByRole('region', { name: /Columns/ });
  await expect(columns.getByRole('row')).toHaveCount(5);
  await expect(columns.getByRole('row', { name: /customer_id/ })).toContainText('bigint');
  await expect(columns.getByRole('row', { name: /customer_id/ })).toContainText('FK');
  await expect(columns.getByRole('row', { name: /^1 id/ })).toContainText('PK');

  const indexes = page.getByRole('region', { name: /Indexes/ });
  await expect(indexes.getByRole('row', { name: /orders_placed_idx/ })).toContainText(
    'USING btree (placed_at)',
  );
  await expect(indexes.getByRole('row', { name: /orders_pkey/ })).toContainText('unique');

  const fks = page.getByRole('region', { name: /Foreign keys/ });
  await expect(fks.getByRole('link', { name: `${SHOP}.customers` })).toBeVisible();
  await expect(fks.getByRole('link', { name: `${SHOP}.${ODD}` })).toBeVisible();

  await expect(
    page.getByRole('region', { name: /Triggers/ }).getByRole('row', { name: /_100_orders_noop/ }),
  ).toContainText('enabled');

  // follow the outgoing key to the dimension table
  await fks.getByRole('link', { name: `${SHOP}.customers` }).click();
  await expect(page.getByRole('heading', { name: 'customers', level: 1 })).toBeVisible();
  await expect(
    page
      .getByRole('region', { name: /Foreign keys/ })
      .getByRole('link', { name: `${SHOP}.orders` }),
  ).toBeVisible();
});

test('views are marked and show their definition', async ({ page }) => {
  await page.goto(`/catalog/${SHOP}/big_orders`);
  await expect(page.getByRole('heading', { name: 'big_orders', level: 1 })).toBeVisible();
  await expect(page.getByText('view', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Definition' })).toContainText('total > ');
});

test('names that need quoting or URL encoding round-trip exactly', async ({ page }) => {
  await page.goto('/catalog');
  await page.getByLabel('Filter tables').fill('drop table');
  await page.getByRole('link', { name: HOSTILE, exact: true }).click();
  await expect(page.getByRole('heading', { name: HOSTILE, level: 1 })).toBeVisible();
  await expect(
    page.getByRole('region', { name: /Columns/ }).getByRole('cell', { name: HOSTILE, exact: true }),
  ).toBeVisible();

  await page.goto('/catalog');
  await page.getByLabel('Filter tables').fill('50%');
  await page.getByRole('link', { name: ODD, exact: true }).click();
  await expect(page.getByRole('heading', { name: ODD, level: 1 })).toBeVisible();
  // and on a full page load of that URL, not only client navigation
  await page.reload();
  await expect(page.getByRole('heading', { name: ODD, level: 1 })).toBeVisible();

  const res = await page.goto(`/catalog/${SHOP}/${encodeURIComponent(ESCAPED)}`);
  expect(res?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: ESCAPED, level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(`${SHOP}.${ESCAPED} · Tally`);
});

test('a missing table is a 404 page', async ({ page }) => {
  const res = await page.goto(`/catalog/${SHOP}/no_such_table`);
  expect(res?.status()).toBe(404);
  await expect(page.getByText('Table not found')).toBeVisible();
  await page.getByRole('link', { name: 'Back to the catalog' }).click();
  await expect(page).toHaveURL(/\/catalog$/);
});

test('the API serves the same data as JSON', async ({ page }) => {
  const res = await page.request.get(`/api/catalog/${SHOP}/${encodeURIComponent(HOSTILE)}`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { relation: { name: string }; columns: { name: string }[] };
  expect(body.relation.name).toBe(HOSTILE);
  expect(body.columns.map((c) => c.name)).toEqual([HOSTILE, 'note']);
  expect((await page.request.get(`/api/catalog/${SHOP}/nope`)).status()).toBe(404);
});
