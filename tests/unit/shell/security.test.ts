import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  META_CONTENT_SECURITY_POLICY,
  installNavigationGuards,
  isAppUrl,
  isPermissionAllowed,
  isSafeExternalUrl,
  withCsp,
} from '../../../electron/shell/security';
import { FakeWebContents, preventable } from './fakes';

function guarded() {
  const contents = new FakeWebContents();
  const openExternal = vi.fn(async (_url: string) => undefined);
  const log = vi.fn();
  installNavigationGuards(contents, openExternal, log);
  return { contents, openExternal, log };
}

describe('external links', () => {
  it.each(['https://openai.com/pricing', 'http://localhost:11434/'])('open %s', (url) => expect(isSafeExternalUrl(url)).toBe(true));
  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'mailto:a@b.c',
    'smb://host/share',
    'ms-settings:privacy',
    'app://switchyard/index.html',
    'https://user:pass@example.com/',
    'https://',
    'not a url',
    '',
  ])('never open %s', (url) => expect(isSafeExternalUrl(url)).toBe(false));
});

describe('navigation guards', () => {
  it('deny every navigation, sending web links to the system browser', () => {
    const { contents, openExternal } = guarded();
    const toWeb = preventable();
    contents.emit('will-navigate', toWeb, 'https://example.com/docs');
    expect(toWeb.defaultPrevented()).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://example.com/docs');

    const toFile = preventable();
    contents.emit('will-navigate', toFile, 'file:///etc/passwd');
    const toSelf = preventable();
    contents.emit('will-navigate', toSelf, 'app://switchyard/other.html');
    expect(toFile.defaultPrevented()).toBe(true);
    expect(toSelf.defaultPrevented()).toBe(true);
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('deny every window.open, opening only http(s) outside', () => {
    const { contents, openExternal, log } = guarded();
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'app://switchyard/index.html' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.com/']]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('only http(s) links open outside the app'));
  });

  it('deny redirects and webviews', () => {
    const { contents } = guarded();
    const redirect = preventable();
    contents.emit('will-redirect', redirect, 'https://example.com/');
    const webview = preventable();
    contents.emit('will-attach-webview', webview);
    expect(redirect.defaultPrevented()).toBe(true);
    expect(webview.defaultPrevented()).toBe(true);
  });

  it('survive the system browser failing to open', async () => {
    const contents = new FakeWebContents();
    const log = vi.fn();
    installNavigationGuards(contents, async () => Promise.reject(new Error('no handler for https')), log);
    contents.windowOpenHandler!({ url: 'https://example.com/' });
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith(expect.stringContaining('no handler for https')));
  });
});

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen', 'hid', 'serial'])('deny %s', (p) =>
    expect(isPermissionAllowed(p, 'app://switchyard/index.html')).toBe(false),
  );
  it('allow only clipboard writes, only from our page', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://switchyard/index.html')).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined)).toBe(false);
  });
});

describe('content security policy', () => {
  it('matches the renderer’s meta policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('is the one renderer/index.html declares (less frame-ancestors, which a meta tag cannot carry), so they cannot drift apart', () => {
    const html = readFileSync(fileURLToPath(new URL('../../../renderer/index.html', import.meta.url)), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
    expect(CONTENT_SECURITY_POLICY).toBe(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
  });

  it('replaces whatever policy a response brought, keeping other headers', () => {
    expect(withCsp({ 'content-security-policy': ["default-src *"], 'Content-Type': 'text/html' })).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('app origin', () => {
  it('is app://switchyard and nothing that merely looks like it', () => {
    expect(isAppUrl('app://switchyard/index.html')).toBe(true);
    expect(isAppUrl('app://switchyard.evil/index.html')).toBe(false);
    expect(isAppUrl('app://user@switchyard/index.html')).toBe(false);
    expect(isAppUrl('https://switchyard/index.html')).toBe(false);
  });
});
