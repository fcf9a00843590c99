import { describe, expect, it, vi } from 'vitest';
import type { CompareEvent } from '../../../shared/domain';
import { startShell, startupErrorMessage, type ShellApp, type ShellElectron } from '../../../electron/shell/run';
import { CONTENT_SECURITY_POLICY } from '../../../electron/shell/security';
import { Emitter, FakeIpcMain, FakeWebContents, fakeSafeStorage, preventable, spyHandlers } from './fakes';

type HeadersCallback = (r: { responseHeaders: Record<string, string[]> }) => void;

/** Just enough Electron for the shell's lifecycle; windows announce their webContents like Electron does. */
function fakeElectron(opts: { locked?: boolean } = {}) {
  const app = Object.assign(new Emitter(), {
    setPath: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => opts.locked !== true),
    quit: vi.fn(),
    exit: vi.fn(),
    enableSandbox: vi.fn(),
    whenReady: vi.fn(async () => undefined),
    getName: () => 'Switchyard',
    isPackaged: false,
  });
  class FakeWindow extends Emitter {
    static all: FakeWindow[] = [];
    static getAllWindows = () => FakeWindow.all;
    readonly webContents = new FakeWebContents();
    readonly loadURL = vi.fn(async (_url: string) => undefined);
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    isMinimized = () => false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      FakeWindow.all.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
  }
  const session = {
    defaultSession: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn() },
    },
  };
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    dialog: { showErrorBox: vi.fn() },
    ipcMain: new FakeIpcMain(),
    Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ template: t })), setApplicationMenu: vi.fn() },
    nativeTheme: { shouldUseDarkColors: true },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    safeStorage: fakeSafeStorage({ backend: 'basic_text' }),
    session,
    shell: { openExternal: vi.fn(async () => undefined) },
  };
  return { electron, app, FakeWindow, session, asShell: electron as unknown as ShellElectron };
}

function fakeEngine() {
  const listeners = new Set<(e: CompareEvent) => void>();
  const engine: ShellApp & { emit(e: CompareEvent): void } = {
    handlers: spyHandlers({ ok: true }),
    onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
    close: vi.fn(async () => undefined),
    emit: (e) => listeners.forEach((l) => l(e)),
  };
  return engine;
}

const deps = (engine: ShellApp, over: Partial<Parameters<typeof startShell>[1]> = {}) => ({
  createApp: vi.fn(async () => engine),
  preloadPath: '/app/dist/electron/preload.cjs',
  rendererDir: '/app/dist/renderer',
  dataDir: '/data/Switchyard',
  platform: 'linux' as const,
  log: vi.fn(),
  ...over,
});

