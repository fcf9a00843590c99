/**
 * The bundles as shipped: dist/electron/main.cjs started in plain Node with a
 * fake 'electron' (fixtures/fake-electron-driver.cjs), so the real engine and
 * store come up and the registered IPC handlers are driven like a renderer
 * would. Catches what type-checks but breaks once bundled: CJS vs
 * import.meta, data-file paths, a handler the wiring missed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OffThreadCheckpointer } from '../../../electron/store/checkpointer';
import { openDatabase } from '../../../electron/store/db';
import { allCalls } from '../../../shared/contract';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const channels = allCalls()
  .map((c) => c.def.channel)
  .sort();
const KEY = 'sk-bundle-test-9876';

type Reply = { ok: true; value: unknown } | { ok: false; error: string };
interface DriverReport {
  channels: string[];
  loaded: string;
  webPreferences: Record<string, unknown>;
  log: string[];
  settings: Reply;
  save: Reply;
  providers: Reply;
  runs: Reply;
  invalid: Reply;
  foreign: Reply;
  subframe: Reply;
  protocol?: { status: number; csp: string };
}

let dataDir = '';
let report: DriverReport;
let lines: Array<Record<string, unknown>> = [];

beforeAll(() => {
  execFileSync(process.execPath, [join(repo, 'scripts', 'build-node.mjs')], { cwd: repo, stdio: 'pipe' });
  dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bundle-'));
  const run = spawnSync(process.execPath, ['--require', join(repo, 'tests/unit/shell/fixtures/fake-electron-driver.cjs'), join(repo, 'dist/electron/main.cjs')], {
    cwd: repo,
    env: { ...process.env, SWITCHYARD_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 30_000,
  });
  lines = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const found = lines.find((l) => 'channels' in l);
  if (!found) throw new Error(`the bundle did not start under the fake electron:\n${run.stdout}\n${run.stderr}`);
  report = found as unknown as DriverReport;
}, 60_000);

afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('dist/electron/preload.cjs', () => {
  const preload = () => readFileSync(join(repo, 'dist/electron/preload.cjs'), 'utf8');

  it('requires nothing but electron and carries no schemas', () => {
    expect([...preload().matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload()).not.toMatch(/zod|safeParse/);
  });

  it('knows every contract channel', () => {
    for (const channel of channels) expect(preload()).toContain(`"${channel}"`);
  });
});

describe('dist/electron/main.cjs under a fake electron', () => {
  it('registers exactly the contract channels and loads app://', () => {
    expect(report.channels).toEqual(channels);
    expect(report.loaded).toBe('app://switchyard/index.html');
    expect(report.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(report.webPreferences.preload).toBe(join(repo, 'dist/electron/preload.cjs'));
    expect(report.log).toEqual(expect.arrayContaining(['enableSandbox', 'permissionRequest', 'permissionCheck', 'onHeadersReceived']));
  });

  it('answers real engine calls, reporting basic_text key storage honestly', () => {
    expect(report.settings).toMatchObject({ ok: true, value: { transport: 'ipc', keyStorage: { backend: 'basic_text', secure: false } } });
    expect(report.runs).toEqual({ ok: true, value: [] });
  });

  it('stores a key encrypted and shows the renderer only set/last4', () => {
    expect(report.save).toMatchObject({ ok: true, value: { keys: [{ kind: 'secret', set: true, last4: '9876' }] } });
    expect(JSON.stringify([report.save, report.providers])).not.toContain(KEY);
    for (const file of readdirSync(dataDir)) expect(readFileSync(join(dataDir, file)).includes(KEY)).toBe(false);
  });

  it('refuses bad arguments, foreign pages and subframes', () => {
    expect(report.invalid).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid arguments for history:get-run: runId: /) });
    expect(report.foreign).toEqual({ ok: false, error: 'refused: sender is not the Switchyard page' });
    expect(report.subframe).toEqual({ ok: false, error: 'refused: sender is not the main frame' });
  });

  it('serves app:// with the CSP header', () => {
    expect(report.protocol?.csp).toContain("default-src 'self'");
  });

  it('closes the engine and quits', () => {
    expect(lines.some((l) => l.quit === true)).toBe(true);
  });
});

describe('workers beside the bundles', () => {
  // The store and the tokenizer start them from files next to the module that loads them.
  it.each(['dist/electron', 'dist/cli'])('%s/checkpoint-worker.mjs checkpoints a WAL database from there', async (dir) => {
    const tmp = mkdtempSync(join(tmpdir(), 'switchyard-bundle-wal-'));
    const file = join(tmp, 'switchyard.db');
    const db = openDatabase(file);
    const ckpt = new OffThreadCheckpointer(file, { workerFile: join(repo, dir, 'checkpoint-worker.mjs'), log: () => undefined });
    try {
      db.exec('CREATE TABLE t (x TEXT)');
      db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(10_000));
      expect(ckpt.available).toBe(true);
      const r = await ckpt.request();
      expect(r).toMatchObject({ busy: 0 });
      expect(r!.checkpointed).toBe(r!.log);
      expect(r!.log).toBeGreaterThan(0);
    } finally {
      ckpt.close();
      db.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it.each(['dist/electron', 'dist/cli'])('%s/token-worker.mjs is there', (dir) => {
    expect(existsSync(join(repo, dir, 'token-worker.mjs'))).toBe(true);
  });
});

describe('dist/cli/switchyard.mjs', () => {
  let cliDir = '';
  beforeAll(() => {
    cliDir = mkdtempSync(join(tmpdir(), 'switchyard-cli-bundle-'));
  });
  afterAll(() => rmSync(cliDir, { recursive: true, force: true }));
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [join(repo, 'dist/cli/switchyard.mjs'), ...args], { cwd: repo, env: { ...process.env, SWITCHYARD_DATA_DIR: cliDir }, encoding: 'utf8', timeout: 30_000 });

  /** The bundle's text a module loads before any of its code runs: itself and its static imports, transitively. */
  function staticClosure(file: string, seen = new Set<string>()): string {
    if (seen.has(file)) return '';
    seen.add(file);
    const text = readFileSync(join(repo, 'dist/cli', file), 'utf8');
    const imported = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s*"\.\/([^"]+)";?$|^import\s*"\.\/([^"]+)";?$/gms)].map((m) => m[1] ?? m[2]!);
    return text + imported.map((f) => staticClosure(f, seen)).join('');
  }

  it('starts `--version` with neither SQLite, zod, the engine nor the UI server', () => {
    const r = cli(['--version']);
    expect(r.stdout).toBe('0.1.0\n');
    expect(r.status).toBe(0);
    const loaded = staticClosure('switchyard.mjs');
    expect(loaded).toContain('node_modules/commander/');
    for (const heavy of ['from "better-sqlite3"', 'node_modules/zod/', 'node_modules/cockatiel/', 'node:http', 'electron/engine/engine.ts', 'electron/store/db.ts']) expect(loaded).not.toContain(heavy);
  });

  it('runs `history list` and `providers list` from the bundle', () => {
    expect(cli(['history', 'list', '--limit', '1'])).toMatchObject({ status: 0, stdout: 'no runs yet\n', stderr: '' });
    expect(cli(['providers', 'list'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^no providers yet/), stderr: '' });
  });

  it('lists every command in help, and suggests one for a typo', () => {
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    for (const c of ['providers', 'compare', 'history', 'endpoints', 'catalog', 'budgets', 'spend', 'audit', 'prompts', 'serve']) expect(help.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    const typo = cli(['histroy', 'list']);
    expect(typo.status).toBe(1);
    expect(typo.stderr).toMatch(/^switchyard: unknown command 'histroy'.*history/);
  });
});
