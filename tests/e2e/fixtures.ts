/**
 * Every test gets a fresh data directory, its own mock providers on loopback
 * and its own headless host serving the built renderer, so tests never share
 * runs, providers or keys.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startHost, type Host } from '../../electron/host/server';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';

/** The key the mock accepts; the host reads it from this env var, as a user would configure it. */
export const MOCK_KEY = 'sk-e2e-0123456789abcd';
export const MOCK_KEY_ENV = 'SWITCHYARD_E2E_KEY';
export const SCREENSHOTS = resolve('test-results/screenshots');

type Options = {
  /** Console errors a test expects. Hostile markup in answers is not one: it must produce no CSP report (tests/e2e/render.spec.ts). */
  expectedConsoleErrors: RegExp[];
};

type Fixtures = {
  dataDir: string;
  mock: MockProviders;
  host: Host;
  /** The page, opened on the host's URL (token in the hash). */
  app: Page;
};

export const test = base.extend<Fixtures & Options>({
  expectedConsoleErrors: [[], { option: true }],
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies by destructuring.
  dataDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  mock: async ({}, use) => {
    const mock = await startMockProviders({ requireKey: MOCK_KEY });
    await use(mock);
    await mock.close();
  },
  host: async ({ dataDir }, use) => {
    if (!existsSync('dist/renderer/index.html')) throw new Error('dist/renderer is missing: run `npm run build:renderer` before the e2e tests');
    const host = await startHost({ dataDir, port: 0, host: '127.0.0.1', env: { ...process.env, [MOCK_KEY_ENV]: MOCK_KEY } });
    await use(host);
    await host.close();
  },
  app: async ({ page, host, expectedConsoleErrors }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      // A CSP violation means something in the bundle is inline: the desktop app would break the same way.
      const text = msg.text();
      if (msg.type() !== 'error' || !/Content Security Policy/i.test(text)) return;
      if (!expectedConsoleErrors.some((re) => re.test(text))) problems.push(`CSP: ${text}`);
    });
    await page.goto(host.url);
    await expect(page.getByTestId('nav-compare')).toBeVisible();
    await use(page);
    expect(problems, 'the page logged errors').toEqual([]);
  },
});

export { expect };

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Adds an OpenAI-protocol provider pointing at the mock, through the Providers view. */
export async function addMockProvider(page: Page, mock: MockProviders, id = 'mock'): Promise<void> {
  await page.getByTestId('nav-providers').click();
  await page.getByTestId('provider-add').click();
  const form = page.getByTestId('provider-form');
  await form.getByTestId('provider-id').fill(id);
  await form.getByTestId('provider-type').selectOption('openai');
  await expect(form.getByTestId('provider-base-url')).toHaveValue('https://api.openai.com/v1');
  await form.getByTestId('provider-base-url').fill(mock.baseUrls.openai);
  await form.getByTestId('provider-key-mode-env').check();
  await form.getByTestId('provider-api-key-env').fill(MOCK_KEY_ENV);
  await form.getByTestId('provider-save').click();
  await expect(form).toBeHidden();
}

/** Types targets into the model picker as free-form strings. */
export async function pickTargets(page: Page, targets: string[]): Promise<void> {
  const input = page.getByTestId('model-picker-input');
  for (const t of targets) {
    await input.fill(t);
    await input.press('Enter');
    await expect(page.locator(`[data-testid="target-chip"][data-target="${t}"]`)).toBeVisible();
  }
}
