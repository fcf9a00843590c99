import { describe, expect, it } from 'vitest';
import type { Price } from '../../shared/domain';
import { DRIFT_THRESHOLD, computeCost, costDrift, estimateMaxCost, isDrifted } from '../../shared/pricing';

const price = (p: Partial<Price> & Pick<Price, 'inputPerM' | 'outputPerM'>): Price => ({
  cacheReadPerM: null,
  cacheWritePerM: null,
  reasoningPerM: null,
  tiers: [],
  ...p,
});

const MINI = price({ inputPerM: 0.15, outputPerM: 0.6, cacheReadPerM: 0.075 });
const SONNET = price({ inputPerM: 3, outputPerM: 15, cacheReadPerM: 0.3, cacheWritePerM: 3.75 });
const REASONER = price({ inputPerM: 1.1, outputPerM: 4.4, reasoningPerM: 8.8 });
const GEMINI_PRO = price({
  inputPerM: 1.25,
  outputPerM: 10,
  cacheReadPerM: 0.31,
  tiers: [{ aboveInputTokens: 200_000, inputPerM: 2.5, outputPerM: 15, cacheReadPerM: 0.625 }],
});

describe('computeCost', () => {
  it('prices plain input and output per million tokens', () => {
    expect(computeCost({ inputTokens: 1000, outputTokens: 500 }, MINI)).toBe(0.00045);
    expect(computeCost({ inputTokens: 10_000, outputTokens: 2_000 }, SONNET)).toBe(0.06);
    expect(computeCost({ inputTokens: 0, outputTokens: 0 }, SONNET)).toBe(0);
  });

  it('bills cached input, a subset of input, at the cache-read rate', () => {
    // 2,000 uncached x 3 + 8,000 cached x 0.3 + 2,000 out x 15
    expect(computeCost({ inputTokens: 10_000, outputTokens: 2_000, cachedInputTokens: 8_000 }, SONNET)).toBe(0.0384);
    expect(computeCost({ inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 1_000_000 }, MINI)).toBe(0.075);
  });

  it('falls back to the input rate when no cache-read price is known', () => {
    const noCache = price({ inputPerM: 3, outputPerM: 15 });
    expect(computeCost({ inputTokens: 10_000, outputTokens: 2_000, cachedInputTokens: 8_000 }, noCache)).toBe(0.06);
  });

  it('bills cache writes at the cache-write rate', () => {
    // 6,000 x 3 + 4,000 x 3.75 + 2,000 x 15
    expect(computeCost({ inputTokens: 10_000, outputTokens: 2_000, cacheWriteTokens: 4_000 }, SONNET)).toBe(0.063);
  });

  it('bills reasoning tokens, a subset of output, at the reasoning rate when set', () => {
    // 1,000 x 1.1 + 1,000 visible x 4.4 + 2,000 reasoning x 8.8
    expect(computeCost({ inputTokens: 1_000, outputTokens: 3_000, reasoningTokens: 2_000 }, REASONER)).toBe(0.0231);
    // No reasoning price: every output token at the output rate.
    expect(computeCost({ inputTokens: 1_000, outputTokens: 3_000, reasoningTokens: 2_000 }, MINI)).toBe(0.00195);
  });

  it('uses the tier for the whole request once the prompt exceeds its threshold', () => {
    // Exactly at the threshold is not above it: base prices.
    expect(computeCost({ inputTokens: 200_000, outputTokens: 1_000 }, GEMINI_PRO)).toBe(0.26);
    // One token more: every token at the tier's prices.
    expect(computeCost({ inputTokens: 200_001, outputTokens: 1_000 }, GEMINI_PRO)).toBe(0.5150025);
    // Cached tokens at the tier's cache rate: 200,000 x 2.5 + 100,000 x 0.625
    expect(computeCost({ inputTokens: 300_000, outputTokens: 0, cachedInputTokens: 100_000 }, GEMINI_PRO)).toBe(0.5625);
  });

  it('picks the highest matching tier whatever their order', () => {
    const tiered = price({
      inputPerM: 1,
      outputPerM: 2,
      cacheReadPerM: 0.1,
      tiers: [
        { aboveInputTokens: 256_000, inputPerM: 4, outputPerM: 8, cacheReadPerM: null },
        { aboveInputTokens: 128_000, inputPerM: 2, outputPerM: 4, cacheReadPerM: null },
      ],
    });
    expect(computeCost({ inputTokens: 100_000, outputTokens: 1_000 }, tiered)).toBe(0.102);
    expect(computeCost({ inputTokens: 200_000, outputTokens: 1_000 }, tiered)).toBe(0.404);
    expect(computeCost({ inputTokens: 300_000, outputTokens: 1_000 }, tiered)).toBe(1.208);
    // A tier without a cache price keeps the base cache price: 200,000 x 4 + 100,000 x 0.1
    expect(computeCost({ inputTokens: 300_000, outputTokens: 0, cachedInputTokens: 100_000 }, tiered)).toBe(0.81);
  });

  it('returns null when the price is unknown', () => {
    expect(computeCost({ inputTokens: 1_000, outputTokens: 1_000 }, null)).toBeNull();
    expect(estimateMaxCost(1_000, 1_000, null)).toBeNull();
  });

  it('rounds away float noise to 1e-10 USD', () => {
    const dime = price({ inputPerM: 0.1, outputPerM: 0.2 });
    // 0.1 + 0.2 would be 0.30000000000000004 in floats.
    expect(computeCost({ inputTokens: 1, outputTokens: 1 }, dime)).toBe(3e-7);
    expect(computeCost({ inputTokens: 3, outputTokens: 0 }, dime)).toBe(3e-7);
    expect(computeCost({ inputTokens: 1, outputTokens: 0 }, price({ inputPerM: 0.00001, outputPerM: 0 }))).toBe(0);
  });

  it('never lets inconsistent counts produce a negative or inflated cost', () => {
    expect(computeCost({ inputTokens: 1_000, outputTokens: 100, cachedInputTokens: 5_000 }, SONNET)).toBe(0.0018);
    expect(computeCost({ inputTokens: 1_000, outputTokens: 100, reasoningTokens: 900 }, REASONER)).toBe(0.00198);
    expect(computeCost({ inputTokens: -5, outputTokens: Number.NaN }, SONNET)).toBe(0);
  });
});

