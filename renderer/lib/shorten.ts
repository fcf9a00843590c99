/**
 * Shortens a target's name from the middle, keeping what says what it is:
 * the lab or provider before the first "/" or ":", and the last "-" part
 * (a date, a version, a size) with any "@provider" pin after it.
 */

/** The ends that must survive: `[head, tail]` of `anthropic/claude-sonnet-4-20250514@bedrock` are `anthropic/` and `-20250514@bedrock`. */
function ends(name: string): { head: string; middle: string; tail: string } {
  const at = name.lastIndexOf('@');
  const pin = at > 0 ? name.slice(at) : '';
  const body = at > 0 ? name.slice(0, at) : name;
  const sep = body.search(/[/:]/);
  const headEnd = sep >= 0 ? sep + 1 : 0;
  const dash = body.lastIndexOf('-');
  const tailStart = dash > headEnd ? dash : body.length;
  return { head: body.slice(0, headEnd), middle: body.slice(headEnd, tailStart), tail: body.slice(tailStart) + pin };
}

/** The longest start of `s` within `budget`, cut after a "-" when that keeps at least half of it. */
function startOf(s: string, budget: number): string {
  const cut = s.slice(0, budget);
  const dash = cut.lastIndexOf('-');
  return dash + 1 >= budget / 2 && dash >= 0 && cut.length < s.length ? cut.slice(0, dash + 1) : cut;
}

/**
 * `name` within `max` characters, or as near as its ends allow; unchanged when it fits.
 * @example shortenMiddle('anthropic/claude-sonnet-4-20250514@bedrock', 36) // 'anthropic/claude-…-20250514@bedrock'
 */
export function shortenMiddle(name: string, max: number): string {
  if (name.length <= max) return name;
  const { head, middle, tail } = ends(name);
  const budget = max - 1 - head.length - tail.length;
  if (budget <= 0) {
    const bare = `${head}…${tail}`;
    return bare.length < name.length ? bare : name;
  }
  const front = startOf(middle, budget);
  // What is left goes to the end's side, from a "-" on, so no part of a word dangles after the "…".
  const from = middle.indexOf('-', middle.length - (budget - front.length));
  const back = budget > front.length && from >= front.length ? middle.slice(from) : '';
  return `${head}${front}…${back}${tail}`;
}
