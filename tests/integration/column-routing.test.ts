/**
 * A column's own routing (the window's chip menu) through the real engine, and
 * the window's target check: a real SQLite file, a catalog document of the
 * test's own, mock providers on loopback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkTargets } from '../../electron/engine/check-targets';
import { estimateRun } from '../../electron/engine/estimate';
import type { MockProviders } from '../mocks/provider-server';
import { addProvider, ask, catalogDoc, closeWorkbenches, col, openWorkbench, requestsFor, type Workbench, shareMockProviders } from './helpers';

let mock: MockProviders;

shareMockProviders((m) => (mock = m));
beforeEach(() => mock.reset());
afterEach(closeWorkbenches);

const { price, caps, provider } = catalogDoc;
const model = (id: string) => ({
  id, name: id, family: null, reasoning: null, toolCall: null, attachment: null, structuredOutput: null,
  inputModalities: ['text'], outputModalities: ['text'], contextWindow: null, maxOutput: null, releaseDate: null, openWeights: null,
});
const endpoint = (providerId: string, upstreamModel: string, modelId: string, p: ReturnType<typeof price>) => ({ providerId, upstreamModel, modelId, price: p, contextWindow: null, maxOutput: null, capabilities: caps });

/** acme/shared at east (cheaper) and west; acme/far only at a provider nobody configured. */
const CATALOG = {
  asOf: '2026-07-02',
  source: 'column routing tests',
  license: 'none',
  providers: [provider('east-cat'), provider('west-cat'), provider('far-cat', { api: 'https://api.far.example/v1', env: ['FAR_API_KEY'], protocol: 'anthropic' })],
  models: [model('acme/shared'), model('acme/far')],
  endpoints: [endpoint('east-cat', 'shared-east', 'acme/shared', price(1, 2)), endpoint('west-cat', 'shared-west', 'acme/shared', price(1.5, 3)), endpoint('far-cat', 'far-1', 'acme/far', price(1, 1))],
  overrides: [],
};

async function twoEndpoints(): Promise<Workbench> {
  const wb = openWorkbench({ catalog: CATALOG });
  await addProvider(wb, { id: 'east', baseUrl: mock.baseUrls.openai, catalogProvider: 'east-cat' });
  await addProvider(wb, { id: 'west', baseUrl: mock.baseUrls.openai, catalogProvider: 'west-cat' });
  mock.script('shared-east', { tokens: 2 });
  mock.script('shared-west', { tokens: 2 });
  return wb;
}

describe("a column's own routing", () => {
  it('overrides the run routing for that column only: in the plan, in the run, and in a retry', async () => {
    const wb = await twoEndpoints();
    // The run ranks by price (east first); the second column may only use west, and pins its first choice.
    const req = ask(['acme/shared', 'acme/shared'], { routing: { strategy: 'price' }, columnRouting: [null, { only: ['west'], noFallback: true }] });
    const est = await estimateRun(wb.ctx, req);
    expect(est.columns[0]!.plan).toMatchObject({ primary: { provider: 'east' }, fallbacks: [{ provider: 'west' }] });
    expect(est.columns[1]!.plan).toMatchObject({ primary: { provider: 'west' }, fallbacks: [] });

    const result = await wb.engine.compare(req);
    expect(col(result, 0).servedBy).toEqual({ provider: 'east', model: 'shared-east' });
    expect(col(result, 1).servedBy).toEqual({ provider: 'west', model: 'shared-west' });
    expect(requestsFor(mock, 'shared-east')).toHaveLength(1);
    expect(requestsFor(mock, 'shared-west')).toHaveLength(1);

    // The stored request keeps the override, and a retry of that column follows it again.
    const retried = await wb.engine.retryColumn(result.runId, col(result, 1).columnId);
    expect(retried.servedBy).toEqual({ provider: 'west', model: 'shared-west' });
    expect(requestsFor(mock, 'shared-west')).toHaveLength(2);
  });

  it('a column with no override follows the run routing (zdr refuses an endpoint of unknown policy for that column only)', async () => {
    const wb = await twoEndpoints();
    const est = await estimateRun(wb.ctx, ask(['acme/shared', 'acme/shared'], { columnRouting: [{ zdr: true }, null] }));
    expect(est.columns[0]!.plan?.primary).toBeNull();
    expect(est.columns[0]!.error).toMatch(/zero data retention|zdr/i);
    expect(est.columns[1]!.plan?.primary).not.toBeNull();
  });

  it('refuses a malformed override in one line', async () => {
    const wb = await twoEndpoints();
    expect(() => wb.engine.prepare(ask(['acme/shared'], { columnRouting: [{ strategy: 'fastest' as 'price' }] }))).toThrow(/strategy/);
  });
});

describe('checking targets as the window adds them', () => {
  it('says which can run, why the others cannot, and what to add or edit in the window', async () => {
    const wb = await twoEndpoints();
    await addProvider(wb, { id: 'keyed', baseUrl: mock.baseUrls.openai, keyEnv: ['MISSING_THING_API_KEY'] });
    const checks = checkTargets(['east:shared-east', 'acme/shared', 'acme/shared@west', 'nope:x', 'acme/shared@nope', 'acme/far', 'zzz/unknown', 'keyed:m', 'bad target'], {
      providers: wb.ctx.engine.providerMap(),
      catalog: wb.ctx.catalog,
      prepare: (target) => void wb.ctx.engine.prepare(ask([target])),
    });
    const by = Object.fromEntries(checks.map((c) => [c.target, c]));
    for (const t of ['east:shared-east', 'acme/shared', 'acme/shared@west']) expect(by[t], t).toEqual({ target: t, ok: true, reason: null, fix: null });
    expect(by['nope:x']).toEqual({ target: 'nope:x', ok: false, reason: 'no provider "nope" is configured', fix: { action: 'add', providerId: 'nope', type: null, baseUrl: null, keyEnv: null } });
    expect(by['acme/shared@nope']).toMatchObject({ ok: false, reason: 'no provider "nope" is configured', fix: { action: 'add', providerId: 'nope' } });
    // The catalog knows who serves it: the fix adds that provider, prefilled with its protocol, URL and key variable.
    expect(by['acme/far']).toEqual({
      target: 'acme/far',
      ok: false,
      reason: 'no configured provider serves "acme/far" (the catalog lists it at: far-cat)',
      fix: { action: 'add', providerId: 'far-cat', type: 'anthropic', baseUrl: 'https://api.far.example/v1', keyEnv: 'FAR_API_KEY' },
    });
    expect(by['zzz/unknown']).toMatchObject({ ok: false, reason: '"zzz/unknown" is not in the catalog and no configured provider serves it', fix: null });
    expect(by['keyed:m']).toMatchObject({ ok: false, reason: expect.stringMatching(/MISSING_THING_API_KEY is not set/), fix: { action: 'edit', providerId: 'keyed' } });
    expect(by['bad target']).toMatchObject({ ok: false, reason: expect.stringMatching(/spaces are not allowed/), fix: null });
    // Worded for the window: no reason sends the user to the shell.
    for (const c of checks) expect(c.reason ?? '').not.toMatch(/switchyard|--serve/);
  });
});
