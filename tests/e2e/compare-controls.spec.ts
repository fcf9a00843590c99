import { addMockProvider, expect, MOCK_KEY_ENV, pickTargets, test } from './fixtures';

test('an unservable target is a marked chip with its reason and fix; Send runs the other columns and says which was left out', async ({ app: page, mock }) => {
  mock.script('first', { text: 'first answer' });
  mock.script('second', { text: 'second answer' });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');
  await pickTargets(page, ['mock:first', 'nowhere:some-model', 'mock:second']);

  const bad = page.locator('[data-testid="target-chip"][data-target="nowhere:some-model"]');
  await expect(bad).toHaveAttribute('data-unservable', 'true');
  await expect(bad.getByTestId('chip-reason')).toContainText('no provider "nowhere" is configured');
  await expect(bad.getByTestId('chip-fix')).toHaveText('Add provider nowhere');
  for (const t of ['mock:first', 'mock:second']) await expect(page.locator(`[data-testid="target-chip"][data-target="${t}"]`)).not.toHaveAttribute('data-unservable', /.*/);

  await page.getByTestId('prompt-user').fill('who answers?');
  await page.getByTestId('send-button').click();
  const cols = page.getByTestId('column');
  await expect(cols).toHaveCount(2);
  await expect(cols.nth(0)).toHaveAttribute('data-status', 'ok');
  await expect(cols.nth(1)).toHaveAttribute('data-status', 'ok');
  await expect(cols.nth(0).getByTestId('column-target')).toHaveText('mock:first');
  await expect(cols.nth(1).getByTestId('column-text')).toContainText('second answer');
  await expect(page.getByTestId('send-left-out')).toHaveCount(1);
  await expect(page.getByTestId('send-left-out')).toContainText('nowhere:some-model');
  await expect(page.getByTestId('send-error')).toHaveCount(0);

  // The fix opens the Providers view's add form, prefilled with the missing provider.
  await bad.getByTestId('chip-fix').click();
  const form = page.getByTestId('provider-form');
  await expect(form).toBeVisible();
  await expect(form.getByTestId('provider-id')).toHaveValue('nowhere');
  // Saved: back in Compare the chip is checked again against the new provider, and its mark goes.
  await form.getByTestId('provider-base-url').fill(mock.baseUrls.openai);
  await form.getByTestId('provider-key-mode-env').check();
  await form.getByTestId('provider-api-key-env').fill(MOCK_KEY_ENV);
  await form.getByTestId('provider-save').click();
  await expect(form).toBeHidden();
  await page.keyboard.press('Control+1');
  await expect(bad).not.toHaveAttribute('data-unservable', /.*/);
  await expect(bad.getByTestId('chip-reason')).toHaveCount(0);
  await expect(page.getByTestId('send-left-out')).toHaveCount(0);
});

test('at 1024x768 the side panel collapses and more columns fit', async ({ app: page, mock }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const targets = ['mock:c1', 'mock:c2', 'mock:c3', 'mock:c4'];
  for (const t of targets) mock.script(t.slice(5), { text: `answer ${t}` });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');
  await pickTargets(page, targets);
  await page.getByTestId('prompt-user').fill('side by side');
  await page.getByTestId('send-button').click();
  const cols = page.getByTestId('column');
  await expect(cols).toHaveCount(4);

  /** Columns whose whole width is inside the strip's visible box. */
  const fullyVisible = () =>
    page.getByTestId('columns').evaluate((strip) => {
      const box = strip.getBoundingClientRect();
      return [...strip.querySelectorAll('[data-testid="column"]')].filter((c) => {
        const r = c.getBoundingClientRect();
        return r.left >= box.left - 1 && r.right <= box.right + 1;
      }).length;
    });
  const before = await fullyVisible();
  const toggle = page.getByTestId('side-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('#compare-side')).toBeHidden();
  const after = await fullyVisible();
  expect(after).toBeGreaterThan(before);
  expect(before).toBeGreaterThanOrEqual(2);

  // Kept as a layout preference: a reload keeps the panel folded.
  await page.reload();
  await expect(page.getByTestId('side-toggle')).toHaveAttribute('aria-expanded', 'false');
  await page.getByTestId('side-toggle').click();
  await expect(page.locator('#compare-side')).toBeVisible();
});

/** WCAG contrast of two computed `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((v) => {
      const x = Number(v) / 255;
      return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: a confirm button keeps its text readable under the pointer`, async ({ app: page, mock }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await addMockProvider(page, mock);
    await page.getByTestId('provider-remove').click();
    const confirm = page.getByTestId('provider-remove-confirm');
    await confirm.hover();
    // Read while hovered: the hover rule is what used to lose to .btn's grey.
    const { color, background } = await confirm.evaluate((el) => {
      const s = el.ownerDocument.defaultView!.getComputedStyle(el);
      return { color: s.color, background: s.backgroundColor };
    });
    expect(await confirm.evaluate((el) => el.matches(':hover'))).toBe(true);
    expect(contrast(color, background), `${color} on ${background}`).toBeGreaterThanOrEqual(4.5);
  });
}
