/** Spend counts unpriced endpoints' tokens beside the priced ones (real engine, SQLite and HTTP mock). */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { addProvider, ask, closeWorkbenches, col, ledgerRows, openWorkbench, priceEndpoint } from './helpers';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders({ scripts: { 'm-priced': { tokens: 5 }, 'm-free': { tokens: 7 }, 'm-broken': { fault: 'server_500' } } });
});
afterAll(async () => {
  await closeWorkbenches();
  await mock.close();
});
afterEach(closeWorkbenches);

describe('unpriced spend', () => {
  it('shows the tokens of columns with no known price, marked, and adds nothing to the money', async () => {
    const wb = openWorkbench();
    await addProvider(wb, { id: 'paid', baseUrl: mock.baseUrls.openai });
    await addProvider(wb, { id: 'local', baseUrl: mock.baseUrls.anthropic, type: 'anthropic' });
    priceEndpoint(wb, 'paid', 'm-priced', 'lab/m-priced', { inputPerM: 1, outputPerM: 2 });
    const run = await wb.engine.compare(ask(['paid:m-priced', 'local:m-free', 'local:m-broken'], { routing: { noFallback: true } }));
    const [paid, free, broken] = [col(run, 0), col(run, 1), col(run, 2)];
    expect(paid.costUsd).toBeGreaterThan(0);
    expect(free).toMatchObject({ status: 'ok', costUsd: null, usage: { outputTokens: 7 } });
    expect(broken.status).toBe('error');
    // The ledger holds money only; the unpriced column is read from its own row.
    expect(ledgerRows(wb).map((r) => r.column_id)).toEqual([paid.columnId]);
    expect(wb.ctx.store.spend.spentSince(0)).toBe(paid.costUsd);

    const unpriced = { columns: 1, inputTokens: free.usage.inputTokens, outputTokens: 7 };
    expect(wb.ctx.store.spend.grouped('provider', 0)).toEqual([
      { key: 'paid', usd: paid.costUsd, runs: 1, inputTokens: paid.usage.inputTokens, outputTokens: 5 },
      { key: 'local', usd: 0, runs: 0, inputTokens: 0, outputTokens: 0, unpriced },
    ]);
    expect(wb.ctx.store.spend.grouped('model', 0).find((r) => r.key === 'local:m-free')).toEqual({ key: 'local:m-free', usd: 0, runs: 0, inputTokens: 0, outputTokens: 0, unpriced });
    const today = new Date().toISOString().slice(0, 10);
    expect(wb.ctx.store.spend.grouped('day', 0)).toEqual([{ key: today, usd: paid.costUsd, runs: 1, inputTokens: paid.usage.inputTokens, outputTokens: 5, unpriced }]);
    // Since a moment after the run: nothing, priced or not.
    expect(wb.ctx.store.spend.grouped('provider', Date.now() + 1000)).toEqual([]);
  });
});
