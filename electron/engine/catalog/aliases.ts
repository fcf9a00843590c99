/**
 * The same model under two ids in the source: models.dev lists Anthropic's
 * own `claude-sonnet-4-6` and resellers' `claude-sonnet-4.6`. Ids that differ
 * only in `-` or `.` between two digits of a version are one model; one id is
 * kept and the others become its aliases, resolvable and searchable.
 */

/** `anthropic/claude-sonnet-4-6` and `anthropic/claude-sonnet-4.6` share `anthropic/claude-sonnet-4.6`. */
export const spellingKey = (id: string): string => id.toLowerCase().replace(/(\d)[.-](?=\d)/g, '$1.');

export interface SpellingFacts {
  /** Endpoints listed under the id, and which providers serve them. */
  providersOf(id: string): readonly string[];
  hasRecord(id: string): boolean;
}

/**
 * Which id stands for each group: the one the lab itself serves (`anthropic/…` at
 * provider `anthropic`), else the one with more endpoints, else the one with a model
 * record, else the first in order. Returns alias -> kept id, for the aliases only.
 * @example spellingAliases(['anthropic/claude-sonnet-4.6', 'anthropic/claude-sonnet-4-6'], facts) // Map { 'anthropic/claude-sonnet-4.6' => 'anthropic/claude-sonnet-4-6' }
 */
export function spellingAliases(ids: Iterable<string>, facts: SpellingFacts): Map<string, string> {
  const groups = new Map<string, string[]>();
  for (const id of new Set(ids)) {
    const k = spellingKey(id);
    const g = groups.get(k);
    if (g) g.push(id);
    else groups.set(k, [id]);
  }
  const out = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const score = (id: string): [number, number, number] => {
      const providers = facts.providersOf(id);
      const lab = id.split('/')[0] ?? '';
      return [providers.includes(lab) ? 1 : 0, providers.length, facts.hasRecord(id) ? 1 : 0];
    };
    const kept = [...group].sort((a, b) => {
      const [x, y] = [score(a), score(b)];
      return y[0] - x[0] || y[1] - x[1] || y[2] - x[2] || (a < b ? -1 : a > b ? 1 : 0);
    })[0]!;
    for (const id of group) if (id !== kept) out.set(id, kept);
  }
  return out;
}
