/**
 * Costs, the spend ledger and budgets through the real engine: catalog prices
 * on a configured provider, exact costs from reported usage, hard and soft
 * budgets before anything is sent, a hard cap crossed mid-stream, and past
 * costs that do not move when prices change.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../electron/engine/errors';
import type { Price } from '../../shared/domain';
import type { Budget } from '../../electron/store/spend-repo';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { addProvider, ask, closeWorkbenches, col, expectPersisted, ledgerRows, only, openWorkbench, priceEndpoint, requestsFor, type Workbench } from './helpers';

const TARGET = 'openai/gpt-4o-mini';

let mock: MockProviders;
let wb: Workbench;
let price: Price;

beforeAll(async () => {
  mock = await startMockProviders({ requireKey: 'sk-mock-openai-0001' });
});
afterAll(async () => {
  await closeWorkbenches();
  await mock.close();
});
beforeEach(async () => {
  mock.reset();
  wb = openWorkbench({ shippedCatalog: true, env: { OPENAI_API_KEY: 'sk-mock-openai-0001' } });
  // A user provider standing for the catalog's "openai": the catalog's endpoint (and price) routes to it.
  await addProvider(wb, { id: 'oa-mock', baseUrl: mock.baseUrls.openai, keyEnv: ['OPENAI_API_KEY'], catalogProvider: 'openai' });
  price = wb.ctx.catalog.findEndpoint('openai', 'gpt-4o-mini')!.price!;
  expect(price.inputPerM).toBeGreaterThan(0);
  expect(price.outputPerM).toBeGreaterThan(0);
});
afterEach(closeWorkbenches);

function budget(b: Partial<Budget> & Pick<Budget, 'usd' | 'hard'>): void {
  wb.ctx.store.spend.putBudget({ id: `b-${Math.random().toString(36).slice(2)}`, scope: 'all', scopeValue: '', period: 'day', warnPct: 80, ...b }, Date.now());
}

describe('costs', () => {
  it('use the endpoint price from the catalog, computed exactly from the reported usage', async () => {
    mock.script('gpt-4o-mini', { text: 'a priced answer', usage: { inputTokens: 1_200, cachedInputTokens: 200, outputTokens: 800 } });
    const result = await wb.engine.compare(ask([TARGET]));
    const c = col(result);
    expect(c).toMatchObject({ status: 'ok', servedBy: { provider: 'oa-mock', model: 'gpt-4o-mini' }, text: 'a priced answer' });
    expect(c.usage).toMatchObject({ inputTokens: 1_200, cachedInputTokens: 200, outputTokens: 800, estimated: false });
    const cacheRead = price.cacheReadPerM ?? price.inputPerM;
    const expected = (1_000 * price.inputPerM + 200 * cacheRead + 800 * price.outputPerM) / 1e6;
    expect(c.costUsd).toBeCloseTo(expected, 9);
    expect(only(ledgerRows(wb, c.columnId))).toMatchObject({ provider: 'oa-mock', model: 'gpt-4o-mini', model_id: TARGET, input_tokens: 1_200, output_tokens: 800, cost_usd: c.costUsd, estimated: 0 });
    expect(only(requestsFor(mock, 'gpt-4o-mini')).keyLast4).toBe('0001');
    expectPersisted(wb, result);
  });

  it('of a past run do not change after a price override; new runs use the new price', async () => {
    mock.script('gpt-4o-mini', { usage: { inputTokens: 10_000, outputTokens: 5_000 } });
    const before = await wb.engine.compare(ask([TARGET]));
    const oldCost = col(before).costUsd!;
    expect(oldCost).toBeCloseTo((10_000 * price.inputPerM + 5_000 * price.outputPerM) / 1e6, 9);

    wb.ctx.store.catalog.putOverride({ providerId: 'openai', upstreamModel: 'gpt-4o-mini', modelId: TARGET, price: { ...price, inputPerM: 10, outputPerM: 20, cacheReadPerM: null, tiers: [] } }, Date.now());
    wb.ctx.catalog.reloadOverrides();

    const after = await wb.engine.compare(ask([TARGET]));
    expect(col(after).costUsd).toBeCloseTo((10_000 * 10 + 5_000 * 20) / 1e6, 9);
    expect(col(wb.ctx.store.runs.getRun(before.runId)!).costUsd).toBe(oldCost);
    expect(only(ledgerRows(wb, col(before).columnId)).cost_usd).toBe(oldCost);
    expect(wb.ctx.store.spend.spentSince(0)).toBeCloseTo(oldCost + 0.2, 9);
  });

  it('spend ledger totals equal the sum of the recorded column costs, one row per priced column', async () => {
    await addProvider(wb, { id: 'house', baseUrl: mock.baseUrls.openai, keyEnv: ['OPENAI_API_KEY'], catalogProvider: 'house', serves: { 'house/model': 'house-model' } });
    priceEndpoint(wb, 'house', 'house-model', 'house/model', { inputPerM: 3, outputPerM: 7 });
    mock.script('gpt-4o-mini', { usage: { inputTokens: 2_000, outputTokens: 1_000 } });
    mock.script('house-model', { usage: { inputTokens: 100, outputTokens: 50 } });
    mock.script('unpriced', { tokens: 3 });
    mock.script('broken', { fault: 'bad_request' });

    const runs = [
      await wb.engine.compare(ask([TARGET, 'house/model', 'oa-mock:unpriced', 'oa-mock:broken'])),
      await wb.engine.compare(ask([TARGET, 'house/model'])),
    ];
    const first = runs[0]!;
    expect(first.columns.map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'error']);
    expect(col(first, 1).costUsd).toBeCloseTo((100 * 3 + 50 * 7) / 1e6, 9);
    expect(col(first, 2).costUsd).toBeNull();
    expect(col(first, 3).costUsd).toBeNull();

    const recorded = runs.flatMap((r) => wb.ctx.store.runs.getRun(r.runId)!.columns);
    const priced = recorded.filter((c) => c.costUsd !== null);
    expect(priced).toHaveLength(4);
    const rows = ledgerRows(wb);
    expect(rows.map((r) => r.column_id).sort()).toEqual(priced.map((c) => c.columnId).sort());
    for (const c of priced) expect(only(ledgerRows(wb, c.columnId)).cost_usd).toBe(c.costUsd);
    const sum = priced.reduce((s, c) => s + c.costUsd!, 0);
    expect(wb.ctx.store.spend.spentSince(0)).toBeCloseTo(sum, 12);
    expect(wb.ctx.store.spend.spentSince(0, 'provider', 'house')).toBeCloseTo(2 * (100 * 3 + 50 * 7) / 1e6, 12);
    const byProvider = wb.ctx.store.spend.grouped('provider', 0);
    expect(byProvider.reduce((s, g) => s + g.usd, 0)).toBeCloseTo(sum, 12);
    expect(wb.ctx.store.runs.listRuns({ limit: 10, offset: 0 }).reduce((s, r) => s + (r.costUsd ?? 0), 0)).toBeCloseTo(sum, 12);
  });
});

describe('budgets', () => {
  it('a hard budget refuses a run before any request reaches the provider', async () => {
    budget({ usd: 0.01, hard: true });
    // Worst case: 100,000 output tokens at the catalog's output price, far over one cent.
    const req = ask([TARGET], { params: { maxTokens: 100_000 } });
    let thrown: unknown = null;
    try {
      wb.engine.start(req);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as UserError).code).toBe('budget');
    expect((thrown as UserError).message).toMatch(/^refused by the daily overall budget of \$0\.01: worst case \$0\.06\d* exceeds the \$0\.01 left \(\$0 spent this day\)$/);
    await expect(wb.engine.compare(req)).rejects.toThrow(/daily overall budget of \$0\.01/);
    expect(mock.requests).toEqual([]);
    expect(wb.ctx.store.runs.listRuns({ limit: 10, offset: 0 })).toEqual([]);
  });

  it('a hard budget of another provider does not apply; one of this provider does', async () => {
    budget({ usd: 0.0001, hard: true, scope: 'provider', scopeValue: 'someone-else' });
    mock.script('gpt-4o-mini', { tokens: 2 });
    expect(col(await wb.engine.compare(ask([TARGET], { params: { maxTokens: 1_000 } }))).status).toBe('ok');
    budget({ usd: 0.0001, hard: true, scope: 'provider', scopeValue: 'oa-mock' });
    expect(() => wb.engine.start(ask([TARGET], { params: { maxTokens: 1_000 } }))).toThrow(/^refused by the daily provider oa-mock budget of \$0\.00/);
    expect(requestsFor(mock, 'gpt-4o-mini')).toHaveLength(1);
  });

  it('a soft budget warns and lets the run go', async () => {
    budget({ usd: 0.01, hard: false, warnPct: 50 });
    mock.script('gpt-4o-mini', { tokens: 2 });
    // Worst case 10,000 output tokens: over half of one cent at gpt-4o-mini's price.
    const { warnings, done } = wb.engine.start(ask([TARGET], { params: { maxTokens: 10_000 } }));
    expect(warnings).toEqual([expect.stringMatching(/^daily overall budget of \$0\.01: \$0 spent, up to \$0\.00\d+ more would pass 50%$/)]);
    expect(col(await done).status).toBe('ok');
    expect(requestsFor(mock, 'gpt-4o-mini')).toHaveLength(1);
  });

  it('a stream that crosses a hard cap is stopped mid-way, with its partial text and cost recorded', async () => {
    await addProvider(wb, { id: 'dear', baseUrl: mock.baseUrls.openai, keyEnv: ['OPENAI_API_KEY'], catalogProvider: 'dear', serves: { 'dear/model': 'dear-model' } });
    // $1,000 per million output tokens: the 4,096-token default worst case ($4.10) passes a $5 cap…
    priceEndpoint(wb, 'dear', 'dear-model', 'dear/model', { inputPerM: 0, outputPerM: 1_000 });
    budget({ usd: 5, hard: true });
    // …but this provider ignores the default and streams far more than that.
    const full = Array.from({ length: 4_000 }, (_, i) => `word${String(i).padStart(11, '0')}`).join(' ');
    mock.script('dear-model', { text: full });

    const result = await wb.engine.compare(ask(['dear/model']));
    const c = col(result);
    expect(c.status).toBe('incomplete');
    expect(c.error).toMatch(/stopped by the daily overall budget of \$5\.00/);
    expect(c.text.length).toBeGreaterThan(0);
    expect(c.text.length).toBeLessThan(full.length);
    expect(full.startsWith(c.text)).toBe(true);
    expect(c.attempts).toMatchObject([{ status: 'error', errorKind: 'budget', httpStatus: 200 }]);
    expect(c.usage.estimated).toBe(true);
    expect(c.costUsd).toBeCloseTo((c.usage.outputTokens! * 1_000) / 1e6, 9);
    expect(only(ledgerRows(wb, c.columnId)).cost_usd).toBe(c.costUsd);
    expect(wb.ctx.store.spend.spentSince(0)).toBe(c.costUsd);
    expectPersisted(wb, result);

    // The cap is now spent: the next run is refused before it is sent.
    const sent = mock.requests.length;
    expect(() => wb.engine.start(ask(['dear/model']))).toThrow(/refused by the daily overall budget of \$5\.00/);
    expect(mock.requests).toHaveLength(sent);
  });
});
