/**
 * What the headless host checks before it serves anything: the Host header
 * (a DNS-rebinding page reaches 127.0.0.1 under a name of its own), the path of
 * a static file (read from the request line as sent, before any URL parser
 * has collapsed its dots), and file-system paths in error text.
 */
import { networkInterfaces } from 'node:os';
import { resolve, sep } from 'node:path';

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The Host header values this host answers to: the loopback names with its
 * port, the address it is bound to, and with `--allow-remote` on a wildcard
 * address every address of this machine's interfaces.
 * @example allowedHosts('127.0.0.1', 7420, false).has('localhost:7420') // true
 */
export function allowedHosts(bound: string, port: number, allowRemote: boolean): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  const bracket = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);
  if (!WILDCARDS.has(bound)) names.add(bracket(bound.toLowerCase()));
  else if (allowRemote) {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(bracket(a.address.replace(/%.*$/, '').toLowerCase()));
  }
  const out = new Set<string>();
  for (const n of names) {
    out.add(`${n}:${port}`);
    // A browser leaves the default port out of the Host header.
    if (port === 80) out.add(n);
  }
  return out;
}

/** The one line a request with a foreign Host header gets (421). */
export function wrongHostMessage(given: string | undefined, port: number): string {
  const shown = given === undefined ? 'no Host header' : `Host "${given.slice(0, 100)}"`;
  return `misdirected request (${shown}): this host answers only to 127.0.0.1:${port}, localhost:${port} or [::1]:${port}; open the URL printed by switchyard serve`;
}

/**
 * The file a GET for `target` (the request target exactly as sent) may read
 * inside `rootDir`, or null when the path tries to leave it: dot segments raw
 * or percent-encoded, encoded slashes or backslashes around them, an absolute
 * or drive path, a NUL. The containment check at the end catches whatever
 * this list misses.
 * @example staticFile('/srv/ui', '/assets/app.js') // '/srv/ui/assets/app.js'
 * @example staticFile('/srv/ui', '/..%2fsecret.txt') // null
 */
export function staticFile(rootDir: string, target: string): string | null {
  const rawPath = target.split(/[?#]/, 1)[0]!;
  // Not origin-form ("http://…", "*"), or "//host/…" that a URL parser would read as another host.
  if (!rawPath.startsWith('/') || /^[/\\]{2}/.test(rawPath)) return null;
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const segments = path.split(/[/\\]+/).filter((s) => s !== '');
  // A ':' is a drive ("C:") on Windows and an alternate data stream after a name: no UI file has one.
  if (segments.some((s) => s === '.' || s === '..' || s.includes(':'))) return null;
  const file = resolve(rootDir, ...segments);
  return file === rootDir || file.startsWith(rootDir + sep) ? file : null;
}

// An absolute path where a message has a word: "/home/me/…", "~/…", "C:\…", "\\server\…", "file:///…".
const PATHS = /(^|[\s'"`(=,[])(?:file:\/\/\S+|~?\/(?:[^\s'"`)\],;/]+\/?)+|[A-Za-z]:[\\/][^\s'"`)\],;]*|\\\\[^\s'"`)\],;]+)/g;

/**
 * Error text with every file-system path replaced, for answers sent over
 * HTTP: a handler's error ("ENOENT: no such file or directory, open '/home/…'")
 * must not tell the caller where things live.
 * @example scrubPaths("ENOENT: open '/home/me/x.json'") // "ENOENT: open '<path>'"
 */
export function scrubPaths(text: string): string {
  return text.replace(PATHS, '$1<path>');
}
