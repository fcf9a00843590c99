import { describe, expect, it } from 'vitest';
import { lockedWebPreferences, windowOptions } from '../../../electron/shell/window-options';

describe('window options', () => {
  it('lock the renderer down: sandbox, isolation, no Node, web security, no webviews', () => {
    const { webPreferences } = windowOptions({ preload: '/app/dist/electron/preload.cjs' });
    expect(webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('have no variant: only the preload path and cosmetics change with the input', () => {
    const a = windowOptions({ preload: '/a/preload.cjs' });
    const b = windowOptions({ preload: '/b/preload.cjs', title: 'Test', backgroundColor: '#fff' });
    expect({ ...a.webPreferences, preload: 'x' }).toEqual({ ...b.webPreferences, preload: 'x' });
    expect(lockedWebPreferences('/a/preload.cjs')).toEqual(a.webPreferences);
  });

  it('need a preload path', () => {
    expect(() => windowOptions({ preload: '' })).toThrow('preload');
  });

  it('open hidden until first paint, big enough for the compare view', () => {
    const o = windowOptions({ preload: '/p.cjs' });
    expect(o.show).toBe(false);
    expect(o.minWidth).toBeLessThanOrEqual(1280);
    expect(o.minHeight).toBeLessThanOrEqual(800);
  });
});
