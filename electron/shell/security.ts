/**
 * The lockdown every webContents gets, whatever the mode (tests included):
 * no navigation, no new windows, no webviews, no permissions beyond
 * clipboard writes from our own page, and external links only to the
 * system browser, only for http(s).
 */

/**
 * Sent as a header on every response. renderer/index.html carries the same policy
 * in a meta tag (so it holds even if a header is lost) minus frame-ancestors,
 * which browsers ignore in a meta tag, with a console error on every load.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The part of the policy a meta tag can carry (renderer/index.html). */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((d) => !d.startsWith('frame-ancestors'))
  .join('; ');

/** The privileged scheme the renderer is served from (see app-protocol.ts for why not file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'switchyard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Only plain web links leave the app; `file:`, `javascript:`, custom handlers (`ms-settings:`…) never do. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Copy buttons use `navigator.clipboard.writeText`; nothing else (camera, notifications, geolocation…) is granted. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl);
}

/** Adds the CSP to a response's headers, replacing any the response brought (header names are case-insensitive). */
export function withCsp(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The slice of `WebContents` the guards need. */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export type OpenExternal = (url: string) => Promise<void>;

export function openExternalSafely(url: string, openExternal: OpenExternal, log: (msg: string) => void = console.warn): boolean {
  if (!isSafeExternalUrl(url)) {
    log(`[shell] blocked opening ${JSON.stringify(url.slice(0, 200))}: only http(s) links open outside the app`);
    return false;
  }
  openExternal(url).catch((err: unknown) => log(`[shell] could not open ${url}: ${err instanceof Error ? err.message : String(err)}`));
  return true;
}

/**
 * The page never navigates (it is a single-page app: in-app routes change
 * history, which fires no `will-navigate`) and never opens windows; a link
 * to the web goes to the system browser instead.
 */
export function installNavigationGuards(contents: GuardedContents, openExternal: OpenExternal, log?: (msg: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternalSafely(url, openExternal, log);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url, openExternal, log);
    return { action: 'deny' };
  });
}
