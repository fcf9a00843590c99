/**
 * The routing plan on its own: the same request and health give the same plan,
 * balanced's seeded draw still spreads different prompts by weight, and
 * misconfigured or open-circuit endpoints are planned behind the rest.
 */
import { describe, expect, it } from 'vitest';
import { planColumn, seededDraw, type PlanDeps } from '../../../electron/engine/plan';
import type { Candidate, ResolvedStep } from '../../../electron/engine/resolve';
import type { EndpointHealth } from '../../../electron/engine/router/health';
import { CompareRequest, ProviderConfig, type CompareRequestInput, type Endpoint } from '../../../shared/domain';
import { endpoint, health, price } from './helpers';

function provider(id: string): ProviderConfig {
  return ProviderConfig.parse({ id, type: 'openai', baseUrl: `http://127.0.0.1:1/${id}` });
}

function step(...eps: Endpoint[]): ResolvedStep[] {
  const candidates: Candidate[] = eps.map((e) => ({ endpoint: e, provider: provider(e.providerId) }));
  return [{ step: { kind: 'model', modelId: 'lab/model', raw: 'lab/model' }, candidates }];
}

function deps(opts: { health?: EndpointHealth[]; open?: string[]; misconfigured?: string[] } = {}): PlanDeps {
  const byId = new Map((opts.health ?? []).map((h) => [h.endpointId, h]));
  return {
    health: { getMany: (ids) => new Map([...ids].map((id) => [id, byId.get(id) ?? health(id, { samples: 0 })])) },
    breakers: { state: (key) => (opts.open?.includes(key) ? 'open' : 'closed') },
    store: { routing: { listMisconfigured: () => (opts.misconfigured ?? []).map((endpointId) => ({ endpointId, message: 'bad key', at: 0 })) } } as unknown as PlanDeps['store'],
    draw: seededDraw,
  };
}

const request = (prompt: string, over: Partial<CompareRequestInput> = {}) => CompareRequest.parse({ messages: [{ role: 'user', content: prompt }], targets: ['lab/model'], ...over });
const cheap = endpoint('cheap:model', { price: price(1, 2) });
const dear = endpoint('dear:model', { price: price(1.5, 3) });

describe('seededDraw', () => {
  it('is a function of its seed, in [0, 1), and spread evenly over seeds', () => {
    expect(seededDraw('a')).toBe(seededDraw('a'));
    expect(seededDraw('a')).not.toBe(seededDraw('b'));
    const draws = Array.from({ length: 2000 }, (_, i) => seededDraw(`seed ${i}`));
    for (const d of draws) expect(d >= 0 && d < 1).toBe(true);
    expect(draws.filter((d) => d < 0.5).length / draws.length).toBeGreaterThan(0.45);
    expect(draws.filter((d) => d < 0.5).length / draws.length).toBeLessThan(0.55);
  });
});

describe('planColumn', () => {
  it('reads health only for a step with endpoints to rank against each other', () => {
    const asked: string[][] = [];
    const d = deps();
    const counting: PlanDeps = { ...d, health: { getMany: (ids) => (asked.push([...ids]), d.health.getMany(ids)) } };
    expect(planColumn({ request: request('one'), promptTokens: 10, index: 0 }, step(cheap), counting).view.primary).toMatchObject({ provider: 'cheap' });
    expect(asked).toEqual([]);
    planColumn({ request: request('two', { routing: { strategy: 'latency' } }), promptTokens: 10, index: 0 }, step(cheap, dear), counting);
    expect(asked).toEqual([['cheap:model', 'dear:model']]);
  });

  it('the same request and health give the same plan; the view names primary and fallbacks', () => {
    const a = planColumn({ request: request('hello'), promptTokens: 10, index: 0 }, step(cheap, dear), deps());
    const b = planColumn({ request: request('hello'), promptTokens: 10, index: 0 }, step(cheap, dear), deps());
    expect(b.view).toEqual(a.view);
    expect([a.view.primary!.provider, a.view.fallbacks[0]!.provider].sort()).toEqual(['cheap', 'dear']);
    expect(a.view.primary).toEqual({ provider: a.steps[0]!.ranked[0]!.provider.id, model: 'lab/model', upstream: 'model' });
  });

  it('balanced still spreads different prompts by weight (1/price²: the cheaper one about two times in three)', () => {
    const firsts = Array.from({ length: 300 }, (_, i) => planColumn({ request: request(`prompt ${i}`), promptTokens: 10, index: 0 }, step(cheap, dear), deps()).view.primary!.provider);
    const share = firsts.filter((p) => p === 'cheap').length / firsts.length;
    // Weights 1/1.75² and 1/2.625²: 0.69 expected.
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.78);
  });

  it('new health samples re-seed the draw; the same health does not', () => {
    const run = (samples: number) =>
      Array.from({ length: 40 }, (_, i) => planColumn({ request: request(`p${i}`), promptTokens: 10, index: 0 }, step(cheap, dear), deps({ health: [health('cheap:model', { samples })] })).view.id);
    expect(run(3)).toEqual(run(3));
    expect(run(4)).not.toEqual(run(3));
  });

  it('plans an open circuit behind the rest and a misconfigured endpoint last, whatever the order asks', () => {
    const third = endpoint('third:model');
    const order = request('x', { routing: { strategy: 'order', order: ['cheap', 'dear', 'third'] } });
    const plan = planColumn({ request: order, promptTokens: 10, index: 0 }, step(cheap, dear, third), deps({ open: ['dear|0|model'], misconfigured: ['cheap:model'] }));
    expect([plan.view.primary, ...plan.view.fallbacks].map((e) => [e!.provider, e!.circuitOpen ?? false])).toEqual([['third', false], ['dear', true], ['cheap', false]]);
    const plain = planColumn({ request: order, promptTokens: 10, index: 0 }, step(cheap, dear, third), deps());
    expect(plain.view.primary!.provider).toBe('cheap');
    expect(plain.view.id).not.toBe(plan.view.id);
  });

  it('noFallback keeps the primary alone; nothing eligible gives no primary and the refusal', () => {
    const pinned = planColumn({ request: request('x', { routing: { strategy: 'price', noFallback: true } }), promptTokens: 10, index: 0 }, step(dear, cheap), deps());
    expect(pinned.view).toMatchObject({ primary: { provider: 'cheap' }, fallbacks: [] });
    const none = planColumn({ request: request('x', { routing: { ignore: ['cheap', 'dear'] } }), promptTokens: 10, index: 0 }, step(cheap, dear), deps());
    expect(none.view).toMatchObject({ primary: null, fallbacks: [] });
    expect(none.steps[0]!.refusal).toMatch(/^no endpoint of lab\/model satisfies the request: cheap:model \(ignore/);
  });
});
