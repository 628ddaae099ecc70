import { expect, test } from '@playwright/test';
import { createPool } from '../lib/db/pool';
import { parseDefiningQuery } from '../lib/definition/parse-sql';
import { createSummary } from '../lib/summary/create-summary';
import { dropSummary } from '../lib/summary/drop-summary';
import { E2E_DATABASE_URL, SHOP } from './e2e-env';
import { signIn } from './sign-in';

const NAME = 'e2e_latency_revenue';

/** Seeded through the core, not the UI: a summary over the seeded orders. */
test.beforeAll(async () => {
  const pool = createPool(E2E_DATABASE_URL, 2);
  try {
    await dropSummary(pool, NAME, { actor: 'e2e' }).catch(() => undefined);
    const def = await parseDefiningQuery(
      `SELECT customer_id, sum(total) AS revenue, count(*) AS orders FROM ${SHOP}.orders GROUP BY customer_id`,
      { name: NAME },
    );
    await createSummary(pool, def, { actor: 'e2e', populate: true });
  } finally {
    await pool.end();
  }
});

test.beforeEach(async ({ page, baseURL }) => {
  await signIn(page, baseURL);
});

test('run a latency benchmark and see the chart, the plans and the write overhead', async ({
  page,
}) => {
  await page.goto(`/summaries/${NAME}`);
  await page.getByRole('tab', { name: 'Latency' }).click();
  await page.getByLabel('Runs of each read').fill('3');
  await page.getByRole('button', { name: 'Run benchmark' }).click();

  const chart = page.getByRole('figure', { name: 'Read latency, defining query vs summary table' });
  await expect(chart).toBeVisible({ timeout: 30_000 });
  await expect(chart.getByTestId('speedup-dashboard')).toHaveText(/\d×$/);
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Plans' })).toContainText('Seq Scan');
  await expect(page.getByRole('region', { name: 'Write overhead' })).toContainText(
    'INSERT 1,000 rows',
  );
  await expect(page.getByRole('region', { name: 'Write overhead' })).toContainText('row locks');
  await expect(page.getByRole('button', { name: 'Run benchmark' })).toBeEnabled();
});

test('a "before" query that is not a read-only SELECT is refused', async ({ page }) => {
  await page.goto(`/summaries/${NAME}`);
  await page.getByRole('tab', { name: 'Latency' }).click();
  await page.getByText('Your own before / after queries (optional)').click();
  await page
    .getByLabel('Before (e.g. the slow dashboard query)')
    .fill(`DELETE FROM ${SHOP}.orders`);
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'beforeSql' })).toContainText(
    'beforeSql: must be a read-only SELECT, not DELETE',
  );
});
