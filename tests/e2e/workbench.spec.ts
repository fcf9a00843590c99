import { addMockProvider, expect, pickTargets, screenshot, test } from './fixtures';

const PROMPT = 'Compare these answers: explain a ring buffer';
const ANSWER = 'A **ring buffer** reuses a fixed array.\n\n```ts\nconst next = (i + 1) % size;\n```\n\nIt never allocates while streaming.';

test('add a provider, compare three models with one failing clearly, then find the run in history', async ({ app: page, mock, host }) => {
  mock.script('good-fast', { text: ANSWER, tokenDelayMs: 25 });
  mock.script('good-slow', { tokens: 60, tokenDelayMs: 30, reasoning: 'thinking about arrays' });
  mock.script('bad-key', { fault: 'auth' });

  // The token left the address bar as soon as the page read it.
  expect(page.url()).not.toContain('token=');
  expect(page.url()).not.toContain(host.token);

  await addMockProvider(page, mock);
  const row = page.locator('[data-testid="provider-row"][data-provider-id="mock"]');
  await expect(row.getByTestId('provider-key-status')).toContainText('set');
  await row.getByTestId('provider-test').click();
  await expect(row.getByTestId('provider-test-result')).toContainText('ok');

  await page.keyboard.press('Control+1');
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await pickTargets(page, ['mock:good-fast', 'mock:good-slow', 'mock:bad-key']);
  await page.getByTestId('prompt-user').fill(PROMPT);
  await page.getByTestId('param-max-tokens').fill('256');
  await page.getByTestId('prompt-user').press('Control+Enter');

  const columns = page.getByTestId('column');
  await expect(columns).toHaveCount(3);
  const slow = page.locator('[data-testid="column"]', { has: page.locator('[data-testid="column-served-by"]', { hasText: 'good-slow' }) });
  const bad = page.locator('[data-testid="column"]', { has: page.locator('[data-testid="column-served-by"]', { hasText: 'bad-key' }) });
  const fast = page.locator('[data-testid="column"]', { has: page.locator('[data-testid="column-served-by"]', { hasText: 'good-fast' }) });

  // Streaming: the slow column is seen mid-answer, with its text growing.
  await expect(slow).toHaveAttribute('data-status', 'running');
  await expect(slow.getByTestId('column-text')).toContainText('tok3');
  const early = (await slow.getByTestId('column-text').textContent()) ?? '';
  await expect(slow.getByTestId('column-text')).not.toHaveText(early);

  // The failing column says why, in words, while the others keep streaming.
  await expect(bad).toHaveAttribute('data-status', 'error');
  await expect(bad.getByTestId('column-error')).toContainText('401');
  await expect(bad.getByTestId('column-error')).toContainText(/api key/i);

  await expect(fast).toHaveAttribute('data-status', 'ok');
  await expect(slow).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(fast.locator('strong')).toHaveText('ring buffer');
  await expect(fast.locator('pre code .hljs-keyword').first()).toHaveText('const');
  await expect(slow.getByTestId('column-text')).toContainText('tok60');
  await expect(slow.getByTestId('column-reasoning')).toContainText('thinking about arrays');
  for (const col of [fast, slow]) {
    await expect(col.getByTestId('column-served-by')).toContainText('mock · ');
    await expect(col.getByTestId('column-ttft')).toHaveText(/\d+(\.\d+)? m?s/);
    await expect(col.getByTestId('column-tokens-out')).toHaveText(/^~?\d+/);
  }
  await bad.getByTestId('column-attempts').locator('summary').click();
  await expect(bad.getByTestId('attempt-row').first()).toContainText('HTTP 401');
  await expect(page.getByTestId('run-status')).toContainText('finished');
  await screenshot(page, 'compare');

  // Reload: the tab keeps its token, the run is in history with its columns as they were.
  await page.reload();
  await expect(page.getByTestId('nav-compare')).toBeVisible();
  await page.keyboard.press('Control+2');
  await page.getByTestId('history-search').fill('ring buffer');
  const runRow = page.getByTestId('history-row').filter({ hasText: PROMPT });
  await expect(runRow).toHaveCount(1);
  // Two models by name and the count of the rest; every one in the title.
  await expect(runRow.getByTestId('history-row-models')).toContainText('+1');
  await expect(runRow.getByTestId('history-row-models')).toHaveAttribute('title', /mock:bad-key/);
  await runRow.click();

  const detail = page.getByTestId('history-detail');
  await expect(detail.getByTestId('history-prompt')).toHaveText(PROMPT);
  await expect(detail.getByTestId('column')).toHaveCount(3);
  const badAgain = detail.locator('[data-testid="column"][data-status="error"]');
  await expect(badAgain).toHaveCount(1);
  await expect(badAgain.getByTestId('column-error')).toContainText('401');
  await expect(detail.locator('[data-testid="column"][data-status="ok"]')).toHaveCount(2);
  await expect(detail.locator('strong').first()).toHaveText('ring buffer');
  await screenshot(page, 'history');
});

