/**
 * Delay before retrying the same endpoint. Only the router waits: provider
 * adapters never retry on their own.
 */
import { ExponentialBackoff, noJitterGenerator, type GeneratorFn, type IBackoff } from 'cockatiel';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** A Retry-After longer than this is not worth blocking a column for; the runner may fail over instead. */
  retryAfterCapMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 8_000, retryAfterCapMs: 20_000 };

// Beyond this the exponential term is pinned at maxMs anyway; bounding it keeps the walk below O(attempt).
const MAX_STEPS = 32;

/**
 * "Equal jitter" on cockatiel's exponential curve: a delay in [d/2, d). Cockatiel's
 * own halfJitterGenerator is the same formula but reads Math.random directly;
 * this one takes the random source so tests and replays are deterministic.
 */
function equalJitter(random: () => number): GeneratorFn<number> {
  return (state, options) => {
    const [delay, next] = noJitterGenerator(state, options);
    return [Math.floor((delay + random() * delay) / 2), next];
  };
}

/**
 * @param attemptNumber 1 for the first retry, 2 for the second…
 * @example retryDelayMs(1, 3_000) // 3000: the provider's Retry-After wins
 * @example retryDelayMs(3, null, {}, () => 0.5) // 750: 250·2² = 1000, jittered into [500, 1000)
 */
export function retryDelayMs(
  attemptNumber: number,
  retryAfterMs: number | null,
  opts: Partial<BackoffOptions> = {},
  random: () => number = Math.random,
): number {
  const o = { ...DEFAULT_BACKOFF, ...opts };
  if (retryAfterMs !== null && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, o.retryAfterCapMs);
  }
  const factory = new ExponentialBackoff({ generator: equalJitter(random), initialDelay: o.initialMs, maxDelay: o.maxMs });
  let b: IBackoff<unknown> = factory.next();
  const steps = Math.min(Math.max(1, Math.floor(attemptNumber)), MAX_STEPS);
  for (let i = 1; i < steps; i++) b = b.next(undefined);
  return b.duration;
}