describe('startShell', () => {
  it('quits at once when another instance holds the lock', async () => {
    const f = fakeElectron({ locked: true });
    const d = deps(fakeEngine());
    expect(await startShell(f.asShell, d).ready).toBeNull();
    expect(f.app.quit).toHaveBeenCalled();
    expect(d.createApp).not.toHaveBeenCalled();
    expect(f.FakeWindow.all).toHaveLength(0);
  });

  it('opens one locked-down window on app://, with the same guards on every webContents', async () => {
    const f = fakeElectron();
    const d = deps(fakeEngine());
    await startShell(f.asShell, d).ready;
    expect(f.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app' })]);
    expect(f.app.setPath).toHaveBeenCalledWith('userData', '/data/Switchyard');
    expect(f.app.enableSandbox).toHaveBeenCalled();
    expect(f.FakeWindow.all).toHaveLength(1);
    const win = f.FakeWindow.all[0]!;
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, preload: d.preloadPath });
    expect(win.loadURL).toHaveBeenCalledWith('app://switchyard/index.html');
    const nav = preventable();
    win.webContents.emit('will-navigate', nav, 'https://example.com/');
    expect(nav.defaultPrevented()).toBe(true);
    expect(f.electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/');
    expect(win.webContents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(f.electron.shell.openExternal).toHaveBeenCalledTimes(1);
    expect(f.electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(f.electron.Menu.setApplicationMenu).toHaveBeenCalled();
  });

  it('puts the CSP on every response and denies permissions', async () => {
    const f = fakeElectron();
    await startShell(f.asShell, deps(fakeEngine())).ready;
    const onHeaders = f.session.defaultSession.webRequest.onHeadersReceived.mock.calls[0]![0] as (
      d: { responseHeaders?: Record<string, string[]> },
      cb: HeadersCallback,
    ) => void;
    const cb = vi.fn<HeadersCallback>();
    onHeaders({ responseHeaders: { 'Content-Security-Policy': ['default-src *'] } }, cb);
    expect(cb).toHaveBeenCalledWith({ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });

    const request = f.session.defaultSession.setPermissionRequestHandler.mock.calls[0]![0] as (
      wc: unknown,
      p: string,
      cb: (ok: boolean) => void,
      d: { requestingUrl?: string },
    ) => void;
    const answer = vi.fn();
    request({}, 'media', answer, { requestingUrl: 'app://switchyard/index.html' });
    request({}, 'clipboard-sanitized-write', answer, { requestingUrl: 'https://evil.example/' });
    expect(answer.mock.calls).toEqual([[false], [false]]);
    const check = f.session.defaultSession.setPermissionCheckHandler.mock.calls[0]![0] as (wc: unknown, p: string, o: string, d: { requestingUrl?: string }) => boolean;
    expect(check({}, 'notifications', 'app://switchyard', {})).toBe(false);
  });

  it('gives the engine the data dir and a key vault that reports basic_text honestly', async () => {
    const f = fakeElectron();
    const engine = fakeEngine();
    const createApp = vi.fn(async (_opts: unknown) => engine);
    const d = deps(engine, { createApp });
    await startShell(f.asShell, d).ready;
    const { dataDir, keyVault } = createApp.mock.calls[0]![0] as { dataDir: string; keyVault: { backend: string; secure: boolean; warning: string | null } };
    expect(dataDir).toBe('/data/Switchyard');
    expect(keyVault).toMatchObject({ backend: 'basic_text', secure: false });
    expect(d.log).toHaveBeenCalledWith(expect.stringContaining('key storage (basic_text)'));
  });

  it('wires every contract call through the guarded IPC and forwards compare events to the window', async () => {
    const f = fakeElectron();
    const engine = fakeEngine();
    await startShell(f.asShell, deps(engine)).ready;
    const ipc = f.electron.ipcMain;
    const page = f.FakeWindow.all[0]!.webContents.mainFrame;
    expect(await ipc.invoke('compare:cancel-run', page, { runId: 'r1' })).toEqual({ ok: true, value: { ok: true } });
    expect(engine.handlers.compare.cancelRun).toHaveBeenCalledWith({ runId: 'r1' });
    expect(await ipc.invoke('compare:cancel-run', { ...page, url: 'https://evil.example/' }, { runId: 'r1' })).toMatchObject({ ok: false });

    const e: CompareEvent = { type: 'delta', runId: 'r1', columnId: 'c1', text: 'a', reasoning: '' };
    engine.emit(e);
    expect(f.FakeWindow.all[0]!.webContents.send).toHaveBeenCalledWith('compare:event', e);
  });

  it('closes the engine before the process quits', async () => {
    const f = fakeElectron();
    const engine = fakeEngine();
    await startShell(f.asShell, deps(engine)).ready;
    const quitting = preventable();
    f.app.emit('will-quit', quitting);
    expect(quitting.defaultPrevented()).toBe(true);
    await vi.waitFor(() => expect(f.app.quit).toHaveBeenCalled());
    expect(engine.close).toHaveBeenCalledTimes(1);
    const again = preventable();
    f.app.emit('will-quit', again);
    expect(again.defaultPrevented()).toBe(false);
  });

  it('quits on window-all-closed except on macOS', async () => {
    const linux = fakeElectron();
    await startShell(linux.asShell, deps(fakeEngine())).ready;
    linux.app.emit('window-all-closed');
    expect(linux.app.quit).toHaveBeenCalled();
    const mac = fakeElectron();
    await startShell(mac.asShell, deps(fakeEngine(), { platform: 'darwin' })).ready;
    mac.app.emit('window-all-closed');
    expect(mac.app.quit).not.toHaveBeenCalled();
  });

  it('shows one clear line and exits when the engine cannot start', async () => {
    const f = fakeElectron();
    const abi = new Error(
      "The module '/x/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 150.",
    );
    const d = deps(fakeEngine(), { createApp: vi.fn(async () => Promise.reject(abi)) });
    expect(await startShell(f.asShell, d).ready).toBeNull();
    const [title, message] = f.electron.dialog.showErrorBox.mock.calls[0]!;
    expect(title).toBe('Switchyard could not start');
    expect(message).toMatch(/^better-sqlite3 is compiled for another runtime's ABI\. Run `npm run rebuild:electron`/);
    expect(message).not.toContain('\n');
    expect(f.app.exit).toHaveBeenCalledWith(1);
    expect(f.FakeWindow.all).toHaveLength(0);
  });

  it('leaves other startup errors as they are', () => {
    expect(startupErrorMessage(new Error('database schema v9 is newer than this build knows (v3); update Switchyard'))).toBe(
      'database schema v9 is newer than this build knows (v3); update Switchyard',
    );
  });
});
