/**
 * Which of a provider's keys an attempt uses. Starting keys go round-robin so
 * load spreads over the keys; a 429 or an auth failure moves to the next
 * untried key of the same provider before the router leaves the endpoint.
 */

/** The key index KeyResolver uses for a provider with no keys (a local Ollama, say). */
export const KEYLESS = -1;

export interface KeyRotationOptions {
  /**
   * The key index the provider's most recent attempt used (from the attempts
   * table), so a script calling `switchyard` in a loop rotates too instead of
   * every fresh process starting on key 0.
   */
  lastUsed?: (providerId: string) => number | null;
}

export class KeyRotation {
  // The cursor lives in memory: the attempts' key_index already persists what was used.
  private readonly cursors = new Map<string, number>();

  constructor(private readonly opts: KeyRotationOptions = {}) {}

  /**
   * The key to start a request with, advancing the provider's cursor.
   * @example const r = new KeyRotation(); r.start('openai', 3); r.start('openai', 3) // 0, then 1
   */
  start(providerId: string, keyCount: number): number {
    if (keyCount <= 0) return KEYLESS;
    let cursor = this.cursors.get(providerId);
    if (cursor === undefined) {
      const last = this.opts.lastUsed?.(providerId) ?? null;
      cursor = last === null || last < 0 ? 0 : last + 1;
    }
    const key = cursor % keyCount;
    this.cursors.set(providerId, key + 1);
    return key;
  }

  /**
   * The next key after `after` (wrapping) that has not been tried in this
   * request, or null when every key has been. Pure: does not move the cursor.
   * @example r.nextKey(1, new Set([1]), 3) // 2
   */
  nextKey(after: number, triedKeys: ReadonlySet<number>, keyCount: number): number | null {
    if (keyCount <= 0) return null;
    const from = after < 0 ? -1 : after % keyCount;
    for (let step = 1; step <= keyCount; step++) {
      const k = (from + step) % keyCount;
      if (!triedKeys.has(k)) return k;
    }
    return null;
  }
}
