/**
 * How an error echoes what the user gave: a short, one-line, quoted prefix, so a
 * 100,000-character target or a file of garbage never becomes a 300 KB error line.
 */

/**
 * Control characters, line and paragraph separators, and the bidirectional controls that
 * can make a terminal show text other than what is there: escaped, never printed.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * A user-given value, quoted and cut to `max` characters (whole code points).
 * @example quote('openai:gpt-4o') === '"openai:gpt-4o"'; quote('x'.repeat(100000)) === '"xxx…xxx…" (100000 chars)'
 */
export function quote(value: unknown, max = 60): string {
  const s = typeof value === 'string' ? value : String(value);
  const points = Array.from(s);
  const shown = points.slice(0, max).join('').replace(UNPRINTABLE, escapeChar).replace(/"/g, '\\"');
  return points.length > max ? `"${shown}…" (${points.length} chars)` : `"${shown}"`;
}

/** The longest error line printed or answered; anything longer is cut with a count of what was left out. */
export const MAX_ERROR_LINE = 400;

/** Any message as one printable line of bounded length: the last guard before stderr or an HTTP error body. */
export function boundedLine(message: string, max = MAX_ERROR_LINE): string {
  const one = message.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').replace(UNPRINTABLE, escapeChar).trim();
  const points = Array.from(one);
  return points.length > max ? `${points.slice(0, max).join('')}… (${points.length - max} more chars)` : one;
}
