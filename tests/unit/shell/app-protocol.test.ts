import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler, mimeType, resolveAppFile } from '../../../electron/shell/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../electron/shell/security';

const root = resolve('/srv/switchyard/dist/renderer');

describe('resolveAppFile', () => {
  it('maps app:// paths into the renderer folder', () => {
    expect(resolveAppFile('app://switchyard/index.html', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('app://switchyard/assets/index-abc.js?v=1#x', root)).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveAppFile('app://switchyard/assets/a%20b.css', root)).toBe(join(root, 'assets', 'a b.css'));
  });

  it('serves the entry page for the root and for in-app routes', () => {
    expect(resolveAppFile('app://switchyard/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('app://switchyard/history/run-1', root)).toBe(join(root, 'index.html'));
  });

  it.each([
    'app://switchyard/..%2F..%2Fetc%2Fpasswd.txt',
    'app://switchyard/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.json',
    'app://switchyard/a%00.js',
    'app://switchyard/%E0%A4%A',
    'app://elsewhere/index.html',
    'file:///srv/switchyard/dist/renderer/index.html',
    'https://switchyard/index.html',
  ])('refuses %s', (url) => expect(resolveAppFile(url, root)).toBeNull());

  it.each(['app://switchyard/../../etc/passwd.txt', 'app://switchyard/%2e%2e/%2e%2e/etc/passwd.txt'])(
    'keeps %s inside the root (the URL parser folds those dot segments)',
    (url) => expect(resolveAppFile(url, root)).toBe(join(root, 'etc', 'passwd.txt')),
  );
});

describe('app protocol handler', () => {
  it('answers with the file, its type and the CSP header', async () => {
    const read = vi.fn(async (_file: string) => new TextEncoder().encode('<!doctype html>'));
    const res = await createAppProtocolHandler(root, read)({ url: 'app://switchyard/index.html', method: 'GET' });
    expect(res.status).toBe(200);
    expect(read).toHaveBeenCalledWith(join(root, 'index.html'));
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('<!doctype html>');
  });

  it('answers 404, still with the CSP, for escapes and missing files', async () => {
    const handler = createAppProtocolHandler(root, async () => Promise.reject(new Error('ENOENT')));
    const escaped = await handler({ url: 'app://switchyard/..%2F..%2Fetc%2Fpasswd.txt', method: 'GET' });
    const missing = await handler({ url: 'app://switchyard/nope.js', method: 'GET' });
    expect([escaped.status, missing.status]).toEqual([404, 404]);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers 405 to anything but GET and HEAD', async () => {
    const res = await createAppProtocolHandler(root, async () => new Uint8Array())({ url: 'app://switchyard/index.html', method: 'POST' });
    expect(res.status).toBe(405);
  });

  it('knows the types Vite emits', () => {
    expect(mimeType('a.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('a.CSS')).toBe('text/css; charset=utf-8');
    expect(mimeType('a.woff2')).toBe('font/woff2');
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
  });

  it('registers app:// as a standard, secure scheme so the page has a real origin', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
  });
});
