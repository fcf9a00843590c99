/**
 * The Electron main process: the shell only. The engine and store are the
 * same ones the CLI and headless host use (electron/app/services.ts); this
 * file supplies Electron, the bundle's paths and the data directory.
 */
import * as electron from 'electron';
import { join } from 'node:path';
import { createApp } from './app/services';
import { startShell } from './shell/run';
import { defaultDataDir } from './store/paths';

// __dirname is dist/electron once bundled (scripts/build-node.mjs), inside app.asar when packaged.
startShell(electron, {
  createApp: (opts) => createApp({ ...opts, transport: 'ipc' }),
  preloadPath: join(__dirname, 'preload.cjs'),
  rendererDir: join(__dirname, '..', 'renderer'),
  dataDir: defaultDataDir(),
}).ready.catch((err: unknown) => {
  console.error('[shell] startup failed', err);
  electron.app.exit(1);
});
