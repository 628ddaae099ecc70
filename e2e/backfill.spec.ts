import { expect, test } from '@playwright/test';
import { createPool } from '../lib/db/pool';
import { parseDefiningQuery } from '../lib/definition/parse-sql';
import { createSummary } from '../lib/summary/create-summary';
import { dropSummary } from '../lib/summary/drop-summary';
import { E2E_DATABASE_URL } from './e2e-env';
import { signIn } from './sign-in';

/**
 * The backfill in the browser: a demo summary installed empty (seeded through the core), its
 * backfill started from the Backfill tab with a throttle, and the bar — polled from the state
 * table while the console's own worker runs the batches — climbing to 100%.
 */

const NAME = 'e2e_talk_time';
const SQL = `SELECT user_id, sum(duration) FILTER (WHERE duration > 0) AS total_talk_time, count(*) AS calls
FROM crm.admin_user_call_log GROUP BY user_id`;

test.beforeAll(async () => {
  const pool = createPool(E2E_DATABASE_URL, 2);
  try {
    await dropSummary(pool, NAME, { actor: 'e2e' }).catch(() => undefined);
    await createSummary(pool, await parseDefiningQuery(SQL, { name: NAME }), {
      actor: 'e2e',
      populate: false,
    });
  } finally {
    await pool.end();
  }
});

test.afterAll(async () => {
  const pool = createPool(E2E_DATABASE_URL, 2);
  try {
    await dropSummary(pool, NAME, { actor: 'e2e' }).catch(() => undefined);
  } finally {
    await pool.end();
  }
});

test.beforeEach(async ({ page, baseURL }) => {
  await signIn(page, baseURL);
});

test('start a backfill and watch the bar reach 100%', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`/summaries/${NAME}`);
  await expect(page.getByText('partial — not backfilled')).toBeVisible();
  await page.getByRole('tab', { name: 'Backfill' }).click();
  await expect(page.getByText('Never backfilled')).toBeVisible();

  // small batches with a pause between them, so the progress is there to see
  await page.getByLabel('Batch size (keys)').fill('2');
  await page.getByLabel('Throttle (ms between batches)').fill('300');
  await page.getByRole('button', { name: 'Start the backfill' }).click();

  const bar = page.getByRole('progressbar', { name: `Backfill of ${NAME}` });
  await expect(bar).toBeVisible();
  // part-way: running, between the ends, with a rate (the runner is the console's worker)
  await expect(bar).toHaveAttribute('aria-valuetext', /running/, { timeout: 30_000 });
  const seen = new Set<number>();
  await expect
    .poll(
      async () => {
        const v = Number(await bar.getAttribute('aria-valuenow'));
        seen.add(v);
        return v;
      },
      { timeout: 60_000, intervals: [250] },
    )
    .toBe(100);
  expect([...seen].some((v) => v > 0 && v < 100)).toBe(true);
  await expect(bar).toHaveAttribute('aria-valuetext', /done/);
  await expect(page.getByText(/partial — /)).toHaveCount(0);
  await expect(page.getByText('healthy').first()).toBeVisible();

  // the history and the throughput chart
  const runs = page.getByRole('table', { name: 'Backfill runs' });
  await expect(runs.getByRole('row')).toHaveCount(2);
  await expect(runs).toContainText('done');
  await expect(page.getByRole('figure', { name: 'Backfill throughput over time' })).toBeVisible();
});
