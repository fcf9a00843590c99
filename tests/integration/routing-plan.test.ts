/**
 * The routing plan through the real engine: the pre-flight names the endpoint
 * the run then tries first (balanced included), a plan that changed before the
 * send says so, a provider's own --serve mapping replaces the catalog's
 * default, and the first-token timeout holds before response headers too.
 * A catalog document of the test's own, a real SQLite file, mock providers on
 * loopback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { estimateRun } from '../../electron/engine/estimate';
import { breakerKey } from '../../electron/engine/router/breaker';
import type { Estimate } from '../../shared/contract';
import type { RoutePlan } from '../../shared/domain';
import type { MockProviders } from '../mocks/provider-server';
import { addProvider, ask, catalogDoc, closeWorkbenches, col, expectPersisted, only, openWorkbench, requestsFor, type Workbench, shareMockProviders } from './helpers';

let mock: MockProviders;

shareMockProviders((m) => (mock = m));
beforeEach(() => mock.reset());
afterEach(closeWorkbenches);

const { price, caps, provider } = catalogDoc;

/** acme/shared at two catalog providers (east cheaper, west dearer), and cat's default upstream for acme/mapped. */
const CATALOG = {
  asOf: '2026-07-02',
  source: 'routing plan tests',
  license: 'none',
  providers: [provider('east-cat'), provider('west-cat'), provider('cat')],
  models: ['acme/shared', 'acme/mapped'].map((id) => ({
    id, name: id, family: null, reasoning: null, toolCall: null, attachment: null, structuredOutput: null,
    inputModalities: ['text'], outputModalities: ['text'], contextWindow: null, maxOutput: null, releaseDate: null, openWeights: null,
  })),
  endpoints: [
    { providerId: 'east-cat', upstreamModel: 'shared-east', modelId: 'acme/shared', price: price(1, 2), contextWindow: null, maxOutput: null, capabilities: caps },
    { providerId: 'west-cat', upstreamModel: 'shared-west', modelId: 'acme/shared', price: price(1.5, 3), contextWindow: null, maxOutput: null, capabilities: caps },
    { providerId: 'cat', upstreamModel: 'cat-default', modelId: 'acme/mapped', price: price(0.1, 0.1), contextWindow: null, maxOutput: null, capabilities: caps },
  ],
  overrides: [],
};

async function twoEndpoints(): Promise<Workbench> {
  const wb = openWorkbench({ catalog: CATALOG });
  await addProvider(wb, { id: 'east', baseUrl: mock.baseUrls.openai, catalogProvider: 'east-cat' });
  await addProvider(wb, { id: 'west', baseUrl: mock.baseUrls.openai, catalogProvider: 'west-cat' });
  // Different latencies as well as prices, so balanced (and the health it reads) has something to weigh.
  mock.script('shared-east', { tokens: 3, firstTokenDelayMs: 5 });
  mock.script('shared-west', { tokens: 3, firstTokenDelayMs: 40 });
  return wb;
}

function planOf(e: Estimate): RoutePlan {
  const plan = e.columns[0]!.plan;
  expect(plan).toBeTruthy();
  return plan!;
}

describe('the plan the pre-flight names is the plan the run follows', () => {
  it('across 20 balanced runs of a catalog model at two endpoints, each run is served by the endpoint its dry run named', async () => {
    const wb = await twoEndpoints();
    const served: string[] = [];
    for (let i = 0; i < 20; i++) {
      const req = ask(['acme/shared'], { messages: [{ role: 'user', content: `question number ${i}` }] });
      const plan = planOf(await estimateRun(wb.ctx, req));
      expect(plan.fallbacks).toHaveLength(1);
      const c = col(await wb.engine.compare({ ...req, plans: [plan.id] }));
      // Every attempt went through, so the first planned endpoint must be the one that served.
      expect(c.attempts.map((a) => a.status)).toEqual(['ok']);
      expect(c.servedBy).toEqual({ provider: plan.primary!.provider, model: plan.primary!.upstream });
      expect(c).toMatchObject({ fellBack: false, replanned: false, plan });
      served.push(c.servedBy!.provider);
    }
    // Seeded, not constant: the draw still spreads load over both endpoints.
    expect(new Set(served)).toEqual(new Set(['east', 'west']));
  });

  it('the same request and health give the same plan every time; the plan is what the result and history carry', async () => {
    const wb = await twoEndpoints();
    const req = ask(['acme/shared', 'acme/shared']);
    const first = await estimateRun(wb.ctx, req);
    const again = await estimateRun(wb.ctx, req);
    expect(again.columns.map((c) => c.plan)).toEqual(first.columns.map((c) => c.plan));
    expect(first.columns.map((c) => c.endpointId)).toEqual(first.columns.map((c) => `${c.plan!.primary!.provider}:${c.plan!.primary!.upstream}`));
    const result = await wb.engine.compare(req);
    expect(result.columns.map((c) => c.plan)).toEqual(first.columns.map((c) => c.plan));
    expectPersisted(wb, result);
  });

  it('a breaker that opened between the pre-flight and the send: the run re-plans and says so', async () => {
    const wb = await twoEndpoints();
    const req = ask(['acme/shared'], { routing: { strategy: 'order', order: ['east', 'west'] } });
    const shown = planOf(await estimateRun(wb.ctx, req));
    expect(shown).toMatchObject({ primary: { provider: 'east', model: 'acme/shared', upstream: 'shared-east' }, fallbacks: [{ provider: 'west', upstream: 'shared-west' }] });

    const key = breakerKey('east', 0, 'shared-east');
    for (let i = 0; i < 3; i++) await wb.engine.breakers.run(key, () => Promise.resolve('failed'), () => true, { force: true });
    expect(wb.engine.breakers.state(key)).toBe('open');

    const result = await wb.engine.compare({ ...req, plans: [shown.id] });
    const c = col(result);
    expect(c).toMatchObject({ status: 'ok', servedBy: { provider: 'west', model: 'shared-west' }, fellBack: false, replanned: true });
    expect(c.plan).toMatchObject({ primary: { provider: 'west' }, fallbacks: [{ provider: 'east', circuitOpen: true }] });
    expect(c.plan!.id).not.toBe(shown.id);
    expect(requestsFor(mock, 'shared-east')).toHaveLength(0);
    expectPersisted(wb, result);

    // Without a shown plan there is nothing to differ from.
    expect(col(await wb.engine.compare(req)).replanned).toBe(false);
  });

  it('--no-fallback plans the primary alone', async () => {
    return twoEndpoints().then(async (wb) => {
      const plan = planOf(await estimateRun(wb.ctx, ask(['acme/shared'], { routing: { strategy: 'order', order: ['west'], noFallback: true } })));
      expect(plan).toMatchObject({ primary: { provider: 'west' }, fallbacks: [] });
    });
  });
});

