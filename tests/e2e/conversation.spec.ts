import { addMockProvider, expect, pickTargets, test } from './fixtures';

test('follow up every column, then one, then fork a column to another model', async ({ app: page, mock }) => {
  mock.script('conv-a', { text: 'alpha answer' });
  mock.script('conv-b', { text: 'beta answer' });
  mock.script('conv-c', { text: 'gamma answer' });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');
  await pickTargets(page, ['mock:conv-a', 'mock:conv-b']);
  await page.getByTestId('prompt-user').fill('first question');
  await page.getByTestId('prompt-user').press('Control+Enter');
  await expect(page.getByTestId('run-status')).toContainText('finished');

  // To every column: each continues its own conversation, the earlier turn collapsed above the new answer.
  mock.script('conv-a', { text: 'alpha second' });
  mock.script('conv-b', { text: 'beta second' });
  await page.getByTestId('follow-up-prompt').fill('and then?');
  await page.getByTestId('follow-up-send').click();
  const columns = page.getByTestId('column');
  await expect(columns.nth(0).getByTestId('column-text')).toContainText('alpha second');
  await expect(columns.nth(1).getByTestId('column-text')).toContainText('beta second');
  await expect(columns.nth(0).getByTestId('column-turns')).toContainText('1 earlier turn');
  const sent = mock.requests.filter((r) => r.model === 'conv-b').at(-1)!.body as { messages: unknown };
  expect(sent.messages).toEqual([{ role: 'user', content: 'first question' }, { role: 'assistant', content: 'beta answer' }, { role: 'user', content: 'and then?' }]);

  // One column's own Follow up goes to it alone.
  await expect(page.getByTestId('follow-up')).toBeVisible();
  await columns.nth(0).getByTestId('column-follow-up').click();
  await expect(page.getByTestId('follow-up')).toContainText('column 1 only');
  mock.script('conv-a', { text: 'alpha third' });
  await page.getByTestId('follow-up-prompt').fill('only you');
  await page.getByTestId('follow-up-send').click();
  await expect(columns.nth(0).getByTestId('column-text')).toContainText('alpha third');
  await expect(columns.nth(0).getByTestId('column-turns')).toContainText('2 earlier turns');
  expect(mock.requests.filter((r) => r.model === 'conv-b')).toHaveLength(2);

  // Fork column 2 to another model: its conversation goes along, then the new prompt.
  await expect(page.getByTestId('follow-up')).toBeVisible();
  await columns.nth(1).getByTestId('column-fork').click();
  await expect(page.getByTestId('fork-note')).toContainText('2 answers');
  await pickTargets(page, ['mock:conv-c']);
  await page.getByTestId('prompt-user').fill('a fresh angle');
  await page.getByTestId('prompt-user').press('Control+Enter');
  await expect(page.getByTestId('column')).toHaveCount(1);
  await expect(page.getByTestId('column').getByTestId('column-text')).toContainText('gamma answer');
  const forked = mock.requests.find((r) => r.model === 'conv-c')!.body as { messages: unknown };
  expect(forked.messages).toEqual([
    { role: 'user', content: 'first question' }, { role: 'assistant', content: 'beta answer' },
    { role: 'user', content: 'and then?' }, { role: 'assistant', content: 'beta second' },
    { role: 'user', content: 'a fresh angle' },
  ]);
});
