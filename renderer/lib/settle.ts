/**
 * Where a streaming markdown text can be cut so the part before never needs
 * parsing again: at the start of a block that follows a blank line, outside
 * any code fence, and not indented (an indented line may continue a list item
 * or be code, which depends on what came before).
 *
 * Scans only from `from`, which must itself be such a boundary (or 0), so the
 * cost per call is the unsettled tail, not the whole reply. With `limit`, stops
 * at the first boundary at least that far from `from`, so a reply that has run
 * far ahead of its parses (an off-screen column shown again, a finished reply)
 * is settled in slices of about `limit` characters, one small parse each.
 */
export function settledEnd(text: string, from: number, limit = Infinity): number {
  let fence: { ch: string; len: number } | null = null;
  let prevBlank = false;
  let end = from;
  let i = from;
  while (i < text.length) {
    const nl = text.indexOf('\n', i);
    const line = nl < 0 ? text.slice(i) : text.slice(i, nl);
    const first = text[i];
    if (!fence && prevBlank && i > from && first !== undefined && first !== ' ' && first !== '\t' && first !== '\n' && first !== '\r') {
      end = i;
      if (end - from >= limit) break;
    }
    if (nl < 0) break; // the last line is still arriving: it cannot open or close a fence yet
    const marker = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (marker) {
      const run = marker[1]!;
      if (!fence) fence = { ch: run[0]!, len: run.length };
      else if (run[0] === fence.ch && run.length >= fence.len && !marker[2]!.trim()) fence = null;
    }
    prevBlank = !fence && line.trim() === '';
    i = nl + 1;
  }
  return end;
}

/** Reference-style link definitions resolve across the whole text, so chunked output would miss them. */
export function hasLinkDefinitions(text: string): boolean {
  return /^ {0,3}\[[^\]\n]+\]:\s*\S/m.test(text);
}
