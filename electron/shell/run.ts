/**
 * The desktop shell's lifecycle, with Electron injected so it can be
 * exercised against a fake: single instance, sandbox for every renderer,
 * guards on every webContents, CSP, permissions, the app:// protocol, the
 * menu, the key vault, the IPC wiring and the window.
 */
import type { BrowserWindow as BrowserWindowType } from 'electron';
import { COMPARE_EVENT_CHANNEL, type ContractHandlers } from '../../shared/contract';
import type { CompareEvent } from '../../shared/domain';
import type { KeyVault } from '../engine/keys';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { oneLine } from './envelope';
import { forwardCompareEvents, registerContract } from './ipc';
import { createKeyVault } from './key-vault';
import { menuTemplate } from './menu';
import { APP_ENTRY_URL, APP_SCHEME, installNavigationGuards, isAppUrl, isPermissionAllowed, withCsp } from './security';
import { windowOptions } from './window-options';

export type ShellElectron = Pick<
  typeof import('electron'),
  'app' | 'BrowserWindow' | 'dialog' | 'ipcMain' | 'Menu' | 'nativeTheme' | 'protocol' | 'safeStorage' | 'session' | 'shell'
>;

/** What the shell needs of the engine side (electron/app/services.ts `App`). */
export interface ShellApp {
  handlers: ContractHandlers;
  onEvent(listener: (e: CompareEvent) => void): () => void;
  close(): Promise<void>;
}

export interface ShellDeps {
  createApp(opts: { dataDir: string; keyVault: KeyVault }): ShellApp | Promise<ShellApp>;
  /** Absolute paths: the bundled preload and the built renderer folder. */
  preloadPath: string;
  rendererDir: string;
  dataDir: string;
  platform?: NodeJS.Platform;
  log?: (msg: string) => void;
}

/** better-sqlite3 compiled for Node's ABI cannot load in Electron: say what to run instead of a stack trace. */
export function startupErrorMessage(err: unknown): string {
  const msg = oneLine(err);
  return /NODE_MODULE_VERSION/.test(msg)
    ? `better-sqlite3 is compiled for another runtime's ABI. Run \`npm run rebuild:electron\` (npm start does this for you). (${msg})`
    : msg;
}

export interface ShellHandle {
  /** Resolves once the first window is created, or with null if another instance owns the lock. */
  ready: Promise<BrowserWindowType | null>;
}

export function startShell(electron: ShellElectron, deps: ShellDeps): ShellHandle {
  const { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, safeStorage, session, shell } = electron;
  const platform = deps.platform ?? process.platform;
  const log = deps.log ?? ((msg: string) => console.warn(msg));
  const openExternal = (url: string): Promise<void> => shell.openExternal(url);

  // Both must happen before 'ready': schemes are fixed at startup, and userData
  // decides where Chromium keeps its own state (one folder with the database, per data dir).
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.setPath('userData', deps.dataDir);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: Promise.resolve(null) };
  }
  // Belt and braces with `sandbox: true`: no renderer of this app can run unsandboxed.
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => installNavigationGuards(contents, openExternal, log));

  let engine: ShellApp | null = null;
  const createWindow = (): BrowserWindowType => {
    const win = new BrowserWindow(
      windowOptions({ preload: deps.preloadPath, backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1e1e' : '#ffffff' }),
    );
    win.once('ready-to-show', () => win.show());
    win.webContents.on('render-process-gone', (_e, details) => log(`[shell] renderer gone: ${details.reason}`));
    void win.loadURL(APP_ENTRY_URL);
    return win;
  };

  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit();
  });

  let closed = false;
  app.on('will-quit', (event) => {
    if (closed || !engine) return;
    // Let in-flight runs be marked and the database close cleanly before the process goes.
    event.preventDefault();
    const closing = engine;
    engine = null;
    closing
      .close()
      .catch((err: unknown) => log(`[shell] closing the engine failed: ${oneLine(err)}`))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  const ready = (async (): Promise<BrowserWindowType | null> => {
    await app.whenReady();
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_wc, permission, callback, details) => callback(isPermissionAllowed(permission, details.requestingUrl)));
    ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
      isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin),
    );
    ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCsp(details.responseHeaders) }));
    protocol.handle(APP_SCHEME, createAppProtocolHandler(deps.rendererDir));
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ platform, appName: app.getName(), packaged: app.isPackaged })));

    try {
      const keyVault = await createKeyVault(safeStorage, platform);
      if (keyVault.warning) log(`[shell] key storage (${keyVault.backend}): ${keyVault.warning}`);
      engine = await deps.createApp({ dataDir: deps.dataDir, keyVault });
    } catch (err) {
      const message = startupErrorMessage(err);
      log(`[shell] could not start: ${err instanceof Error ? (err.stack ?? message) : message}`);
      dialog.showErrorBox('Switchyard could not start', message);
      app.exit(1);
      return null;
    }

    registerContract(ipcMain, engine.handlers, isAppUrl, log);
    forwardCompareEvents(
      (listener) => engine?.onEvent(listener) ?? (() => undefined),
      () => BrowserWindow.getAllWindows().map((w) => w.webContents),
      COMPARE_EVENT_CHANNEL,
    );
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
    return createWindow();
  })();
  return { ready };
}

