import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { expect, test, type Page } from '@playwright/test';
import { quoteIdent } from '../lib/db/ident';
import { E2E_DATABASE_URL, HOSTILE, SHOP } from './e2e-env';
import { signIn } from './sign-in';

/**
 * The summary journey in the browser: define by form → preview → apply → list; paste SQL with
 * an error; a hostile table and column end to end; drop with type-the-name; download a
 * migration; a trigger disabled behind Tally's back shows as broken; edit → diff → rebuild;
 * the audit log. Screenshots of the form + preview and of the list, light and dark.
 * A fresh e2e_shop (global-setup.ts) takes the previous run's summaries with it.
 */

const BY_CUSTOMER = 'e2e_orders_by_customer';
const HOSTILE_SUMMARY = 'e2e_hostile_counts';
const OUT = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');

async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

test.beforeEach(async ({ page, baseURL }) => {
  await signIn(page, baseURL);
});

/** The form for `count(*), sum(total) … FROM e2e_shop.orders GROUP BY customer_id`. */
async function fillOrdersForm(page: Page, name: string): Promise<void> {
  await page.goto('/summaries/new');
  await page.getByRole('combobox', { name: 'Table to summarize' }).fill('orders');
  await page.getByRole('option', { name: new RegExp(`^${SHOP}\\.orders`) }).click();
  await page.getByLabel('Summary name').fill(name);
  // the source's columns, with their types
  await expect(page.getByRole('table', { name: 'Columns of the source table' })).toContainText(
    'numeric(12,2)',
  );
  await page.getByLabel('Add a group key').selectOption({ label: 'customer_id (bigint)' });
  await page.getByRole('button', { name: '+ Add an aggregate' }).click();
  await page.getByLabel('Aggregate 2 function').selectOption('sum');
  // sum is offered on a measure, not on a key column
  await expect(page.getByLabel('Aggregate 2 argument')).toHaveValue('total');
}

/** The list's row of a summary (found by its link, so other tables on the page never match). */
function listRow(page: Page, name: string) {
  return page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
}

function review(page: Page) {
  return page.getByRole('region', { name: 'Review' });
}

async function expectValid(page: Page): Promise<void> {
  await expect(review(page).getByRole('status')).toHaveText('Valid: review the SQL below', {
    timeout: 30_000,
  });
}

test('define by form → preview → apply → see it in the list', async ({ page }) => {
  await fillOrdersForm(page, BY_CUSTOMER);
  await expectValid(page);
  const r = review(page);
  await expect(r.getByRole('region', { name: 'SQL: Defining query' })).toContainText(
    `count(*) AS count,\n  sum(total) AS sum_total\nFROM ${SHOP}.orders\nGROUP BY 1`,
  );
  await expect(r.getByRole('region', { name: 'SQL: Summary table' })).toContainText(
    `CREATE TABLE ${SHOP}.${BY_CUSTOMER}`,
  );
  await expect(r.getByRole('region', { name: 'Locks' })).toContainText('SHARE ROW EXCLUSIVE');
  await expect(r.getByRole('region', { name: 'Locks' })).toContainText('lock_timeout = 5000 ms');
  await expect(r.getByText('Estimated groups')).toBeVisible();
  // every section can be copied
  await expect(r.getByRole('button', { name: /^Copy: / })).toHaveCount(7);

  await r.getByRole('button', { name: 'Apply…' }).click();
  const dialog = page.getByRole('dialog', { name: `Apply summary ${BY_CUSTOMER}` });
  await expect(dialog).toContainText('BEGIN; SET LOCAL lock_timeout = 5000');
  await expect(dialog).toContainText('SHARE ROW EXCLUSIVE');
  await expect(dialog.getByLabel('Fill it now, in the install transaction')).toBeChecked();
  await dialog.getByRole('button', { name: 'Apply' }).click();

  await expect(page).toHaveURL(new RegExp(`/summaries/${BY_CUSTOMER}\\?applied=create$`));
  await expect(page.getByText(/^Summary created/)).toBeVisible();
  await expect(page.getByRole('heading', { name: BY_CUSTOMER, level: 1 })).toBeVisible();

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Summaries' })
    .click();
  await expect(page).toHaveURL(/\/summaries$/);
  const row = listRow(page, BY_CUSTOMER);
  await expect(row).toContainText(`${SHOP}.orders`);
  await expect(row).toContainText('healthy');
  await expect(row).toContainText('200'); // one row per customer
});

