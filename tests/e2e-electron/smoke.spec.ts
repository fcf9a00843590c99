/**
 * Desktop smoke test: the real Electron binary on the bundled main process
 * (dist/electron/main.cjs, built by `npm run build`). It runs wherever an
 * Electron binary and a display exist, and reports itself skipped elsewhere:
 * this build machine cannot download Electron.
 *
 * Nothing is relaxed for the test (no --no-sandbox, no test-only switches).
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allCalls } from '../../shared/contract';
import { electronBinary, hasDisplay } from '../../scripts/lib/electron-env.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const mainBundle = join(repo, 'dist', 'electron', 'main.cjs');
const binary = electronBinary(repo);

const skipReason = !binary
  ? 'Electron binary not installed (node_modules/electron/dist missing): desktop smoke test skipped'
  : !hasDisplay()
    ? 'No display (DISPLAY and WAYLAND_DISPLAY unset; try xvfb-run): desktop smoke test skipped'
    : process.platform === 'linux' && process.getuid?.() === 0
      ? 'Chromium will not run as root without --no-sandbox, and this test does not weaken the sandbox: desktop smoke test skipped'
      : null;
// Said plainly in the run's output, not only in the report's annotations.
if (skipReason) process.stdout.write(`e2e-electron: ${skipReason}\n`);
test.skip(skipReason !== null, skipReason ?? '');
test.describe.configure({ mode: 'serial' });

type Global = Record<string, unknown>;

let app: ElectronApplication;
let win: Page;
let dataDir = '';

const sqliteAbi = (runtime: 'electron' | 'node') =>
  execFileSync(process.execPath, [join(repo, 'scripts', 'sqlite-abi.mjs'), runtime], { cwd: repo, stdio: 'inherit' });

test.beforeAll(async () => {
  if (!existsSync(mainBundle)) throw new Error('dist/electron/main.cjs is missing: run `npm run build` first');
  sqliteAbi('electron');
  dataDir = mkdtempSync(join(tmpdir(), 'switchyard-electron-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  app = await electron.launch({ executablePath: binary!, args: [mainBundle], cwd: repo, env: { ...env, SWITCHYARD_DATA_DIR: dataDir } });
  win = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  // Tests, the CLI and the headless host run on Node's ABI.
  if (binary) sqliteAbi('node');
});

test('opens the workbench window from app://', async () => {
  await expect(win).toHaveTitle('Switchyard');
  expect(win.url()).toBe('app://switchyard/index.html');
  await expect(win.getByTestId('compare-view')).toBeVisible();
  await win.screenshot({ path: join(repo, 'test-results', 'screenshots', 'electron-compare.png') });
});

test('the page sees window.switchyard and no Node', async () => {
  const surface = await win.evaluate(() => {
    const g = globalThis as unknown as Global;
    const api = g.switchyard as Record<string, unknown> | undefined;
    return {
      domains: api ? Object.keys(api).sort() : null,
      require: typeof g.require,
      process: typeof g.process,
      module: typeof g.module,
      buffer: typeof g.Buffer,
      ipcRenderer: typeof g.ipcRenderer,
    };
  });
  const domains = [...new Set(allCalls().map((c) => c.domain)), 'onCompareEvent'].sort();
  expect(surface).toEqual({ domains, require: 'undefined', process: 'undefined', module: 'undefined', buffer: 'undefined', ipcRenderer: 'undefined' });
});

test('a contract call round-trips through the guarded IPC, and bad arguments are refused', async () => {
  const settings = await win.evaluate(async () => {
    const api = (globalThis as unknown as Global).switchyard as { settings: { getSettings(a?: unknown): Promise<{ transport: string }> } };
    return api.settings.getSettings();
  });
  expect(settings.transport).toBe('ipc');
  const refused = await win.evaluate(async () => {
    const api = (globalThis as unknown as Global).switchyard as { history: { getRun(a: unknown): Promise<unknown> } };
    return api.history.getRun({ runId: '' }).then(
      () => 'resolved',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
  });
  expect(refused).toMatch(/^invalid arguments for history:get-run: runId: /);
});

test('app:// responses carry the CSP header, and only one window exists', async () => {
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  const csp = await win.evaluate(async () => (await fetch('/index.html')).headers.get('content-security-policy'));
  expect(csp).toContain("script-src 'self'");
});

test('window.open and navigation go nowhere', async () => {
  const opened = await win.evaluate(() => {
    const g = globalThis as unknown as { open(url: string): unknown; location: { href: string } };
    const w = g.open('app://switchyard/index.html');
    // Not http(s): denied without reaching the system browser either.
    g.location.href = 'file:///etc/hostname';
    return w === null;
  });
  expect(opened).toBe(true);
  await win.waitForTimeout(500);
  expect(win.url()).toBe('app://switchyard/index.html');
  expect(app.windows()).toHaveLength(1);
});
