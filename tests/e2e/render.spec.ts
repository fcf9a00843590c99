import type { Page } from '@playwright/test';
import { addMockProvider, expect, pickTargets, screenshot, test } from './fixtures';

/** An answer full of markup that must never run or even be parsed as handlers, with math and code between it. */
const HOSTILE = [
  'Intro <img src=x onerror="window.__pwned=1"> and <IMG SRC=x ONERROR=window.__pwned=11> and <img/src=x/onerror=window.__pwned=12>.',
  '',
  '<svg onload="window.__pwned=2"><circle r="4"/><a xlink:href="javascript:window.__pwned=21"><text>svg link</text></a><image href="https://example.com/i.png"/></svg>',
  '',
  '[md link](javascript:window.__pwned=3) and <a href="javascript:window.__pwned=4">raw link</a> and <a href="https://example.com/ok">fine link</a>',
  '',
  '<iframe srcdoc="<script>parent.__pwned=5</script>"></iframe>',
  '',
  '<details open ontoggle="window.__pwned=6"><summary>sum</summary>details body</details>',
  '',
  '![a cat](https://example.com/cat.png "t\\" onerror=\\"window.__pwned=7") and an inline one: ![dot](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==)',
  '',
  '<div onclick="window.__pwned=8" onmouseover="window.__pwned=9" style="position:fixed;inset:0">hover me</div>',
  '',
  '<style>body{display:none}</style><script>window.__pwned=10</script><!-- <img src=x onerror=window.__pwned=13> -->',
  '',
  '<math><mi onclick="window.__pwned=14">m</mi></math> <form action="https://example.com"><input onfocus="window.__pwned=15" autofocus></form>',
  '',
  'Prices stay text: $5 and $10. Inline math $e^{i\\pi} + 1 = 0$ and \\(a^2 + b^2\\), not in code: `$x$`.',
  '',
  '$$\\int_0^1 x\\,dx = \\frac{1}{2}$$',
  '',
  '```ts',
  "const html = '<b>not bold</b>';",
  '```',
  '',
  '**still bold**',
].join('\n');

/** The page's globals this test touches (the root tsconfig has no DOM lib). */
interface Violation {
  violatedDirective: string;
  sample: string;
  blockedURI: string;
}
interface Target {
  addEventListener(type: 'securitypolicyviolation', listener: (e: Violation) => void, capture: boolean): void;
}
type PageGlobals = Target & { document: Target; navigator: { clipboard: { readText(): Promise<string> } }; __violations?: string[]; __pwned?: number };

/** Listens, from before the run, for every CSP violation the page or its document is told of. */
async function recordViolations(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const seen: string[] = [];
    g.__violations = seen;
    const note = (e: Violation): void => void seen.push(`${e.violatedDirective}: ${e.sample || e.blockedURI}`);
    g.document.addEventListener('securitypolicyviolation', note, true);
    g.addEventListener('securitypolicyviolation', note, true);
  });
}

test('an answer full of HTML and event handlers streams in with no CSP violation, its math typeset and its code copyable', async ({ app: page, mock, context }) => {
  const cspConsole: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspConsole.push(msg.text());
  });
  await recordViolations(page);
  mock.script('evil', { text: HOSTILE, tokenDelayMs: 5 });
  await addMockProvider(page, mock);
  await page.getByTestId('nav-compare').click();
  await pickTargets(page, ['mock:evil']);
  await page.getByTestId('prompt-user').fill('say something nasty');
  await page.getByTestId('send-button').click();

  const col = page.getByTestId('column');
  await expect(col).toHaveAttribute('data-status', 'ok');
  const text = col.getByTestId('column-text');
  await expect(text.locator('strong')).toHaveText('still bold');

  // Math: two inline formulas and one display formula, typeset as MathML; the prices and the code span are not math.
  await expect(text.locator('.katex math')).toHaveCount(3);
  await expect(text.locator('math[display="block"]')).toHaveCount(1);
  await expect(text).toContainText('$5 and $10');
  await expect(text.locator('code', { hasText: '$x$' })).toHaveCount(1);

  // Nothing active survived; the harmless parts did.
  const active = '[onerror], [onload], [ontoggle], [onclick], [onmouseover], [onfocus], [style], [srcdoc], script, style, iframe, form, input, a[href^="javascript:"], [*|href^="javascript:"]';
  expect(await text.locator(active).count()).toBe(0);
  await expect(text.locator('a[href="https://example.com/ok"]')).toHaveAttribute('target', '_blank');
  await expect(text.locator('details summary')).toHaveText('sum');
  // A remote image is a link to it (the CSP would block the image), its alt text kept.
  await expect(text.locator('a[href="https://example.com/cat.png"]')).toHaveText('a cat');
  await expect(text.locator('img')).toHaveCount(1);
  await expect(text.locator('img')).toHaveAttribute('alt', 'dot');
  expect(await text.locator('svg image').evaluate((el) => el.getAttribute('href'))).toBeNull();
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();

  // The code block's copy button: reached by keyboard, copies the code as text, says so.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const copy = text.locator('pre').getByRole('button', { name: 'Copy code' });
  await copy.focus();
  await page.keyboard.press('Enter');
  await expect(copy).toHaveText('Copied');
  await screenshot(page, 'hostile-answer');
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText())).toBe("const html = '<b>not bold</b>';");

  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__violations)).toEqual([]);

  // Reopened from history in a fresh page (KaTeX not loaded yet there, most likely): the same, all at once.
  await page.reload();
  await expect(page.getByTestId('nav-compare')).toBeVisible();
  await recordViolations(page);
  await page.keyboard.press('Control+2');
  await page.getByTestId('history-row').first().click();
  const detail = page.getByTestId('history-detail').getByTestId('column-text');
  await expect(detail.locator('strong')).toHaveText('still bold');
  await expect(detail.locator('.katex math')).toHaveCount(3);
  await expect(detail.locator('pre').getByRole('button', { name: 'Copy code' })).toHaveCount(1);
  expect(await detail.locator(active).count()).toBe(0);
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__violations)).toEqual([]);
  expect(cspConsole).toEqual([]);
});