test.describe('hostile model output', () => {
  // No console exemption: handlers are stripped from the string before any document parses it (renderer/lib/inertHtml.ts).
  test('is sanitised: no script runs, no event handler survives', async ({ app: page, mock }) => {
    mock.script('evil', {
      text: 'hello <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> [x](javascript:window.__pwned=3) **still bold**',
      tokenDelayMs: 5,
    });
    await addMockProvider(page, mock);
    await page.getByTestId('nav-compare').click();
    await pickTargets(page, ['mock:evil']);
    await page.getByTestId('prompt-user').fill('say something nasty');
    await page.getByTestId('send-button').click();
    const col = page.getByTestId('column');
    await expect(col).toHaveAttribute('data-status', 'ok');
    await expect(col.locator('strong')).toHaveText('still bold');
    expect(await col.locator('script, img[onerror], [onerror], a[href^="javascript:"]').count()).toBe(0);
    // The root tsconfig has no DOM lib: reach the page global through globalThis.
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});

test('Escape stops every column; retry runs one column again', async ({ app: page, mock }) => {
  mock.script('slow', { tokens: 400, tokenDelayMs: 50 });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');
  await pickTargets(page, ['mock:slow']);
  await page.getByTestId('prompt-user').fill('go slowly');
  await page.keyboard.press('Control+Enter');
  const col = page.getByTestId('column');
  await expect(col.getByTestId('column-text')).toContainText('tok2');
  await page.getByTestId('prompt-user').blur();
  await page.keyboard.press('Escape');
  await expect(col).toHaveAttribute('data-status', 'cancelled');

  mock.script('slow', { tokens: 3, tokenDelayMs: 5 });
  await col.getByTestId('column-retry').click();
  await expect(col).toHaveAttribute('data-status', 'ok');
  await expect(col.getByTestId('column-text')).toHaveText(/tok1 tok2 tok3\s*$/);
});

test('without the token the page says what to do instead of showing nothing', async ({ page, host }) => {
  await page.goto(host.url.replace(/#.*$/, ''));
  await expect(page.getByRole('alert').first()).toContainText('No access token');
});

test('history: rerun sends the stored prompt again; delete asks first', async ({ app: page, mock }) => {
  mock.script('quick', { tokens: 4, tokenDelayMs: 5 });
  await addMockProvider(page, mock);
  await page.keyboard.press('Alt+1');
  await pickTargets(page, ['mock:quick']);
  await page.getByTestId('prompt-user').fill('first prompt to keep');
  await page.getByTestId('send-button').click();
  await expect(page.getByTestId('column')).toHaveAttribute('data-status', 'ok');

  await page.keyboard.press('Alt+2');
  const row = page.getByTestId('history-row').filter({ hasText: 'first prompt to keep' });
  await row.click();
  await page.getByTestId('history-rerun').click();
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page.getByTestId('prompt-user')).toHaveValue('first prompt to keep');
  await expect(page.getByTestId('column')).toHaveAttribute('data-status', 'ok');

  await page.keyboard.press('Alt+2');
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  await page.getByTestId('history-row').first().click();
  await page.getByTestId('history-delete').click();
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  await page.getByTestId('history-delete-confirm').click();
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await expect(page.getByTestId('history-detail')).toBeHidden();
});

test('a long answer keeps its newest line in view while it streams; a reader who scrolls up keeps their place', async ({ app: page, mock }) => {
  const text = Array.from({ length: 60 }, (_, k) => `Line${k} of a long answer.`).join('\n\n') + '\n\nTHE-LAST-LINE';
  mock.script('long', { text, tokenDelayMs: 6 });
  mock.script('long-too', { text: text.replace('THE-LAST-LINE', 'OTHER-LAST-LINE'), tokenDelayMs: 6 });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');
  await pickTargets(page, ['mock:long', 'mock:long-too']);
  await page.getByTestId('prompt-user').fill('write a lot');
  await page.getByTestId('send-button').click();

  const [followed, readUp] = [page.getByTestId('column').nth(0), page.getByTestId('column').nth(1)];
  // Mid-stream, well past one screenful: the newest line is on screen, the first is not.
  await expect(followed.getByTestId('column-text')).toContainText('Line40');
  await expect(followed.getByTestId('column-text').locator('p').last()).toBeInViewport();
  await expect(followed.getByText('Line0 of a long answer.')).not.toBeInViewport();

  // The reader scrolls the other column back to the top while it still streams: it stays there.
  await readUp.getByTestId('column-body').evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(followed).toHaveAttribute('data-status', 'ok');
  await expect(readUp).toHaveAttribute('data-status', 'ok');
  await expect(readUp.getByText('Line0 of a long answer.')).toBeInViewport();
  await expect(readUp.getByText('OTHER-LAST-LINE')).not.toBeInViewport();

  // The followed column ends on its last line, and all of it can be scrolled back to.
  await expect(followed.getByText('THE-LAST-LINE')).toBeInViewport();
  await followed.getByTestId('column-body').hover();
  await page.mouse.wheel(0, -100_000);
  await expect(followed.getByText('Line0 of a long answer.')).toBeInViewport();
  await readUp.getByTestId('column-body').focus();
  await page.keyboard.press('End');
  await expect(readUp.getByText('OTHER-LAST-LINE')).toBeInViewport();
});

test('eight columns at 1280x800: the wheel over the headers scrolls sideways, a column edge drags wider, Send stays in reach', async ({ app: page, mock }) => {
  const targets = Array.from({ length: 8 }, (_, i) => `mock:wide-${i}`);
  for (let i = 0; i < 8; i++) mock.script(`wide-${i}`, { tokens: 5, tokenDelayMs: 5 });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');
  await pickTargets(page, targets);
  // The pre-flight list has grown by eight entries: Send is still on screen.
  await expect(page.getByTestId('send-button')).toBeInViewport();
  await page.getByTestId('prompt-user').fill('many columns');
  await page.getByTestId('send-button').click();
  await expect(page.locator('[data-testid="column"][data-status="ok"]')).toHaveCount(8);

  const strip = page.getByTestId('columns');
  const last = page.getByTestId('column').last();
  await expect(last).not.toBeInViewport();
  await page.getByTestId('column').first().locator('.col-head').hover();
  for (let i = 0; i < 10 && (await strip.evaluate((el) => el.scrollLeft + el.clientWidth < el.scrollWidth - 1)); i++) await page.mouse.wheel(0, 400);
  await expect(last).toBeInViewport();

  // Drag the first column's right edge from the middle of the handle.
  await strip.evaluate((el) => el.scrollTo({ left: 0 }));
  const first = page.getByTestId('column').first();
  const before = (await first.boundingBox())!.width;
  const handle = (await first.getByTestId('column-resize').boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + 200);
  await page.mouse.down();
  await page.mouse.move(handle.x + handle.width / 2 + 120, handle.y + 200, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => Math.round((await first.boundingBox())!.width)).toBe(Math.round(before + 120));
});

test('the view tabs are one tab stop, and the arrow keys, Home and End move between them', async ({ app: page }) => {
  await page.getByTestId('nav-compare').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('nav-history')).toBeFocused();
  await expect(page.getByTestId('nav-history')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('history-search')).toBeVisible();
  await page.keyboard.press('End');
  await expect(page.getByTestId('nav-endpoints')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('nav-compare')).toBeFocused();
  await expect(page.getByTestId('compare-view')).toBeVisible();
  // Only the selected tab is in the Tab order.
  expect(await page.locator('[role="tab"][tabindex="0"]').count()).toBe(1);
});

test('a code block streaming in keeps its newest lines inside the code block between parses', async ({ app: page, mock }) => {
  const code = Array.from({ length: 40 }, (_, i) => `const v${i} = items.map((x) => x * ${i});`).join('\n');
  mock.script('coder', { text: `Here:\n\n\`\`\`ts\n${code}\n\`\`\``, tokenDelayMs: 8 });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');
  await pickTargets(page, ['mock:coder']);
  await page.getByTestId('prompt-user').fill('write code');
  await page.getByTestId('send-button').click();
  const col = page.getByTestId('column');
  await expect(col.locator('pre')).toHaveCount(1);
  // Sampled while it streams: plain text between parses is inside the open block, never under it.
  let seen = 0;
  while ((await col.getAttribute('data-status')) === 'running') {
    const where = await col.getByTestId('column-text').evaluate((el) => {
      const tail = el.querySelector('.md-tail');
      return tail ? (tail.closest('pre') ? 'in-code' : `outside: ${tail.textContent?.slice(0, 40)}`) : 'none';
    });
    if (where !== 'none') {
      seen++;
      if ((await col.getAttribute('data-status')) === 'running') expect(where).toBe('in-code');
    }
    await page.waitForTimeout(20);
  }
  expect(seen).toBeGreaterThan(0);
  await expect(col).toHaveAttribute('data-status', 'ok');
  await expect(col.locator('pre code')).toContainText('const v39');
});
