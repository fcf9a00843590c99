import { test, expect, addMockProvider } from './fixtures';

// The browser UI over the real host: a key kept while the base URL moves to another host does not follow it,
// and a variable that is not an API key is refused; the form says so on the input it is about.
test('the providers form says plainly when a key may not go to another host, or a variable is not a key', async ({ app: page, mock }) => {
  await addMockProvider(page, mock);
  await page.getByTestId('provider-edit').click();
  const form = page.getByTestId('provider-form');
  const elsewhere = `http://localhost:${new URL(mock.url).port}/v1`;
  await form.getByTestId('provider-base-url').fill(elsewhere);
  await expect(form.getByTestId('provider-key-move-note')).toContainText(`$SWITCHYARD_E2E_KEY goes only to ${new URL(mock.url).origin}`);
  await form.getByTestId('provider-save').click();
  await expect(form.getByTestId('provider-form-error')).toHaveText(
    `key SWITCHYARD_E2E_KEY was first used with ${new URL(mock.url).origin}; to send it to http://localhost:${new URL(mock.url).port}, enter it again from your shell: switchyard providers add mock --base-url ${elsewhere} --api-key-env SWITCHYARD_E2E_KEY`,
  );
  await expect(form.getByTestId('provider-base-url')).toHaveAttribute('aria-invalid', 'true');

  await form.getByTestId('provider-base-url').fill(mock.baseUrls.openai);
  await form.getByTestId('provider-key-mode-env').check();
  await form.getByTestId('provider-api-key-env').fill('HOME');
  await form.getByTestId('provider-save').click();
  await expect(form.getByTestId('provider-form-error')).toContainText('environment variable HOME is not one this host may read as a key');
  await expect(form.getByTestId('provider-form-error')).toContainText('restart with switchyard serve --key-env HOME');
  await expect(form.getByTestId('provider-api-key-env')).toHaveAttribute('aria-invalid', 'true');
  // Only the first save's test reached the mock, under the name it was bound with.
  expect(mock.requests.map((r) => r.headers.host)).toEqual([new URL(mock.url).host]);
});
