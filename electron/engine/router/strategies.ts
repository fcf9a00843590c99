/**
 * Ranking of eligible endpoints: the first is tried first, the rest are the
 * fallback chain. Runs once per column, so it precomputes one number per
 * endpoint and sorts indices instead of recomputing inside the comparator.
 */
import type { Endpoint, Price, RouteStrategy } from '../../../shared/domain';
import type { EndpointHealth } from './health';

/** Above this recent error rate an endpoint is "erroring": out of balanced's draw and behind the healthy ones. */
export const ERROR_RATE_THRESHOLD = 0.2;
// Free endpoints (a local Ollama at $0) get a large but finite weight, so the maths stays finite.
const PRICE_FLOOR_PER_M = 0.01;
// Output tokens dominate a chat reply's cost; OpenRouter-style sorting weights them more.
const OUTPUT_WEIGHT = 3;

export interface RankOptions {
  /** Provider ids to try first, in this order (strategy `order`). */
  order: readonly string[];
  /** Source of [0, 1) for balanced's draw; seed it for reproducible tests. */
  random: () => number;
}

/**
 * USD per million tokens, input and output weighted 1:3; null when unknown.
 * @example blendedPrice({ inputPerM: 1, outputPerM: 5, ... }) // 4
 */
export function blendedPrice(price: Price | null): number | null {
  if (price === null) return null;
  return (price.inputPerM + OUTPUT_WEIGHT * price.outputPerM) / (1 + OUTPUT_WEIGHT);
}

/** Sorts indices by `primary`, then `secondary`, then given position (stable by construction). */
function sortIndices(n: number, primary: Float64Array, secondary: Float64Array): number[] {
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => primary[a]! - primary[b]! || secondary[a]! - secondary[b]! || a - b);
  return idx;
}

// Infinity - Infinity is NaN, which a comparator treats as "equal": unknowns tie, then fall to the next key.
function priceKeys(eligible: readonly Endpoint[]): Float64Array {
  const out = new Float64Array(eligible.length);
  for (let i = 0; i < eligible.length; i++) out[i] = blendedPrice(eligible[i]!.price) ?? Infinity;
  return out;
}

function pick(eligible: readonly Endpoint[], idx: readonly number[]): Endpoint[] {
  const out = new Array<Endpoint>(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = eligible[idx[i]!]!;
  return out;
}

/**
 * Balanced, in the spirit of OpenRouter's default: among endpoints that are not
 * erroring, draw the first choice with weight ∝ 1/price² (discounted by any small
 * error rate); the rest follow by price, then the erroring ones ordered by how
 * much they err. Unknown prices weigh like the dearest known price: never
 * preferred on cost, never starved either.
 */
function balanced(eligible: readonly Endpoint[], health: ReadonlyMap<string, EndpointHealth>, random: () => number): Endpoint[] {
  const n = eligible.length;
  const price = priceKeys(eligible);
  const errorRank = new Float64Array(n);
  const weight = new Float64Array(n);
  let dearest = 0;
  for (let i = 0; i < n; i++) if (price[i]! !== Infinity && price[i]! > dearest) dearest = price[i]!;
  const fallbackPrice = Math.max(dearest, PRICE_FLOOR_PER_M);
  let total = 0;
  let totalAny = 0;
  for (let i = 0; i < n; i++) {
    const err = health.get(eligible[i]!.id)?.errorRate ?? 0;
    const p = Math.max(price[i]! === Infinity ? fallbackPrice : price[i]!, PRICE_FLOOR_PER_M);
    const healthy = err <= ERROR_RATE_THRESHOLD;
    errorRank[i] = healthy ? 0 : err;
    const w = (1 / (p * p)) * Math.max(1 - err, 0.05) ** 2;
    weight[i] = healthy ? w : -w; // sign marks "outside the draw" without a second array
    if (healthy) total += w;
    totalAny += w;
  }
  // Every endpoint erroring: still draw (among all), weighted by how rarely each fails.
  const drawAll = total === 0;
  const sum = drawAll ? totalAny : total;
  let target = random() * sum;
  let first = -1;
  for (let i = 0; i < n; i++) {
    const w = weight[i]!;
    if (w < 0 && !drawAll) continue;
    const a = Math.abs(w);
    first = i;
    if (target < a) break;
    target -= a;
  }
  const idx = sortIndices(n, errorRank, price);
  if (idx[0] !== first) {
    idx.splice(idx.indexOf(first), 1);
    idx.unshift(first);
  }
  return pick(eligible, idx);
}

/**
 * Orders eligible endpoints for one request. Pure and deterministic given `random`.
 * @example rankEndpoints(eps, 'price', new Map(), { order: [], random: Math.random })[0] // the cheapest
 */
export function rankEndpoints(
  eligible: Endpoint[],
  strategy: RouteStrategy,
  health: ReadonlyMap<string, EndpointHealth>,
  opts: RankOptions,
): Endpoint[] {
  const n = eligible.length;
  if (n <= 1) return eligible.slice();
  switch (strategy) {
    case 'order': {
      const pos = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const at = opts.order.indexOf(eligible[i]!.providerId);
        pos[i] = at < 0 ? Infinity : at;
      }
      return pick(eligible, sortIndices(n, pos, new Float64Array(n)));
    }
    case 'price':
      return pick(eligible, sortIndices(n, priceKeys(eligible), new Float64Array(n)));
    case 'latency':
    case 'throughput': {
      const key = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const h = health.get(eligible[i]!.id);
        const v = strategy === 'latency' ? h?.ttftP50Ms : h?.tokensPerSecond;
        // No data sorts after every endpoint with data, then by price.
        key[i] = v === null || v === undefined ? Infinity : strategy === 'latency' ? v : -v;
      }
      return pick(eligible, sortIndices(n, key, priceKeys(eligible)));
    }
    case 'balanced':
      return balanced(eligible, health, opts.random);
  }
}
