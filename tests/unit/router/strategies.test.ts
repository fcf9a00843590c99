import { describe, expect, it } from 'vitest';
import { blendedPrice, ERROR_RATE_THRESHOLD, rankEndpoints } from '../../../electron/engine/router/strategies';
import type { Endpoint } from '../../../shared/domain';
import { endpoint, health, healthMap, price, seeded } from './helpers';

const ids = (eps: Endpoint[]) => eps.map((e) => e.id);
const none = new Map();
const fixed = (r: number) => ({ order: [] as string[], random: () => r });

// blended (in + 3·out)/4: a 1.75, b 0.625, c 4.5, d unknown
const a = endpoint('a:m', { price: price(1, 2) });
const b = endpoint('b:m', { price: price(0.25, 0.75) });
const c = endpoint('c:m', { price: price(3, 5) });
const d = endpoint('d:m', { price: null, source: 'user' });

describe('blendedPrice', () => {
  it('weights output 3:1 over input', () => {
    expect(blendedPrice(price(1, 5))).toBe(4);
    expect(blendedPrice(null)).toBeNull();
  });
});

describe('rankEndpoints', () => {
  it('order: the explicit providers first in their order, then the rest as given', () => {
    const r = rankEndpoints([a, b, c, d], 'order', none, { order: ['c', 'zz', 'b'], random: Math.random });
    expect(ids(r)).toEqual(['c:m', 'b:m', 'a:m', 'd:m']);
  });

  it('price: cheapest first, weighting output 3:1, unknown price last', () => {
    expect(ids(rankEndpoints([d, c, a, b], 'price', none, fixed(0)))).toEqual(['b:m', 'a:m', 'c:m', 'd:m']);
    // 1:3 weighting matters: cheap input but dear output loses to the reverse.
    const inCheap = endpoint('x:m', { price: price(0.1, 4) }); // 3.025
    const outCheap = endpoint('y:m', { price: price(4, 1) }); // 1.75
    expect(ids(rankEndpoints([inCheap, outCheap], 'price', none, fixed(0)))).toEqual(['y:m', 'x:m']);
  });

  it('latency: lowest p50 time to first token; endpoints without data after, by price', () => {
    const h = healthMap(health('a:m', { ttftP50Ms: 900 }), health('c:m', { ttftP50Ms: 200 }));
    expect(ids(rankEndpoints([a, b, c, d], 'latency', h, fixed(0)))).toEqual(['c:m', 'a:m', 'b:m', 'd:m']);
  });

  it('throughput: highest tokens/s; endpoints without data after, by price', () => {
    const h = healthMap(health('a:m', { tokensPerSecond: 80 }), health('d:m', { tokensPerSecond: 300 }), health('c:m', { tokensPerSecond: null }));
    expect(ids(rankEndpoints([a, b, c, d], 'throughput', h, fixed(0)))).toEqual(['d:m', 'a:m', 'b:m', 'c:m']);
  });

  it('balanced: the draw picks the first choice, the rest follow by price', () => {
    // weights ∝ 1/p²: a 0.327, b 2.56, c 0.049; d (unknown) weighs like the dearest known (c).
    const low = rankEndpoints([a, b, c, d], 'balanced', none, fixed(0));
    expect(ids(low)).toEqual(['a:m', 'b:m', 'c:m', 'd:m']);
    const mid = rankEndpoints([a, b, c, d], 'balanced', none, fixed(0.5));
    expect(ids(mid)).toEqual(['b:m', 'a:m', 'c:m', 'd:m']);
    const high = rankEndpoints([a, b, c, d], 'balanced', none, fixed(0.999));
    expect(ids(high)).toEqual(['d:m', 'b:m', 'a:m', 'c:m']);
  });

  it('balanced: deterministic for a given random source', () => {
    const eps = [a, b, c, d];
    const run = () => {
      const r = seeded(42);
      return Array.from({ length: 50 }, () => rankEndpoints(eps, 'balanced', none, { order: [], random: r })[0]!.id);
    };
    expect(run()).toEqual(run());
  });

  it('balanced: draws ∝ 1/price², and shift away from an endpoint with recent errors', () => {
    const x = endpoint('x:m', { price: price(1, 1) });
    const y = endpoint('y:m', { price: price(1, 1) });
    const z = endpoint('z:m', { price: price(2, 2) }); // weight 1/4 of x's
    const draw = (h: Map<string, ReturnType<typeof health>>) => {
      const r = seeded(7);
      const counts: Record<string, number> = { 'x:m': 0, 'y:m': 0, 'z:m': 0 };
      for (let i = 0; i < 9_000; i++) counts[rankEndpoints([x, y, z], 'balanced', h, { order: [], random: r })[0]!.id]!++;
      return counts;
    };
    const calm = draw(new Map());
    // Expected shares 4/9, 4/9, 1/9.
    expect(calm['x:m']! / 9_000).toBeCloseTo(4 / 9, 1);
    expect(calm['z:m']! / 9_000).toBeCloseTo(1 / 9, 1);

    const erring = draw(healthMap(health('x:m', { errorRate: 0.5, lastErrorKind: 'server' })));
    expect(erring['x:m']).toBe(0);
    expect(erring['y:m']! / 9_000).toBeCloseTo(0.8, 1);

    // A small error rate (under the threshold) discounts the weight rather than excluding it.
    const slight = draw(healthMap(health('x:m', { errorRate: ERROR_RATE_THRESHOLD / 2 })));
    expect(slight['x:m']!).toBeGreaterThan(0);
    expect(slight['x:m']!).toBeLessThan(calm['x:m']! * 0.95);
  });

  it('balanced: erroring endpoints go last, the worst at the very end', () => {
    const h = healthMap(health('b:m', { errorRate: 0.9 }), health('a:m', { errorRate: 0.4 }));
    for (const r of [0, 0.3, 0.6, 0.99]) {
      const ranked = ids(rankEndpoints([a, b, c, d], 'balanced', h, fixed(r)));
      expect(ranked.slice(2)).toEqual(['a:m', 'b:m']);
    }
  });

  it('balanced: when everything errs, still draws, favouring the least failing', () => {
    const [p, q, s] = ['p:m', 'q:m', 's:m'].map((id) => endpoint(id, { price: price(1, 1) }));
    const h = healthMap(health('p:m', { errorRate: 1 }), health('q:m', { errorRate: 1 }), health('s:m', { errorRate: 0.5 }));
    const r = seeded(3);
    const firsts = new Set<string>();
    let sFirst = 0;
    for (let i = 0; i < 1000; i++) {
      const first = rankEndpoints([p!, q!, s!], 'balanced', h, { order: [], random: r })[0]!.id;
      firsts.add(first);
      if (first === 's:m') sFirst++;
    }
    // (1 - 0.5)² against a floor of 0.05² for the always-failing ones: about 98%.
    expect(sFirst).toBeGreaterThan(950);
    expect(firsts.size).toBeGreaterThan(1);
  });

  it('balanced: a free endpoint wins the draw without breaking the maths', () => {
    const free = endpoint('ollama:m', { price: price(0, 0) });
    const ranked = rankEndpoints([a, free], 'balanced', none, fixed(0.5));
    expect(ids(ranked)).toEqual(['ollama:m', 'a:m']);
  });

  it('returns a copy for zero or one endpoint, and never drops or duplicates', () => {
    const one = [a];
    expect(rankEndpoints(one, 'balanced', none, fixed(0))).not.toBe(one);
    expect(rankEndpoints([], 'price', none, fixed(0))).toEqual([]);
    for (const s of ['order', 'price', 'latency', 'throughput', 'balanced'] as const) {
      expect(ids(rankEndpoints([a, b, c, d], s, none, fixed(0.7))).sort()).toEqual(['a:m', 'b:m', 'c:m', 'd:m']);
    }
  });
});
