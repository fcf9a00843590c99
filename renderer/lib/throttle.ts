/**
 * How often a streaming reply's markdown is re-parsed. Parsing is linear in the
 * text, so a long reply is parsed less often: the total work per column stays
 * roughly flat instead of growing quadratically. Between parses the new tail is
 * shown as plain text, so nothing the model sent is hidden.
 */
export function parseIntervalMs(length: number): number {
  if (length < 2_000) return 50;
  if (length < 10_000) return 150;
  return 400;
}

/** Milliseconds to wait before the next parse; 0 means parse now. */
export function nextParseDelay(length: number, parsedLength: number, lastParseAt: number, now: number): number {
  if (length === parsedLength) return Infinity;
  // Shrunk text means a new attempt restarted the answer: show it at once.
  if (length < parsedLength) return 0;
  return Math.max(0, lastParseAt + parseIntervalMs(length) - now);
}