test('paste SQL: the unsupported part is marked with the reason; a fixed query fills the form', async ({
  page,
}) => {
  await page.goto('/summaries/new');
  await page.getByRole('button', { name: 'Paste SQL' }).click();
  await page.getByLabel('Summary name').fill('e2e_pasted');
  await page
    .getByLabel('Defining query')
    .fill(`SELECT customer_id,\n       string_agg(id::text, ',')\nFROM ${SHOP}.orders GROUP BY 1`);
  const problems = page.getByRole('list', { name: 'Problems in the query' });
  await expect(problems.locator('mark')).toHaveText('string_agg');
  await expect(problems).toContainText('LINE 2:');
  await expect(problems).toContainText('string_agg() is not a supported aggregate');
  await expect(problems).toContainText('Hint: use array_agg');
  await expect(page.getByLabel('Defining query')).toHaveAttribute('aria-invalid', 'true');

  await page
    .getByLabel('Defining query')
    .fill(`SELECT customer_id, count(*) AS orders FROM ${SHOP}.orders WHERE total > 10 GROUP BY 1`);
  await expectValid(page);
  await page.getByRole('button', { name: 'Edit in the form' }).click();
  await expect(page.getByLabel('Key 1 column')).toHaveValue('customer_id');
  await expect(page.getByLabel('Aggregate 1 output name')).toHaveValue('orders');
  await expect(page.getByRole('textbox', { name: 'WHERE' })).toHaveValue(/total > 10/);

  // a database problem lands on its field: a session-dependent day bucket
  await page.getByLabel('Add a group key').selectOption({ label: 'Expression…' });
  await page.getByLabel('Key 2 expression').fill("date_trunc('day', placed_at)");
  await page.getByLabel('Key 2 output name').fill('day');
  await expect(page.getByLabel('Key 2 expression')).toHaveAttribute('aria-invalid', 'true', {
    timeout: 30_000,
  });
  await expect(page.getByRole('region', { name: 'Group by' })).toContainText('AT TIME ZONE');
  await expect(review(page).getByRole('list', { name: 'Problems' })).toContainText(
    'Key 2 expression',
  );
  // the day bucket the form offers is the immutable spelling
  await page.getByRole('button', { name: 'Remove key 2' }).click();
  await page.getByLabel('Add a group key').selectOption({ label: 'day of placed_at' });
  await expect(page.getByLabel('Key 2 expression')).toHaveValue(
    "(placed_at AT TIME ZONE 'UTC')::date",
  );
  await expectValid(page);
});

test('a hostile table and column name work end to end; drop asks for the name first', async ({
  page,
}) => {
  await page.goto('/summaries/new');
  await page.getByRole('combobox', { name: 'Table to summarize' }).fill('drop table');
  await page.getByRole('option', { name: new RegExp(`^${SHOP}\\.a"; drop table x; --`) }).click();
  await page.getByLabel('Summary name').fill(HOSTILE_SUMMARY);
  await page.getByLabel('Add a group key').selectOption({ label: `${HOSTILE} (integer)` });
  await expectValid(page);
  await expect(review(page).getByRole('region', { name: 'SQL: Defining query' })).toContainText(
    `"a""; drop table x; --",\n  count(*) AS count\nFROM ${SHOP}."a""; drop table x; --"`,
  );
  await review(page).getByRole('button', { name: 'Apply…' }).click();
  await page.getByRole('dialog').getByLabel('Fill it now, in the install transaction').check();
  await page.getByRole('dialog').getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(new RegExp(`/summaries/${HOSTILE_SUMMARY}\\?applied=create$`));

  // installed objects verified against pg_catalog: all there, triggers firing
  const objects = page.getByRole('region', { name: /Installed objects/ });
  await expect(objects.getByRole('row')).toHaveCount(13); // header + 12 objects
  await expect(objects).not.toContainText('missing');
  await expect(page.getByRole('term').filter({ hasText: 'Rows' }).locator('..')).toContainText(
    '30',
  );

  await page.getByRole('button', { name: 'Drop…' }).click();
  const dialog = page.getByRole('dialog', { name: `Drop summary ${HOSTILE_SUMMARY}` });
  // the uninstall script is shown before anything runs
  await expect(dialog.getByRole('region', { name: 'Uninstall script' })).toContainText(
    `DROP TRIGGER IF EXISTS tally_100_${HOSTILE_SUMMARY}_ins ON ${SHOP}."a""; drop table x; --";`,
  );
  const drop = dialog.getByRole('button', { name: 'Drop summary' });
  await expect(drop).toBeDisabled();
  await dialog.getByLabel(/Type .* to confirm/).fill(HOSTILE_SUMMARY.slice(0, -1));
  await expect(drop).toBeDisabled();
  await dialog.getByLabel(/Type .* to confirm/).fill(HOSTILE_SUMMARY);
  await drop.click();
  await expect(page).toHaveURL(/\/summaries$/);
  await expect(listRow(page, HOSTILE_SUMMARY)).toHaveCount(0);

  // the source and its rows are untouched; the summary's objects are gone
  const rows = await sql<{ n: string }>(`SELECT count(*) AS n FROM ${SHOP}.${quoteIdent(HOSTILE)}`);
  expect(Number(rows[0]!.n)).toBe(30);
  const left = await sql(
    `SELECT 1 FROM pg_trigger WHERE tgname LIKE 'tally_100_${HOSTILE_SUMMARY}%'`,
  );
  expect(left).toHaveLength(0);
});

