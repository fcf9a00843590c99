/**
 * What the budgets and the ledger do that budgets.test.ts leaves out, through
 * the real engine and the loopback mock: budgets scoped by key, week and month
 * periods at their boundaries (ledger rows written through the repository with
 * past timestamps, and a fixed clock where the guard takes one), and a cost the
 * provider reports next to the one computed from the price (drift).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BudgetGuard, periodStart } from '../../electron/engine/budgets';
import type { Budget, LedgerEntry } from '../../electron/store/spend-repo';
import { columnHeader } from '../../renderer/lib/format';
import { computeCost, costDrift, isDrifted } from '../../shared/pricing';
import type { MockProviders } from '../mocks/provider-server';
import { addProvider, ask, closeWorkbenches, col, expectPersisted, ledgerRows, only, openWorkbench, priceEndpoint, requestsFor, type Workbench, shareMockProviders } from './helpers';

let mock: MockProviders;
let wb: Workbench;

shareMockProviders((m) => (mock = m));
beforeEach(async () => {
  mock.reset();
  wb = openWorkbench({ env: { KEY_A: 'sk-mock-aaaa', KEY_B: 'sk-mock-bbbb' } });
  // Two providers on the same mock, each with its own key, both priced at $1,000 per million output tokens.
  for (const [id, key] of [['pa', 'KEY_A'], ['pb', 'KEY_B']] as const) {
    await addProvider(wb, { id, baseUrl: mock.baseUrls.openai, keyEnv: [key], serves: { [`${id}/model`]: `${id}-model` } });
    priceEndpoint(wb, id, `${id}-model`, `${id}/model`, { inputPerM: 0, outputPerM: 1_000 });
  }
});
afterEach(closeWorkbenches);

function budget(b: Partial<Budget> & Pick<Budget, 'usd'>): void {
  wb.ctx.store.spend.putBudget({ id: `b-${Math.random().toString(36).slice(2)}`, scope: 'all', scopeValue: '', period: 'day', warnPct: 80, hard: true, ...b }, Date.now());
}

let spent = 0;
/** A ledger row of `usd` at `at`, through the repository, as a column finished then would have left it. */
function spentAt(at: number, usd: number, over: Partial<LedgerEntry> = {}): void {
  const id = `past-${++spent}`;
  wb.ctx.store.spend.record({
    columnId: id, runId: id, at, provider: 'pa', keyRef: 'env:KEY_A', model: 'pa-model', modelId: 'pa/model',
    inputTokens: 10, outputTokens: 10, costUsd: usd, estimated: false, ttftMs: null, totalMs: null, ...over,
  });
}

const LONG = Array.from({ length: 4_000 }, (_, i) => `word${String(i).padStart(11, '0')}`).join(' ');

describe('budgets scoped by key', () => {
  it('refuse a run through that key before sending; a run through another key goes', async () => {
    budget({ scope: 'key', scopeValue: 'env:KEY_A', usd: 0.001 });
    mock.script('pb-model', { tokens: 2 });
    // Worst case: 1,000 output tokens at $1,000 per million = $1.
    expect(() => wb.engine.start(ask(['pa/model'], { params: { maxTokens: 1_000 } }))).toThrow(/^refused by the daily key env:KEY_A budget of \$0\.001: worst case \$1\.00 exceeds/);
    expect(requestsFor(mock, 'pa-model')).toEqual([]);
    expect(col(await wb.engine.compare(ask(['pb/model'], { params: { maxTokens: 1_000 } }))).status).toBe('ok');
    expect(only(requestsFor(mock, 'pb-model')).keyLast4).toBe('bbbb');
  });

  it('stop a stream through that key that crosses the cap; the same stream through another key finishes; spend is counted per key', async () => {
    // The default 4,096-token worst case ($4.10) passes a $5 cap, but the provider streams far more.
    budget({ scope: 'key', scopeValue: 'env:KEY_A', usd: 5 });
    mock.script('pa-model', { text: LONG });
    mock.script('pb-model', { text: LONG });
    const result = await wb.engine.compare(ask(['pa/model', 'pb/model']));
    const [a, b] = [col(result, 0), col(result, 1)];
    expect(a.status).toBe('incomplete');
    expect(a.error).toMatch(/stopped by the daily key env:KEY_A budget of \$5\.00/);
    expect(a.attempts).toMatchObject([{ status: 'error', errorKind: 'budget' }]);
    expect(LONG.startsWith(a.text) && a.text.length < LONG.length).toBe(true);
    expect(b).toMatchObject({ status: 'ok', text: LONG });
    expectPersisted(wb, result);

    expect(only(ledgerRows(wb, a.columnId))).toMatchObject({ key_ref: 'env:KEY_A', cost_usd: a.costUsd });
    expect(only(ledgerRows(wb, b.columnId))).toMatchObject({ key_ref: 'env:KEY_B', cost_usd: b.costUsd });
    expect(wb.ctx.store.spend.spentSince(0, 'key', 'env:KEY_A')).toBe(a.costUsd);
    expect(wb.ctx.store.spend.spentSince(0, 'key', 'env:KEY_B')).toBe(b.costUsd);
    // Key A's cap is spent now; key B has none.
    expect(() => wb.engine.start(ask(['pa/model']))).toThrow(/refused by the daily key env:KEY_A budget/);
    mock.script('pb-model', { tokens: 2 });
    expect(col(await wb.engine.compare(ask(['pb/model']))).status).toBe('ok');
  });
});

