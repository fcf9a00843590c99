import { readFile } from 'node:fs/promises';
import { addMockProvider, expect, screenshot, test } from './fixtures';

const PROMPT = 'Summarise the trade-offs of a write-ahead log in two sentences.';

test('catalog comparison, a priced compare, the spend dashboard, and a hard budget blocking the pre-flight', async ({ app: page, mock }) => {
  mock.script('gpt-4o-mini', { tokens: 40, tokenDelayMs: 5 });

  // Catalog: search, tick two models, compare them side by side.
  await page.getByTestId('nav-catalog').click();
  await expect(page.getByTestId('catalog-view')).toBeVisible();
  await expect(page.getByTestId('catalog-as-of')).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByTestId('catalog-credit')).toContainText('models.dev');
  await page.getByTestId('catalog-search').fill('gpt-4o-mini');
  const mini = page.locator('[data-testid="catalog-row"][data-model-id="openai/gpt-4o-mini"]');
  await expect(mini).toBeVisible();
  const dated = page.locator('[data-testid="catalog-row"][data-model-id="openai/gpt-4o-mini-2024-07-18"]');
  await mini.getByTestId('catalog-select').check();
  await dated.getByTestId('catalog-select').check();

  const compare = page.getByTestId('catalog-compare');
  await expect(compare.getByTestId('catalog-compare-model')).toHaveCount(2);
  const miniCol = compare.locator('[data-testid="catalog-compare-model"][data-model-id="openai/gpt-4o-mini"]');
  await expect(miniCol).toContainText('GPT-4o mini');
  const direct = compare.locator('[data-testid="catalog-endpoint"][data-endpoint-id="openai:gpt-4o-mini"]');
  await expect(direct).toContainText('in $0.15');
  await expect(direct).toContainText('out $0.60');
  await expect(direct).toContainText('where US');
  await expect(direct.getByRole('link', { name: /policy source/ })).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(compare.locator('[data-testid="catalog-endpoint"][data-endpoint-id="openrouter:openai/gpt-4o-mini"]')).toBeVisible();
  // Unknown facts read as unknown, never as "no".
  await expect(compare.locator('.fact-unknown').first()).toHaveText('unknown');
  await compare.locator('[data-testid="catalog-endpoint"]').first().scrollIntoViewIfNeeded();
  await compare.evaluate((el) => el.querySelector('.catalog-compare-scroll')?.scrollTo(0, 0));
  await screenshot(page, 'catalog-compare');

  // The catalog puts the model into the compare view's list.
  await miniCol.getByTestId('catalog-compare-add').click();
  await expect(miniCol.getByTestId('catalog-compare-add')).toHaveText('In compare');

  // About: version, as-of date and the full models.dev licence.
  await page.getByTestId('nav-about').click();
  const about = page.getByTestId('about-dialog');
  await expect(about.getByTestId('about-license')).toContainText('Permission is hereby granted, free of charge');
  await expect(about.getByTestId('about-version')).toHaveText(/^v\d+\.\d+\.\d+/);
  await page.keyboard.press('Escape');
  await expect(about).toBeHidden();

  // A provider with the catalog's id `openai`, pointed at the mock: its prices come from the catalog.
  await addMockProvider(page, mock, 'openai');

  await page.getByTestId('nav-compare').click();
  await expect(page.locator('[data-testid="target-chip"][data-target="openai/gpt-4o-mini"]')).toBeVisible();
  await page.getByTestId('prompt-user').fill(PROMPT);
  await page.getByTestId('param-max-tokens').fill('200');
  const preflight = page.getByTestId('preflight');
  const col = preflight.locator('[data-testid="preflight-column"][data-target="openai/gpt-4o-mini"]');
  await expect(col).toContainText('openai:gpt-4o-mini');
  await expect(col).toContainText(/in \$0\.\d+/);
  await expect(col).toContainText('where US');
  await expect(preflight.getByTestId('preflight-total')).toHaveText(/^\$[\d.]+ – \$[\d.]+$/);
  await expect(page.getByTestId('send-button')).toBeEnabled();
  await page.getByTestId('send-button').click();
  const column = page.getByTestId('column');
  await expect(column).toHaveAttribute('data-status', 'ok');
  await expect(column.getByTestId('column-cost')).toHaveText(/\$0\.\d+/);

  // Spend dashboard (by keyboard): a non-zero total and charts drawn by recharts.
  await page.getByTestId('prompt-user').blur();
  await page.keyboard.press('Control+5');
  await expect(page.getByTestId('spend-view')).toBeVisible();
  await expect(page.getByTestId('spend-total')).toHaveText(/^\$0\.0*[1-9]/);
  await expect(page.getByTestId('chart-spend-by-day').locator('svg.recharts-surface')).toBeVisible();
  await expect(page.getByTestId('chart-by-model')).toContainText('openai/gpt-4o-mini');
  await expect(page.getByTestId('chart-cost-latency').locator('.recharts-scatter-symbol').first()).toBeVisible();
  await expect(page.getByTestId('chart-cost-per-run').locator('.recharts-bar-rectangle').first()).toBeVisible();

  // CSV export downloads the ledger rows.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('spend-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^switchyard-spend-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.split('\n')[0]).toContain('cost_usd');
  expect(csv).toContain('openai/gpt-4o-mini');

  // A tiny hard budget: the list shows it over its cap, and the pre-flight blocks Send naming it.
  await page.getByTestId('budget-usd').fill('0.000001');
  await page.getByTestId('budget-period').selectOption('day');
  await expect(page.getByTestId('budget-hard')).toBeChecked();
  await page.getByTestId('budget-save').click();
  const row = page.getByTestId('budget-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-state', 'over');
  await expect(row).toContainText('hard stop');
  await screenshot(page, 'spend-dashboard');

  await page.getByTestId('nav-compare').click();
  const blocked = page.getByTestId('preflight-blocked');
  await expect(blocked).toContainText('daily overall budget of $0.000001');
  await expect(page.getByTestId('send-button')).toBeDisabled();
  await screenshot(page, 'preflight-blocked');
  const before = mock.requests.length;
  // The shortcut goes to the engine, which refuses the same way: nothing reaches the provider.
  await page.getByTestId('prompt-user').press('Control+Enter');
  await expect(page.getByTestId('send-error')).toContainText('budget');
  expect(mock.requests.length).toBe(before);
});

test('the catalog, spend and endpoint views say what to do when empty', async ({ app: page }) => {
  await page.getByTestId('nav-spend').click();
  await expect(page.getByTestId('spend-empty')).toContainText('run a compare');
  await expect(page.getByTestId('budgets-empty')).toBeVisible();
  await page.getByTestId('nav-endpoints').click();
  await expect(page.getByTestId('endpoints-empty')).toContainText('No endpoint has served a request yet');
  await page.getByTestId('nav-catalog').click();
  await page.getByTestId('catalog-search').fill('zzzz-no-such-model-qqq');
  await expect(page.getByTestId('catalog-empty')).toContainText('No model matches');
});