describe('a provider\'s own --serve mapping and the catalog\'s default', () => {
  it('the mapping wins over the catalog\'s default for the same provider and model, even when the default is cheaper', async () => {
    const wb = openWorkbench({ catalog: CATALOG });
    await addProvider(wb, { id: 'mine', baseUrl: mock.baseUrls.openai, catalogProvider: 'cat', serves: { 'acme/mapped': 'my-upstream' } });
    const req = ask(['acme/mapped'], { routing: { strategy: 'price' } });
    expect(planOf(await estimateRun(wb.ctx, req))).toMatchObject({ primary: { provider: 'mine', model: 'acme/mapped', upstream: 'my-upstream' }, fallbacks: [] });
    const c = col(await wb.engine.compare(req));
    expect(c).toMatchObject({ status: 'ok', servedBy: { provider: 'mine', model: 'my-upstream' }, fellBack: false });
    expect(requestsFor(mock, 'my-upstream')).toHaveLength(1);
    expect(requestsFor(mock, 'cat-default')).toHaveLength(0);
  });

  it('without a mapping for that model, the catalog\'s default serves (a mapping of another model does not hide it)', async () => {
    const wb = openWorkbench({ catalog: CATALOG });
    await addProvider(wb, { id: 'plain', baseUrl: mock.baseUrls.openai, catalogProvider: 'cat', serves: { 'acme/other': 'other-upstream' } });
    const req = ask(['acme/mapped']);
    expect(planOf(await estimateRun(wb.ctx, req))).toMatchObject({ primary: { provider: 'plain', upstream: 'cat-default' }, fallbacks: [] });
    const c = col(await wb.engine.compare(req));
    expect(c).toMatchObject({ status: 'ok', servedBy: { provider: 'plain', model: 'cat-default' } });
    expect(requestsFor(mock, 'cat-default')).toHaveLength(1);
  });
});

describe('first-token timeout before response headers', () => {
  it('an upstream that never sends headers, first-token timeout 1500 ms: the attempt times out as first-token and the next endpoint serves', async () => {
    const wb = await twoEndpoints();
    mock.script('shared-east', { fault: 'hang_before_headers' });
    const result = await wb.engine.compare(ask(['acme/shared'], { routing: { strategy: 'order', order: ['east', 'west'] }, timeouts: { firstTokenMs: 1_500 } }));
    const c = col(result);
    expect(c).toMatchObject({ status: 'ok', fellBack: true, servedBy: { provider: 'west', model: 'shared-west' } });
    const hung = c.attempts[0];
    expect(hung).toMatchObject({
      provider: 'east', status: 'error', errorKind: 'timeout_first_token', httpStatus: null,
      error: expect.stringMatching(/^no first token from 127\.0\.0\.1:\d+ within 1500 ms \(no response headers\)$/),
    });
    expect(hung!.totalMs!).toBeGreaterThanOrEqual(1_500);
    // The bound; the 10 s header timeout is what it used to wait.
    expect(hung!.totalMs!).toBeLessThan(2_000);
    // A loaded machine may make west miss 1500 ms once too (then it is retried); what serves is west.
    expect(c.attempts.at(-1)).toMatchObject({ provider: 'west', status: 'ok' });
    expect(c.metrics.totalMs!).toBeLessThan(5_000);
    expect((await mock.ended(only(requestsFor(mock, 'shared-east')))).endedBy).toBe('client');
    expectPersisted(wb, result);
  });

  it('a first-token timeout longer than the connect timeout leaves the connect timeout in charge before headers', async () => {
    const wb = await twoEndpoints();
    mock.script('shared-east', { fault: 'hang_before_headers' });
    const c = col(await wb.engine.compare(ask(['east:shared-east'], { timeouts: { connectMs: 300, firstTokenMs: 5_000 } })));
    expect(c.attempts[0]).toMatchObject({ errorKind: 'timeout_connect', error: expect.stringMatching(/within 300 ms$/) });
  });
});
