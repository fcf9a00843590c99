/**
 * History at a researcher's pace, in Chromium over the host: tag a run, filter
 * by tag and status, a note that survives a reload, and a past run's image
 * shown from the store.
 */
import { png } from '../fixtures/attachment-files';
import { addMockProvider, expect, pickTargets, test } from './fixtures';
import type { Page } from '@playwright/test';

async function send(page: Page, prompt: string, targets: string[]): Promise<void> {
  await page.getByTestId('nav-compare').click();
  await pickTargets(page, targets);
  await page.getByTestId('prompt-user').fill(prompt);
  await page.getByTestId('send-button').click();
  await expect(page.getByTestId('run-status')).toContainText('finished');
}

test('tag a run, filter by tag and status, a note kept across a reload, a past image shown', async ({ app: page, mock }) => {
  mock.script('vision', { text: 'a red dot' });
  mock.script('broken', { fault: 'server_500' });
  await addMockProvider(page, mock);

  // Run 1: answered, with an image. Run 2: one column fails.
  await page.getByTestId('nav-compare').click();
  const image = png(2, 2, [255, 0, 0]);
  await page.getByTestId('attach-input').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: image });
  await expect(page.getByTestId('attachment-chip')).toHaveCount(1);
  await send(page, 'Describe the picture', ['mock:vision']);
  await page.getByRole('button', { name: 'remove dot.png' }).click();
  await page.getByRole('button', { name: 'remove mock:vision' }).click();
  await send(page, 'Second question', ['mock:broken']);

  await page.getByTestId('nav-history').click();
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(2);
  const first = rows.filter({ hasText: 'Describe the picture' });
  await first.click();
  const detail = page.getByTestId('history-detail');
  await expect(detail.getByTestId('history-source')).toHaveText('from window');

  // The past run's image, read back from the store.
  const file = detail.getByTestId('history-attachment');
  await expect(file).toContainText('dot.png');
  await expect(file).toContainText('PNG');
  await expect(file.getByTestId('history-attachment-thumb')).toHaveAttribute('src', `data:image/png;base64,${image.toString('base64')}`);

  // Tags: Enter adds, Backspace in the empty field removes the last, × removes one.
  const tagInput = detail.getByTestId('run-tag-input');
  await tagInput.fill('baseline');
  await tagInput.press('Enter');
  await tagInput.fill('oops');
  await tagInput.press('Enter');
  await expect(detail.getByTestId('run-tag').locator('span')).toHaveText(['baseline', 'oops']);
  await tagInput.press('Backspace');
  await expect(detail.getByTestId('run-tag').locator('span')).toHaveText(['baseline']);
  await tagInput.fill('x'.repeat(41));
  await tagInput.press('Enter');
  await expect(detail.getByRole('alert')).toContainText('too long (40 characters at most)');
  await tagInput.fill('');
  await expect(first.getByTestId('history-row-tags')).toContainText('baseline');

  // The note saves on leaving the field and says so.
  const note = detail.getByTestId('run-note-input');
  await note.fill('The red dot was seen by every model');
  await tagInput.focus();
  await expect(detail.getByTestId('run-note-status')).toHaveText('saved');

  // Filters: by tag, then tag and status together; the chips clear them.
  await page.getByTestId('history-filters').locator('summary').click();
  const tagFilter = page.getByTestId('filter-tag');
  await tagFilter.fill('BASELINE');
  await tagFilter.press('Enter');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Describe the picture');
  await expect(page.getByTestId('history-count')).toHaveText('1 run match these filters');
  await page.getByTestId('filter-status').selectOption('failed');
  await expect(rows).toHaveCount(0);
  await expect(page.getByTestId('history-empty')).toHaveText('No runs match these filters.');
  await page.getByRole('button', { name: 'clear tag: BASELINE' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Second question');
  await page.getByTestId('filter-clear-all').click();
  await expect(rows).toHaveCount(2);

  // Nothing is lost on reload.
  await page.reload();
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').filter({ hasText: 'Describe the picture' }).click();
  await expect(page.getByTestId('run-note-input')).toHaveValue('The red dot was seen by every model');
  await expect(page.getByTestId('run-tag').locator('span')).toHaveText(['baseline']);

  // Rerun: the form's image chip shows its thumbnail from the store, and the new run says where it came from.
  const draftSaved = page.waitForResponse((r) => r.url().includes('/api/rpc/settings:save-draft') && r.request().postData()?.includes('dot.png') === true);
  await page.getByTestId('history-rerun').click();
  await expect(page.getByTestId('run-status')).toContainText('finished');
  await expect(page.getByTestId('attachment-chip').locator('img')).toHaveAttribute('src', `data:image/png;base64,${image.toString('base64')}`);
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-filters').locator('summary').click();
  await page.getByTestId('filter-source').selectOption('rerun');
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await page.getByTestId('history-row').first().click();
  await expect(page.getByTestId('history-source')).toHaveText('from rerun');

  // The form kept across a reload gets its image's thumbnail back from the store too.
  await draftSaved;
  await page.reload();
  await page.getByTestId('nav-compare').click();
  await expect(page.getByTestId('attachment-chip').locator('img')).toHaveAttribute('src', `data:image/png;base64,${image.toString('base64')}`);
});
