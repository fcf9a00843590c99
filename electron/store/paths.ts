/**
 * The data directory shared by the CLI, the headless host and the desktop app:
 * SWITCHYARD_DATA_DIR if set, else the folder Electron's `app.getPath('userData')`
 * gives for an app named "Switchyard" on this OS.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Switchyard';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SWITCHYARD_DATA_DIR) return env.SWITCHYARD_DATA_DIR;
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}

export function databaseFile(dataDir: string): string {
  return join(dataDir, 'switchyard.db');
}