describe('estimateMaxCost', () => {
  it('assumes an uncached prompt and the whole output budget', () => {
    expect(estimateMaxCost(2_000, 1_000, SONNET)).toBe(0.021);
  });

  it('prices the output budget at the dearer of output and reasoning', () => {
    expect(estimateMaxCost(1_000, 3_000, REASONER)).toBe(0.0275);
  });

  it('applies tiers by prompt size', () => {
    expect(estimateMaxCost(250_000, 1_000, GEMINI_PRO)).toBe(0.64);
  });
});

describe('costDrift', () => {
  it('is (computed - reported) / reported', () => {
    expect(costDrift(0.0011, 0.001)).toBe(0.1);
    expect(costDrift(0.00098, 0.001)).toBe(-0.02);
    expect(costDrift(0.5, 0.5)).toBe(0);
  });

  it('flags drift beyond 5%', () => {
    expect(DRIFT_THRESHOLD).toBe(0.05);
    expect(isDrifted(costDrift(0.0011, 0.001))).toBe(true);
    expect(isDrifted(costDrift(0.00104, 0.001))).toBe(false);
    expect(isDrifted(costDrift(0.00094, 0.001))).toBe(true);
    expect(isDrifted(null)).toBe(false);
  });

  it('is null when either side is missing or the ratio is undefined', () => {
    expect(costDrift(null, 0.001)).toBeNull();
    expect(costDrift(0.001, null)).toBeNull();
    expect(costDrift(0.001, 0)).toBeNull();
    expect(costDrift(0, 0)).toBe(0);
  });
});