test('download a migration for the team’s own tool', async ({ page }) => {
  await fillOrdersForm(page, 'e2e_download');
  await expectValid(page);
  const section = review(page).getByRole('region', { name: 'Download as migration' });

  await section.getByLabel('Migration tool').selectOption('dbmate');
  const dbmate = page.waitForEvent('download');
  await section
    .getByRole('button', { name: /^Download db\/migrations\/\d{14}_tally_e2e_download\.sql$/ })
    .click();
  const file = await dbmate;
  expect(file.suggestedFilename()).toMatch(/^\d{14}_tally_e2e_download\.sql$/);
  const text = await fs.readFile(await file.path(), 'utf8');
  expect(text).toContain('-- migrate:up\n');
  expect(text).toContain('SET LOCAL lock_timeout = 5000;');
  expect(text).toContain(`CREATE TABLE ${SHOP}.e2e_download (`);
  expect(text).toMatch(
    /CREATE TRIGGER tally_100_e2e_download_ins\s+AFTER INSERT ON e2e_shop\.orders/,
  );
  expect(text).toContain('-- migrate:down\n');
  expect(text).toContain(`DROP TABLE IF EXISTS ${SHOP}.e2e_download;`);

  await section.getByLabel('Migration tool').selectOption('flyway');
  await expect(
    section.getByRole('button', { name: /^Download sql\/V\d{14}__tally_e2e_download\.sql\.conf$/ }),
  ).toBeVisible();
  const flyway = page.waitForEvent('download');
  await section
    .getByRole('button', { name: /^Download sql\/U\d{14}__tally_e2e_download\.sql$/ })
    .click();
  const undo = await fs.readFile(await (await flyway).path(), 'utf8');
  expect(undo).toContain(`DROP FUNCTION IF EXISTS ${SHOP}.tally_e2e_download_ins();`);
});

test('a trigger disabled behind Tally’s back shows as broken; edit shows the diff and rebuilds', async ({
  page,
}) => {
  await sql(`ALTER TABLE ${SHOP}.orders DISABLE TRIGGER tally_100_${BY_CUSTOMER}_upd`);
  await page.goto('/summaries');
  await expect(listRow(page, BY_CUSTOMER)).toContainText('broken');
  await page.getByLabel('Status').selectOption('broken');
  await expect(page.getByRole('row')).toHaveCount(2);

  await page.getByRole('link', { name: BY_CUSTOMER, exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Broken' })).toContainText(
    `update trigger tally_100_${BY_CUSTOMER}_upd: disabled`,
  );
  await page.getByRole('link', { name: 'Edit…' }).click();
  await expect(page.getByRole('heading', { name: `Edit ${BY_CUSTOMER}`, level: 1 })).toBeVisible();
  await expect(page.getByLabel('Summary name')).toHaveAttribute('readonly', '');
  await page.getByRole('textbox', { name: 'WHERE' }).fill('total > 100');
  await expectValid(page);
  const changes = review(page).getByRole('region', { name: 'Changes' });
  await expect(changes.getByRole('region', { name: 'Defining query' })).toContainText(
    'added: WHERE total > 100',
  );
  await review(page).getByRole('button', { name: 'Rebuild…' }).click();
  const dialog = page.getByRole('dialog', { name: `Rebuild summary ${BY_CUSTOMER}` });
  await expect(dialog).toContainText('ACCESS EXCLUSIVE');
  await dialog.getByRole('button', { name: 'Rebuild' }).click();

  await expect(page).toHaveURL(new RegExp(`/summaries/${BY_CUSTOMER}\\?applied=rebuild$`));
  await expect(page.getByText(/^Rebuilt as version 2/)).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Broken' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Defining query' })).toContainText(
    'WHERE total > 100',
  );

  await page.getByRole('link', { name: 'audit log', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/audit\\?summary=${BY_CUSTOMER}$`));
  const log = page.getByRole('table', { name: 'Audit log, newest first' });
  await expect(log.getByRole('row', { name: /rebuild/ }).first()).toContainText('ok');
  await expect(log.getByRole('row', { name: /create/ }).first()).toBeVisible();
  await expect(log).toContainText('console:admin');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots: the form with its preview, and the list (${scheme})`, async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 1300 });
    await page.emulateMedia({ colorScheme: scheme });
    await fillOrdersForm(page, 'orders_by_customer');
    await page.getByRole('button', { name: '+ FILTER (WHERE …)' }).last().click();
    await page.getByLabel('Aggregate 2 filter').fill('total > 0');
    await expectValid(page);
    await page.getByLabel('Aggregate 2 filter').blur();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(OUT, `summary-new-${scheme}.png`) });

    await page.setViewportSize({ width: 1440, height: 640 });
    await page.goto('/summaries');
    await expect(page.getByRole('table', { name: 'Summaries' })).toBeVisible();
    await page.screenshot({ path: path.join(OUT, `summaries-${scheme}.png`) });
  });
}
