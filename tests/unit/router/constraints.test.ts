import { describe, expect, it } from 'vitest';
import { RoutingOptions, UNKNOWN_POLICY } from '../../../shared/domain';
import { applyConstraints, explainNoEndpoint, type Exclusion } from '../../../electron/engine/router/constraints';
import { endpoint, KNOWN_POLICY, price } from './helpers';

const ctx = { promptTokens: 1_000, maxOutputTokens: 500 };
const opts = (o: Parameters<typeof RoutingOptions.parse>[0]) => RoutingOptions.parse(o);

function only(res: { excluded: Exclusion[] }): Omit<Exclusion, 'endpointId'> {
  expect(res.excluded).toHaveLength(1);
  const { rule, detail } = res.excluded[0]!;
  return { rule, detail };
}

describe('applyConstraints', () => {
  it('passes everything with default options, preserving order', () => {
    const eps = [endpoint('b:m'), endpoint('a:m'), endpoint('user:m', { policy: UNKNOWN_POLICY, price: null, contextWindow: null, source: 'user' })];
    const res = applyConstraints(eps, opts({}), ctx);
    expect(res.eligible.map((e) => e.id)).toEqual(['b:m', 'a:m', 'user:m']);
    expect(res.excluded).toEqual([]);
  });

  it('only / ignore providers', () => {
    const eps = [endpoint('openai:m'), endpoint('groq:m')];
    const a = applyConstraints(eps, opts({ only: ['Groq'] }), ctx);
    expect(a.eligible.map((e) => e.id)).toEqual(['groq:m']);
    expect(a.excluded).toEqual([{ endpointId: 'openai:m', rule: 'only', detail: 'openai not in groq' }]);
    const b = applyConstraints(eps, opts({ ignore: ['groq'] }), ctx);
    expect(b.eligible.map((e) => e.id)).toEqual(['openai:m']);
    expect(only(b)).toEqual({ rule: 'ignore', detail: 'groq is ignored' });
  });

  it('zdr: must be offered; unknown fails', () => {
    const no = endpoint('a:m', { policy: { ...KNOWN_POLICY, zdrAvailable: false } });
    const unknown = endpoint('b:m', { policy: { ...KNOWN_POLICY, zdrAvailable: null } });
    const res = applyConstraints([no, unknown, endpoint('c:m')], opts({ zdr: true }), ctx);
    expect(res.eligible.map((e) => e.id)).toEqual(['c:m']);
    expect(res.excluded.map((x) => `${x.rule}: ${x.detail}`)).toEqual(['zdr: zero data retention not offered', 'zdr: zero data retention unknown']);
  });

  it('noTraining: trainsOnData must be false; unknown fails', () => {
    const trains = endpoint('a:m', { policy: { ...KNOWN_POLICY, trainsOnData: true } });
    const unknown = endpoint('b:m', { policy: { ...KNOWN_POLICY, trainsOnData: null } });
    const res = applyConstraints([trains, unknown, endpoint('c:m')], opts({ noTraining: true }), ctx);
    expect(res.eligible.map((e) => e.id)).toEqual(['c:m']);
    expect(res.excluded.map((x) => x.detail)).toEqual(['trains on prompts', 'training on prompts unknown']);
    expect(res.excluded.every((x) => x.rule === 'noTraining')).toBe(true);
  });

  it('jurisdictions: must be listed (case-insensitive); unknown fails', () => {
    const eu = endpoint('mistral:m', { policy: { ...KNOWN_POLICY, jurisdiction: 'EU' } });
    const unknown = endpoint('x:m', { policy: { ...KNOWN_POLICY, jurisdiction: null } });
    const res = applyConstraints([endpoint('openai:m'), eu, unknown], opts({ jurisdictions: ['eu', 'CH'] }), ctx);
    expect(res.eligible.map((e) => e.id)).toEqual(['mistral:m']);
    expect(res.excluded).toEqual([
      { endpointId: 'openai:m', rule: 'jurisdiction', detail: 'US not in EU, CH' },
      { endpointId: 'x:m', rule: 'jurisdiction', detail: 'jurisdiction unknown' },
    ]);
  });

  it('maxPrice: both rates at or under the cap; unknown price fails; tiers apply to big prompts', () => {
    const cheap = endpoint('a:m', { price: price(0.5, 1.5) });
    const dearIn = endpoint('b:m', { price: price(3, 1) });
    const dearOut = endpoint('c:m', { price: price(1, 10) });
    const unknown = endpoint('d:m', { price: null });
    const tiered = endpoint('e:m', { price: price(1, 2, [{ aboveInputTokens: 200_000, inputPerM: 2.5, outputPerM: 5, cacheReadPerM: null }]) });
    const cap = opts({ maxPrice: { inputPerM: 2, outputPerM: 4 } });
    const small = applyConstraints([cheap, dearIn, dearOut, unknown, tiered], cap, ctx);
    expect(small.eligible.map((e) => e.id)).toEqual(['a:m', 'e:m']);
    expect(small.excluded.map((x) => `${x.endpointId} ${x.rule}: ${x.detail}`)).toEqual([
      'b:m maxPrice: input $3/M over $2/M',
      'c:m maxPrice: output $10/M over $4/M',
      'd:m maxPrice: price unknown',
    ]);
    const big = applyConstraints([tiered], cap, { promptTokens: 300_000, maxOutputTokens: null });
    expect(only(big)).toEqual({ rule: 'maxPrice', detail: 'input $2.5/M over $2/M' });
  });

  it('context: prompt plus max output must fit; unknown context passes', () => {
    const small = endpoint('a:m', { contextWindow: 8_192 });
    const unknown = endpoint('b:m', { contextWindow: null, source: 'user' });
    const res = applyConstraints([small, unknown], opts({}), { promptTokens: 8_000, maxOutputTokens: 1_000 });
    expect(res.eligible.map((e) => e.id)).toEqual(['b:m']);
    expect(only(res)).toEqual({ rule: 'context', detail: 'needs 9000 tokens, context window is 8192' });
    // Without a max output, only the prompt must fit.
    expect(applyConstraints([small], opts({}), { promptTokens: 8_000, maxOutputTokens: null }).eligible).toHaveLength(1);
  });

  it('required capabilities: must be true; unknown fails', () => {
    const noVision = endpoint('a:m', { capabilities: { tools: true, vision: false, json: true, reasoning: false } });
    const unknownTools = endpoint('b:m', { capabilities: { tools: null, vision: true, json: true, reasoning: false } });
    const res = applyConstraints([noVision, unknownTools, endpoint('c:m')], opts({ requireCapabilities: ['tools', 'vision'] }), ctx);
    expect(res.eligible.map((e) => e.id)).toEqual(['c:m']);
    expect(res.excluded.map((x) => `${x.rule}: ${x.detail}`)).toEqual(['capability: no image input', 'capability: tool calling unknown']);
  });

  it('misconfigured endpoints are excluded with the provider message', () => {
    const res = applyConstraints([endpoint('a:m'), endpoint('b:m')], opts({}), { ...ctx, misconfigured: new Map([['a:m', '401 invalid api key']]) });
    expect(res.eligible.map((e) => e.id)).toEqual(['b:m']);
    expect(only(res)).toEqual({ rule: 'misconfigured', detail: '401 invalid api key' });
  });

  it('a user endpoint with no stated facts fails every constraint that asks for one', () => {
    const bare = endpoint('mine:m', {
      source: 'user', price: null, contextWindow: null, policy: UNKNOWN_POLICY,
      capabilities: { tools: null, vision: null, json: null, reasoning: null },
    });
    const asks: Array<[Parameters<typeof RoutingOptions.parse>[0], string]> = [
      [{ zdr: true }, 'zdr'],
      [{ noTraining: true }, 'noTraining'],
      [{ jurisdictions: ['US'] }, 'jurisdiction'],
      [{ maxPrice: { inputPerM: 100, outputPerM: 100 } }, 'maxPrice'],
      [{ requireCapabilities: ['json'] }, 'capability'],
    ];
    for (const [o, rule] of asks) expect(only(applyConstraints([bare], opts(o), ctx)).rule).toBe(rule);
  });
});

describe('explainNoEndpoint', () => {
  it('names each excluded endpoint and its rule on one line', () => {
    const eps = [
      endpoint('openrouter:openai/gpt-4o-mini', { policy: { ...KNOWN_POLICY, zdrAvailable: null } }),
      endpoint('openai:gpt-4o-mini', { policy: { ...KNOWN_POLICY, jurisdiction: 'US' } }),
    ];
    const { eligible, excluded } = applyConstraints(eps, opts({ zdr: true, jurisdictions: ['EU'] }), ctx);
    expect(eligible).toEqual([]);
    expect(explainNoEndpoint('openai/gpt-4o-mini', excluded)).toBe(
      'no endpoint of openai/gpt-4o-mini satisfies the request: openrouter:openai/gpt-4o-mini (zdr: zero data retention unknown), openai:gpt-4o-mini (jurisdiction: US not in EU)',
    );
  });

  it('says so when no endpoint existed at all', () => {
    expect(explainNoEndpoint('x/y', [])).toBe('no endpoint of x/y satisfies the request: no provider serves it');
  });
});
