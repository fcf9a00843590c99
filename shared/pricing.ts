/**
 * Exact cost of one response at the price in force. Pure: no I/O, no clock.
 * Prices are USD per million tokens (see `Price` in ./domain).
 */
import type { Price } from './domain';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Subset of `inputTokens` read from the provider's prompt cache. */
  cachedInputTokens?: number | null;
  /** Subset of `outputTokens` spent on hidden reasoning. */
  reasoningTokens?: number | null;
  /** Subset of `inputTokens` written to the prompt cache. */
  cacheWriteTokens?: number | null;
}

/** Computed and provider-reported costs further apart than this (5%) are flagged. */
export const DRIFT_THRESHOLD = 0.05;

const USD_QUANTUM = 1e10; // round to 1e-10 USD: below any provider's billing unit, above float noise

function roundUsd(usd: number): number {
  return Math.round(usd * USD_QUANTUM) / USD_QUANTUM;
}

/** Token counts come from adapters and estimates: treat missing, negative or NaN as zero rather than poison a total. */
function count(n: number | null | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

interface Rates {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

/**
 * The rates for a request with this many input tokens. The highest tier whose
 * threshold the prompt exceeds prices the whole request. A rate the tier does not
 * state keeps the base price (models.dev tiers often omit cache reads), and a
 * missing cache rate falls back to the input rate in force.
 */
export function ratesFor(price: Price, inputTokens: number): Rates {
  let tier: Price['tiers'][number] | null = null;
  for (const t of price.tiers ?? []) {
    if (inputTokens > t.aboveInputTokens && (tier === null || t.aboveInputTokens > tier.aboveInputTokens)) tier = t;
  }
  const input = tier?.inputPerM ?? price.inputPerM;
  const output = tier?.outputPerM ?? price.outputPerM;
  const cacheRead = tier?.cacheReadPerM ?? price.cacheReadPerM ?? input;
  return {
    input,
    output,
    cacheRead,
    cacheWrite: price.cacheWritePerM ?? input,
    reasoning: price.reasoningPerM ?? output,
  };
}

/**
 * Cost in USD of one response, rounded to 1e-10 USD; `null` when the price is unknown.
 * @example computeCost({ inputTokens: 1000, outputTokens: 500 }, { inputPerM: 0.15, outputPerM: 0.6, cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers: [] }) // 0.00045
 */
export function computeCost(usage: TokenUsage, price: Price): number;
export function computeCost(usage: TokenUsage, price: Price | null): number | null;
export function computeCost(usage: TokenUsage, price: Price | null): number | null {
  if (!price) return null;
  const input = count(usage.inputTokens);
  const output = count(usage.outputTokens);
  // Subsets can never exceed their whole, whatever an adapter reported.
  const cached = Math.min(count(usage.cachedInputTokens), input);
  const written = Math.min(count(usage.cacheWriteTokens), input - cached);
  const reasoning = Math.min(count(usage.reasoningTokens), output);
  const r = ratesFor(price, input);
  const perMillion =
    (input - cached - written) * r.input +
    cached * r.cacheRead +
    written * r.cacheWrite +
    (output - reasoning) * r.output +
    reasoning * r.reasoning;
  return roundUsd(perMillion / 1e6);
}

/** Anthropic prices a 5-minute cache write at 1.25 x the base input price (docs.anthropic.com, prompt caching). */
export const ANTHROPIC_CACHE_WRITE_FACTOR = 1.25;

/**
 * The price that bills cache writes: the catalog's cache-write figure when it has
 * one; for Anthropic without one, 1.25 x the input price (`fallback: true`, so
 * the column can say its cost rests on the documented rule, not the catalog).
 * Other protocols report no cache writes; their price is left as it is.
 * @example cacheWritePrice({ ...price, inputPerM: 3, cacheWritePerM: null }, 'anthropic', 100).price.cacheWritePerM // 3.75
 */
export function cacheWritePrice(price: Price, protocol: string, cacheWriteTokens: number): { price: Price; fallback: boolean } {
  if (price.cacheWritePerM !== null || protocol !== 'anthropic' || !(cacheWriteTokens > 0)) return { price, fallback: false };
  return { price: { ...price, cacheWritePerM: Math.round(price.inputPerM * ANTHROPIC_CACHE_WRITE_FACTOR * 1e9) / 1e9 }, fallback: true };
}

/**
 * Worst-case cost before sending: the whole prompt uncached, every allowed output
 * token billed at the dearer of the output and reasoning rates.
 * @example estimateMaxCost(2000, 1000, price) // upper bound for a pre-flight check
 */
export function estimateMaxCost(inputTokens: number, maxOutputTokens: number, price: Price): number;
export function estimateMaxCost(inputTokens: number, maxOutputTokens: number, price: Price | null): number | null;
export function estimateMaxCost(inputTokens: number, maxOutputTokens: number, price: Price | null): number | null {
  if (!price) return null;
  const input = count(inputTokens);
  const r = ratesFor(price, input);
  return roundUsd((input * r.input + count(maxOutputTokens) * Math.max(r.output, r.reasoning)) / 1e6);
}

/**
 * Relative drift of our computed cost from the provider's reported cost:
 * `(computed - reported) / reported`. `null` when either is missing or the
 * ratio is undefined (reported 0 but computed not).
 * @example costDrift(0.0011, 0.001) // 0.1 -> flagged, above DRIFT_THRESHOLD
 */
export function costDrift(computed: number | null, reported: number | null): number | null {
  if (computed === null || reported === null || !Number.isFinite(computed) || !Number.isFinite(reported)) return null;
  if (reported === 0) return computed === 0 ? 0 : null;
  return Math.round(((computed - reported) / reported) * 1e9) / 1e9;
}

/** True when a drift is large enough to show the user. */
export function isDrifted(drift: number | null): boolean {
  return drift !== null && Math.abs(drift) > DRIFT_THRESHOLD;
}