describe('week and month periods', () => {
  // Wednesday 2026-12-02 10:00 UTC: its week began on Monday 2026-11-30, its month on 2026-12-01.
  const NOW = Date.UTC(2026, 11, 2, 10);
  const MONDAY = Date.UTC(2026, 10, 30);
  const FIRST = Date.UTC(2026, 11, 1);

  it('start on Monday 00:00 UTC and on the 1st 00:00 UTC', () => {
    expect(periodStart('week', NOW)).toBe(MONDAY);
    expect(periodStart('week', MONDAY)).toBe(MONDAY);
    expect(periodStart('week', MONDAY - 1)).toBe(Date.UTC(2026, 10, 23)); // Sunday night belongs to the week before
    expect(periodStart('week', Date.UTC(2026, 11, 6, 23, 59))).toBe(MONDAY);
    expect(periodStart('month', NOW)).toBe(FIRST);
    expect(periodStart('month', FIRST - 1)).toBe(Date.UTC(2026, 10, 1));
    expect(periodStart('month', Date.UTC(2028, 1, 29, 12))).toBe(Date.UTC(2028, 1, 1));
    expect(periodStart('day', NOW)).toBe(Date.UTC(2026, 11, 2));
  });

  for (const [period, start] of [['week', MONDAY], ['month', FIRST]] as const) {
    it(`a ${period}ly budget counts what was spent since the ${period} began, not a cent of the ${period} before`, () => {
      const guard = new BudgetGuard(wb.ctx.store, () => NOW);
      budget({ period, usd: 1 });
      const exposure = wb.engine.exposures(wb.engine.prepare(ask(['pa/model'], { params: { maxTokens: 500 } }))); // worst case $0.50 (said "$0.5")
      spentAt(start - 1, 100); // the last millisecond of the previous period
      expect(guard.evaluate(exposure).blockedBy).toBeNull();
      spentAt(start, 0.25); // its first millisecond
      expect(guard.evaluate(exposure).blockedBy).toBeNull();
      spentAt(NOW - 1, 0.3);
      expect(guard.evaluate(exposure).blockedBy).toBe(`refused by the ${period}ly overall budget of $1.00: worst case $0.5 exceeds the $0.45 left ($0.55 spent this ${period})`);
    });
  }

  it('the engine applies them on the real clock: last week\'s spend does not count, this week\'s does', async () => {
    const week = periodStart('week', Date.now());
    budget({ period: 'week', usd: 1 });
    budget({ period: 'month', usd: 1_000 });
    spentAt(week - 1, 50);
    mock.script('pa-model', { tokens: 2 });
    expect(col(await wb.engine.compare(ask(['pa/model'], { params: { maxTokens: 100 } }))).status).toBe('ok');
    spentAt(week, 0.95);
    expect(() => wb.engine.start(ask(['pa/model'], { params: { maxTokens: 100 } }))).toThrow(/^refused by the weekly overall budget of \$1\.00/);
  });
});

describe('a cost the provider reports', () => {
  it('is kept beside the computed one, with the drift between them, stored and shown', async () => {
    const usage = { inputTokens: 1_000, outputTokens: 500 };
    const computed = computeCost(usage, { inputPerM: 0, outputPerM: 1_000, cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers: [] });
    expect(computed).toBe(0.5);
    mock.script('pa-model', { usage, costUsd: 0.4 }); // OpenRouter-style usage.cost, 20% under our figure
    mock.script('pb-model', { usage, costUsd: 0.5 });
    const result = await wb.engine.compare(ask(['pa/model', 'pb/model']));
    const [drifted, agreed] = [col(result, 0), col(result, 1)];
    expect(drifted).toMatchObject({ status: 'ok', costUsd: 0.5, providerCostUsd: 0.4, costDrift: costDrift(0.5, 0.4) });
    expect(drifted.costDrift).toBeCloseTo(0.25, 9);
    expect(isDrifted(drifted.costDrift)).toBe(true);
    expect(agreed).toMatchObject({ costUsd: 0.5, providerCostUsd: 0.5, costDrift: 0 });
    expect(isDrifted(agreed.costDrift)).toBe(false);
    expectPersisted(wb, result);
    // The ledger keeps the computed figure; the column header says what the provider reported.
    expect(only(ledgerRows(wb, drifted.columnId)).cost_usd).toBe(0.5);
    expect(columnHeader(wb.ctx.store.runs.getRun(result.runId)!.columns[0]!).costNote).toBe('provider reported $0.4000 (+25.0%)');
  });

  it('with no price to compute from, is what the ledger counts', async () => {
    await addProvider(wb, { id: 'free', baseUrl: mock.baseUrls.openai, keyEnv: ['KEY_A'], serves: { 'free/model': 'free-model' } });
    mock.script('free-model', { usage: { inputTokens: 10, outputTokens: 5 }, costUsd: 0.0123 });
    const c = col(await wb.engine.compare(ask(['free/model'])));
    expect(c).toMatchObject({ status: 'ok', costUsd: null, providerCostUsd: 0.0123, costDrift: null });
    expect(only(ledgerRows(wb, c.columnId))).toMatchObject({ cost_usd: 0.0123, key_ref: 'env:KEY_A', estimated: 0 });
    expect(wb.ctx.store.spend.spentSince(0, 'key', 'env:KEY_A')).toBe(0.0123);
  });
});
