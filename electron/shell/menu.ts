/**
 * The application menu: standard roles only, so every platform gets its
 * native shortcuts (copy/paste, undo, zoom, full screen, close, quit) and
 * nothing in the menu can navigate the window.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuInput {
  platform: NodeJS.Platform;
  appName: string;
  /** Unpackaged (development) runs get reload and developer tools; packaged ones do not advertise them. */
  packaged: boolean;
}

export function menuTemplate({ platform, appName, packaged }: MenuInput): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (!packaged) view.unshift({ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  return [
    ...(platform === 'darwin' ? [{ label: appName, role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
}
