import { addMockProvider, expect, pickTargets, test } from './fixtures';

test('the pre-flight names the planned endpoint and its fallback; a first-token timeout set in the window fails over from a hang before headers', async ({ app: page, mock }) => {
  mock.script('hangs', { fault: 'hang_before_headers' });
  mock.script('answers', { text: 'served by the fallback' });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');
  await pickTargets(page, ['mock:hangs,mock:answers']);
  await page.getByTestId('prompt-user').fill('who answers?');
  await page.getByTestId('param-first-token-timeout').fill('1500');

  const planned = page.getByTestId('preflight-column');
  await expect(planned.getByTestId('preflight-primary')).toHaveText('→ mock:hangs');
  await expect(planned.getByTestId('preflight-fallbacks')).toHaveText(/^then\s*mock:answers$/);

  await page.getByTestId('prompt-user').press('Control+Enter');
  const col = page.getByTestId('column');
  await expect(col).toHaveAttribute('data-status', 'ok');
  await expect(col.getByTestId('column-fellback')).toBeVisible();
  await expect(col.getByTestId('column-text')).toContainText('served by the fallback');
  // The window's field reached the engine: the hang ended on the first-token timeout, not the 10 s header one.
  await col.getByTestId('column-attempts').locator('summary').click();
  await expect(col.getByTestId('attempt-row').first()).toContainText('within 1500 ms');
});
