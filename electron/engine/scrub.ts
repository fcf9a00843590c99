/**
 * The one scrubber for text that came from an upstream (error bodies, status
 * lines, in-band error events, stream fields). Some proxies and self-hosted
 * servers echo the credential they were sent ("401 Incorrect API key provided:
 * sk-…"); whatever they say, the key must not reach SQLite, the CLI, the host
 * or the renderer. Applied where an adapter turns upstream text into an
 * AdapterError, so everything downstream only ever sees scrubbed text.
 *
 * Two nets: the exact values of every key in use (and their URL-encoded,
 * base64 and JSON-escaped spellings), and the shapes keys and credentials are
 * recognisable by, for keys this process never resolved.
 */

/** Longest scrubbed text kept: an error line is for people, not a dump. */
export const MAX_SCRUBBED = 500;
/** Shorter values would redact ordinary words; a key this short is not worth hiding from its own last four. */
const MIN_SECRET = 8;
/** A cut-off key at the end of capped text still leaks its start: prefixes this long are redacted too. */
const MIN_PREFIX = 6;

/** The marker a key is replaced with; the last four only for keys long enough that four say little. */
export function keyMarker(value: string): string {
  return value.length >= 16 ? `[redacted key …${value.slice(-4)}]` : '[redacted key]';
}

/** The spellings of one key an upstream might echo: as sent, URL-encoded, base64 (both alphabets), JSON-escaped. */
export function secretVariants(value: string): string[] {
  const b64 = Buffer.from(value, 'utf8').toString('base64');
  const all = [value, encodeURIComponent(value), b64, b64.replace(/=+$/, ''), Buffer.from(value, 'utf8').toString('base64url'), JSON.stringify(value).slice(1, -1)];
  return [...new Set(all)].filter((v) => v.length >= MIN_SECRET);
}

/** Recognisable key shapes, for keys this process never resolved (another provider's, a proxy's). */
const KEY_SHAPES: RegExp[] = [
  // OpenAI (sk-, sk-proj-, sk-svcacct-), Anthropic (sk-ant-), OpenRouter (sk-or-v1-), DeepSeek and most compatible servers.
  /(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{16,}/g,
  /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{30,}/g,
  /(?<![A-Za-z0-9])(?:gsk_|xai-|hf_|pplx-|r8_|nvapi-|csk-|fw_)[A-Za-z0-9_-]{20,}/g,
  // JWTs (some gateways' tokens).
  /(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

/** Credentials by position rather than shape: echoed headers, URL userinfo, key query parameters. */
const CREDENTIAL_SPOTS: Array<[RegExp, string]> = [
  // A digit in it, so that prose ("Bearer token required") survives.
  [/\b(Bearer|Basic)(\s+)(?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,}/gi, '$1$2[redacted]'],
  [/\b(x-api-key|x-goog-api-key|api-key|proxy-authorization)(["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/=-]{8,}/gi, '$1$2[redacted]'],
  [/([?&](?:key|api_key|apikey|access_token|token)=)[^&\s#"'<>]+/gi, '$1[redacted]'],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, '$1[redacted]@'],
];

type Variant = [spelling: string, marker: string];

/** Every spelling of every secret with its marker, longest first, so a key that contains another is replaced whole. */
function variantsOf(secrets: Iterable<string>): Variant[] {
  const out: Variant[] = [];
  for (const s of secrets) for (const v of secretVariants(s)) out.push([v, keyMarker(s)]);
  return out.sort((a, b) => b[0].length - a[0].length);
}

const cap = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Removes the given secrets and anything shaped like a credential, then caps the length.
 * Pure and idempotent: scrubbing scrubbed text changes nothing.
 * @example scrubText('401: Incorrect API key provided: sk-live-0123456789abcdef', ['sk-live-0123456789abcdef']) // '401: Incorrect API key provided: [redacted key …cdef]'
 */
export function scrubText(text: string, secrets: Iterable<string> = [], max = MAX_SCRUBBED): string {
  // Too short to hold even the start of a key ("stop", "length"): the common case of a finish reason.
  if (text.length < MIN_PREFIX) return cap(text, max);
  return scrubWith(text, variantsOf(secrets), max);
}

function scrubWith(text: string, variants: readonly Variant[], max: number): string {
  let out = text;
  for (const [v, marker] of variants) if (out.includes(v)) out = out.split(v).join(marker);
  for (const [v, marker] of variants) out = redactCutOffPrefix(out, v, marker);
  for (const re of KEY_SHAPES) out = out.replace(re, (m) => keyMarker(m));
  for (const [re, replacement] of CREDENTIAL_SPOTS) out = out.replace(re, replacement);
  return cap(out, max);
}

/** Text capped upstream of here ("…sk-live-01234…") ends in the start of a key: redact that start. */
function redactCutOffPrefix(text: string, secret: string, marker: string): string {
  const body = text.endsWith('…') ? text.slice(0, -1) : text;
  for (let k = Math.min(secret.length - 1, body.length); k >= MIN_PREFIX; k--) {
    if (body.endsWith(secret.slice(0, k))) return `${body.slice(0, body.length - k)}${marker}${body === text ? '' : '…'}`;
  }
  return text;
}

/**
 * The keys this process has resolved for a request. Held in memory only (the
 * environment and the keychain hold them anyway), so that every scrub can
 * remove them even where the key at hand is not known (a CLI error line).
 */
const inUse = new Set<string>();
/** Their spellings, worked out once per new key rather than on every scrub. */
let inUseVariants: Variant[] = [];

/** Called by the key resolver for every key it hands out, and for a key typed into the app. */
export function registerSecret(value: string | null | undefined): void {
  if (!value || value.length < MIN_SECRET || inUse.has(value)) return;
  inUse.add(value);
  inUseVariants = variantsOf(inUse);
}

/** scrubText with every key in use, plus `extra` (the credentials of the request at hand). */
export function scrub(text: string, extra: Iterable<string> = [], max = MAX_SCRUBBED): string {
  if (text.length < MIN_PREFIX) return cap(text, max);
  const more = [...extra].filter((e) => !inUse.has(e));
  return scrubWith(text, more.length ? variantsOf([...inUse, ...more]) : inUseVariants, max);
}

/** The same error with its upstream text scrubbed: `message` and `providerMessage`. */
export function scrubError<E extends { message: string; providerMessage: string | null }>(error: E, extra: Iterable<string> = []): E {
  const secrets = [...extra];
  return { ...error, message: scrub(error.message, secrets), providerMessage: error.providerMessage === null ? null : scrub(error.providerMessage, secrets) };
}
