import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../electron/engine/router/backoff';
import { classifyFailure } from '../../../electron/engine/router/classify';
import { ErrorKind } from '../../../shared/domain';

describe('retryDelayMs', () => {
  it('honours Retry-After, capped', () => {
    expect(retryDelayMs(1, 3_000)).toBe(3_000);
    expect(retryDelayMs(5, 0)).toBe(0);
    expect(retryDelayMs(1, 120_000)).toBe(20_000);
    expect(retryDelayMs(1, 120_000, { retryAfterCapMs: 5_000 })).toBe(5_000);
  });

  it('otherwise grows exponentially from initialMs with jitter in [d/2, d)', () => {
    const lo = () => 0;
    const hi = () => 0.999999;
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, null, {}, lo))).toEqual([125, 250, 500, 1_000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, null, {}, hi))).toEqual([249, 499, 999, 1_999]);
    expect(retryDelayMs(3, null, {}, () => 0.5)).toBe(750);
  });

  it('is capped at maxMs however many attempts', () => {
    for (const n of [6, 10, 50, 1_000]) {
      const d = retryDelayMs(n, null, {}, () => 0.999999);
      expect(d).toBeLessThan(8_000);
      expect(d).toBeGreaterThanOrEqual(4_000);
    }
    expect(retryDelayMs(10, null, { maxMs: 1_000 }, () => 0)).toBe(500);
  });

  it('jitters with Math.random by default, staying in range', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const d = retryDelayMs(2, null, { initialMs: 1_000 });
      expect(d).toBeGreaterThanOrEqual(1_000);
      expect(d).toBeLessThan(2_000);
      seen.add(d);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('treats attempt numbers below 1 as the first retry', () => {
    expect(retryDelayMs(0, null, {}, () => 0)).toBe(125);
  });
});

describe('classifyFailure', () => {
  it('maps every error kind', () => {
    const expected: Record<ErrorKind, ReturnType<typeof classifyFailure>> = {
      rate_limit: 'retry_same_after_backoff',
      server: 'next_endpoint',
      network: 'next_endpoint',
      timeout_connect: 'next_endpoint',
      timeout_first_token: 'next_endpoint',
      timeout_idle: 'next_endpoint',
      timeout_total: 'next_endpoint',
      malformed: 'next_endpoint',
      stream_error: 'next_endpoint',
      truncated: 'next_endpoint',
      auth: 'misconfigured',
      not_found: 'misconfigured',
      bad_request: 'misconfigured',
      cancelled: 'no_retry',
      budget: 'no_retry',
      policy: 'no_retry',
      config: 'no_retry',
    };
    for (const kind of ErrorKind.options) expect([kind, classifyFailure(kind)]).toEqual([kind, expected[kind]]);
  });
});
