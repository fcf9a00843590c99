import { addMockProvider, expect, pickTargets, test } from './fixtures';

test('save a prompt with two variables, find it after a reload, fill it in and send the filled text', async ({ app: page, mock }) => {
  mock.script('lib-model', { text: 'library answer' });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');

  // Empty at first, and saying how to start.
  await page.keyboard.press('Control+l');
  const library = page.getByTestId('library');
  await expect(library).toBeVisible();
  await expect(library.getByTestId('library-search')).toBeFocused();
  await expect(library.getByTestId('library-empty')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(library).toBeHidden();

  // Save the current prompt as "explain".
  await page.getByTestId('prompt-user').fill('Explain {{ topic }} to {{audience}} in one line.');
  await page.getByTestId('library-open').click();
  await library.getByTestId('library-save-name').fill('explain');
  await library.getByTestId('library-save-name').press('Enter');
  await expect(library.getByTestId('library-save-done')).toContainText('saved explain (variables: topic, audience)');
  // The same name again is refused in place, then replaced when confirmed.
  await library.getByTestId('library-save-name').fill('explain');
  await library.getByTestId('library-save').click();
  await expect(library.getByTestId('library-save-error')).toContainText('a prompt named "explain" already exists');
  await library.getByTestId('library-save-replace').click();
  await expect(library.getByTestId('library-save-done')).toBeVisible();
  await expect(library.getByTestId('library-item')).toHaveCount(1);
  await page.keyboard.press('Escape');

  // After a reload the draft and the library are both still there.
  await page.reload();
  await expect(page.getByTestId('nav-compare')).toBeVisible();
  await expect(page.getByTestId('prompt-user')).toHaveValue('Explain {{ topic }} to {{audience}} in one line.');
  await page.getByTestId('prompt-user').fill('');
  await page.keyboard.press('Control+l');
  await expect(library).toBeVisible();
  await library.getByTestId('library-search').fill('no such thing');
  await expect(library.getByTestId('library-no-match')).toBeVisible();
  await library.getByTestId('library-search').fill('AUDIENCE');
  const item = library.locator('[data-testid="library-item"][data-name="explain"]');
  await expect(item).toContainText('{{topic}} {{audience}}');
  await item.getByTestId('library-pick').click();

  // One field per variable, the first focused; Enter with one blank marks it and fills nothing.
  const fill = library.getByTestId('library-fill');
  const topic = fill.locator('[data-testid="library-var"][data-var="topic"]');
  const audience = fill.locator('[data-testid="library-var"][data-var="audience"]');
  await expect(topic).toBeFocused();
  await topic.fill('tides');
  await topic.press('Enter');
  await expect(fill.getByTestId('library-fill-error')).toContainText('Missing a value: audience');
  await expect(audience).toHaveAttribute('aria-invalid', 'true');
  await expect(audience).toBeFocused();
  await audience.fill('a {{child}} $&');
  await audience.press('Enter');
  await expect(library).toBeHidden();
  const filled = 'Explain tides to a {{child}} $& in one line.';
  await expect(page.getByTestId('prompt-user')).toHaveValue(filled);

  await pickTargets(page, ['mock:lib-model']);
  await page.getByTestId('prompt-user').press('Control+Enter');
  await expect(page.getByTestId('run-status')).toContainText('finished');
  const sent = mock.requests.find((r) => r.model === 'lib-model')!.body as { messages: unknown };
  expect(sent.messages).toEqual([{ role: 'user', content: filled }]);

  // A system prompt without variables goes straight into the system prompt; delete asks first.
  await page.getByTestId('prompt-system').evaluate((el) => (el.closest('details')!.open = true));
  await page.getByTestId('prompt-system').fill('You are terse.');
  await page.keyboard.press('Control+l');
  await library.getByTestId('library-save-kind').selectOption('system');
  await library.getByTestId('library-save-name').fill('terse');
  await library.getByTestId('library-save').click();
  await expect(library.getByTestId('library-list-system')).toContainText('terse');
  await page.keyboard.press('Escape');
  await page.getByTestId('prompt-system').fill('');
  await page.keyboard.press('Control+l');
  await library.locator('[data-testid="library-item"][data-name="terse"]').getByTestId('library-pick').click();
  await expect(library).toBeHidden();
  await expect(page.getByTestId('prompt-system')).toHaveValue('You are terse.');

  await page.keyboard.press('Control+l');
  const terse = library.locator('[data-testid="library-item"][data-name="terse"]');
  await terse.getByTestId('library-delete').click();
  await expect(terse.getByTestId('library-delete-cancel')).toBeFocused();
  await terse.getByTestId('library-delete-cancel').press('Enter');
  await expect(terse).toBeVisible();
  await terse.getByTestId('library-delete').click();
  await terse.getByTestId('library-delete-confirm').click();
  await expect(terse).toHaveCount(0);
  await expect(library.getByTestId('library-item')).toHaveCount(1);
});
