import { defineConfig } from '@playwright/test';

/**
 * Browser tests against the headless host and the loopback mock providers.
 * Playwright's own browser download is unavailable here: the system Chromium
 * is used (.ci/run installs Debian's `chromium` when it is missing).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export default defineConfig({
  // The desktop smoke test has its own run (`playwright test -c tests/e2e-electron`).
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  // Two cores: one browser at a time keeps streaming timings meaningful.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
});
