/**
 * Serves the built renderer at app://switchyard/ instead of file://.
 *
 * Why a custom scheme: a file:// page has an opaque origin, so the CSP's
 * 'self' and the IPC sender check would have to reason about file paths, and
 * file:// pages get extra file-system reach in Chromium. A privileged
 * standard scheme gives the page a real origin, confines it to dist/renderer,
 * and lets us attach the CSP header to every response ourselves (webRequest
 * hooks do not see custom-protocol responses).
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security';

/**
 * For `protocol.registerSchemesAsPrivileged`, which must run before `app` is ready.
 * corsEnabled: Vite's `<script type="module" crossorigin>` is always fetched in CORS mode,
 * which Chromium refuses for schemes outside its CORS list. It opens nothing to other
 * origins: responses carry no Access-Control-Allow-Origin.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
} as const;

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Maps an app:// URL to a file under `root`, or null when the URL is foreign
 * or escapes the root. Extensionless paths are in-app routes and get the
 * entry page, so a reload on a route still shows the app.
 */
export function resolveAppFile(url: string, root: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const base = resolve(root);
  const file = resolve(base, `.${path.startsWith('/') ? path : `/${path}`}`);
  if (file !== base && !file.startsWith(base + sep)) return null;
  if (file === base || extname(file) === '') return resolve(base, 'index.html');
  return file;
}

export function mimeType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

/** The handler for `protocol.handle(APP_SCHEME, …)`. */
export function createAppProtocolHandler(root: string, read: (file: string) => Promise<Uint8Array> = readFile) {
  return async (request: { url: string; method: string }): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405, headers: SECURITY_HEADERS });
    const file = resolveAppFile(request.url, root);
    if (!file) return new Response('not found', { status: 404, headers: SECURITY_HEADERS });
    try {
      const body = await read(file);
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': mimeType(file) } });
    } catch {
      return new Response('not found', { status: 404, headers: SECURITY_HEADERS });
    }
  };
}
