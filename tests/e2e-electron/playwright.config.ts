import { defineConfig } from '@playwright/test';

/**
 * The desktop smoke test on its own: `npx playwright test -c tests/e2e-electron`.
 * The main playwright.config.ts can run it as a project with
 * `{ name: 'electron', testDir: 'tests/e2e-electron' }`.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results/electron',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
});
