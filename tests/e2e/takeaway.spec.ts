/**
 * Take it away and keep it: a reload mid-stream picks the run up live, the
 * form survives a reload, and an exported HTML page opens offline from disk.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addMockProvider, expect, pickTargets, test } from './fixtures';

const words = (n: number) => Array.from({ length: n }, (_, i) => `tok${i + 1}`).join(' ');

test('a reload mid-stream reattaches the run, live, and keeps the draft', async ({ app: page, mock }) => {
  mock.script('slow-reload', { tokens: 60, tokenDelayMs: 70 });
  await addMockProvider(page, mock);
  await page.getByTestId('nav-compare').click();
  await pickTargets(page, ['mock:slow-reload']);
  await page.getByTestId('param-temperature').fill('0.4');
  await page.getByTestId('prompt-user').fill('Count slowly');
  // The draft's last change is in SQLite before the reload.
  const saved = page.waitForResponse((r) => r.url().includes('/api/rpc/settings:save-draft') && r.request().postData()?.includes('Count slowly') === true);
  await saved;
  await page.getByTestId('send-button').click();

  const column = page.getByTestId('column');
  await expect(column.getByTestId('column-text')).toContainText('tok4');
  await expect(column).toHaveAttribute('data-status', 'running');
  await page.reload();

  // Back with the text so far, still streaming, and growing to the whole answer: nothing twice, nothing missed.
  await expect(page.getByTestId('column')).toHaveCount(1);
  await expect(column).toHaveAttribute('data-status', 'running');
  await expect(column.getByTestId('column-text')).toContainText('tok4');
  const atReload = (await column.getByTestId('column-text').textContent()) ?? '';
  expect(atReload).toContain('tok1');
  await expect(column.getByTestId('column-text')).not.toHaveText(atReload);
  await expect(column).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(column.getByTestId('column-text')).toHaveText(words(60));

  // The form as it was typed.
  await expect(page.getByTestId('prompt-user')).toHaveValue('Count slowly');
  await expect(page.getByTestId('param-temperature')).toHaveValue('0.4');
  await expect(page.locator('[data-testid="target-chip"][data-target="mock:slow-reload"]')).toBeVisible();
});

test('an exported HTML page opens from disk with the network blocked and reads as a table', async ({ app: page, mock, context }, testInfo) => {
  mock.script('exp-a', { text: 'First <img src=x onerror=alert(1)> answer' });
  mock.script('exp-b', { text: 'Second answer' });
  await addMockProvider(page, mock);
  await page.getByTestId('nav-compare').click();
  await pickTargets(page, ['mock:exp-a', 'mock:exp-b']);
  await page.getByTestId('prompt-user').fill('Export me');
  await page.getByTestId('send-button').click();
  await expect(page.getByTestId('run-status')).toContainText('finished');

  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').first().click();
  await page.getByTestId('history-export-run').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()]);
  expect(download.suggestedFilename()).toMatch(/^switchyard-r_[a-z0-9]+\.html$/);
  const file = join(testInfo.outputDir, download.suggestedFilename());
  await download.saveAs(file);

  const offline = await context.newPage();
  const requests: string[] = [];
  offline.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await offline.route('**', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  let dialogs = 0;
  offline.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await offline.goto(pathToFileURL(file).href);
  const rows = offline.locator('table.metrics tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).locator('td').nth(1)).toHaveText('mock:exp-a');
  await expect(rows.nth(0).locator('td').nth(3)).toHaveText('ok');
  await expect(rows.nth(1).locator('td').nth(1)).toHaveText('mock:exp-b');
  // The model's markup is text on the page, never an element.
  await expect(offline.locator('pre', { hasText: 'First <img src=x onerror=alert(1)> answer' })).toHaveCount(1);
  expect(await offline.locator('img').count()).toBe(0);
  expect(await offline.locator('script').count()).toBe(0);
  expect(requests).toEqual([]);
  expect(dialogs).toBe(0);
  expect(await readFile(file, 'utf8')).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  await offline.close();
});
