// Where Electron can run: a downloaded binary and a display. Read from files only:
// `require('electron')` would start a download when the binary is missing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Absolute path of the Electron executable, or null when it was never downloaded. */
export function electronBinary(repo, env = process.env) {
  const pkg = join(repo, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const bin = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(bin) ? bin : null;
  }
  if (!relative) return null;
  const bin = join(pkg, 'dist', relative);
  return existsSync(bin) ? bin : null;
}

export function hasDisplay(platform = process.platform, env = process.env) {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Null when the desktop app can start here, else the reason it cannot, as one clause. */
export function desktopUnavailableReason(repo, platform = process.platform, env = process.env) {
  if (!electronBinary(repo, env)) return 'the Electron binary is not installed (node_modules/electron/dist is missing)';
  if (!hasDisplay(platform, env)) return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  return null;
}

/** Electron's NODE_MODULE_VERSION, from the package's abi_version file (no binary needed). */
export function electronAbi(repo) {
  const file = join(repo, 'node_modules', 'electron', 'abi_version');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : null;
}
