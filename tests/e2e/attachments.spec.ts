import { png } from '../fixtures/attachment-files';
import { addMockProvider, expect, pickTargets, test } from './fixtures';

test('an image added with the file picker shows as a chip and reaches the mock as an image part', async ({ app: page, mock }) => {
  mock.script('vision', { text: 'a red dot' });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await pickTargets(page, ['mock:vision']);
  await page.getByTestId('prompt-user').fill('What is in this picture?');

  const image = png(2, 2, [255, 0, 0]);
  await page.getByTestId('attach-input').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: image });
  const chip = page.getByTestId('attachment-chip');
  await expect(chip).toHaveCount(1);
  await expect(chip).toContainText('dot.png');
  await expect(chip.locator('img')).toHaveAttribute('src', `data:image/png;base64,${image.toString('base64')}`);
  // The provider is not in the catalog: its modalities are unknown, so the pre-flight warns and Send still goes.
  await expect(page.getByTestId('preflight-column-warning')).toHaveText('mock:vision: the catalog does not say whether it accepts images; sending anyway');

  await page.getByTestId('send-button').click();
  const column = page.getByTestId('column');
  await expect(column).toHaveAttribute('data-status', 'ok');
  await expect(column.getByTestId('column-text')).toContainText('a red dot');

  const sent = mock.requests.filter((r) => r.model === 'vision');
  expect(sent).toHaveLength(1);
  expect((sent[0]!.body as { messages: unknown[] }).messages).toEqual([
    {
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: `data:image/png;base64,${image.toString('base64')}` } },
        { type: 'text', text: 'What is in this picture?' },
      ],
    },
  ]);

  // Removing the chip takes the file out of the next request.
  await chip.getByRole('button', { name: 'remove dot.png' }).click();
  await expect(page.getByTestId('attachment-chip')).toHaveCount(0);
});

test("the follow-up box takes files like the compose area; the turn's image reaches the mock with its prompt, the earlier turn kept", async ({ app: page, mock }) => {
  mock.script('vision', { text: 'first answer' });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');
  await pickTargets(page, ['mock:vision']);
  await page.getByTestId('prompt-user').fill('Hello');
  await page.getByTestId('send-button').click();
  await expect(page.getByTestId('run-status')).toContainText('finished');

  const box = page.getByTestId('follow-up');
  const image = png(3, 3, [0, 0, 255]);
  await box.getByTestId('attach-input').setInputFiles({ name: 'blue.png', mimeType: 'image/png', buffer: image });
  const chip = box.getByTestId('attachment-chip');
  await expect(chip).toContainText('blue.png');
  // The compose area's own list is untouched.
  await expect(page.getByTestId('attachment-chip')).toHaveCount(1);

  mock.script('vision', { text: 'a blue dot' });
  await box.getByTestId('follow-up-prompt').fill('And this?');
  await box.getByTestId('follow-up-send').click();
  await expect(page.getByTestId('column').getByTestId('column-text')).toContainText('a blue dot');
  const sent = mock.requests.filter((r) => r.model === 'vision');
  expect(sent).toHaveLength(2);
  expect((sent[1]!.body as { messages: unknown[] }).messages).toEqual([
    { role: 'user', content: 'Hello' },
    { role: 'assistant', content: 'first answer' },
    { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${image.toString('base64')}` } }, { type: 'text', text: 'And this?' }] },
  ]);
  // Sent: the box is empty again, files included.
  await expect(page.getByTestId('follow-up').getByTestId('attachment-chip')).toHaveCount(0);
});
