import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BudgetView, ProviderView, SpendEntry } from '../../shared/contract';
import { budgetFormToArgs, BudgetsPanel } from '../../renderer/components/BudgetsPanel';
import { topRows, usdTick } from '../../renderer/components/SpendCharts';
import { budgetProgress, budgetTitle, costPerRun, fillDays, formatUsd, keyRefOptions, scatterSeries, sinceFor } from '../../renderer/lib/spend';
import { createAppStore, StoreContext } from '../../renderer/store';
import { SpendView } from '../../renderer/views/SpendView';
import { fakeClient, manualFrames } from './helpers';

afterEach(cleanup);

function setup() {
  const fake = fakeClient();
  const store = createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  return { fake, store };
}

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 6, 10, 15, 30); // 2026-07-10 15:30 UTC

const entry = (over: Partial<SpendEntry>): SpendEntry => ({
  columnId: 'c',
  runId: 'r1',
  at: T0,
  provider: 'openai',
  model: 'gpt-4o-mini',
  modelId: 'openai/gpt-4o-mini',
  inputTokens: 10,
  outputTokens: 20,
  costUsd: 0.001,
  estimated: false,
  ttftMs: 100,
  totalMs: 900,
  ...over,
});

const budget = (over: Partial<BudgetView>): BudgetView => ({ id: 'b1', scope: 'all', scopeValue: '', period: 'day', usd: 10, warnPct: 80, hard: true, spentUsd: 0, ...over });

describe('spend shaping', () => {
  it('groups ledger rows (one per column) into runs: summed cost and tokens, distinct models, oldest first', () => {
    const runs = costPerRun([
      entry({ columnId: 'a', runId: 'r2', at: T0 + 5000, costUsd: 0.5, modelId: null, provider: 'groq', model: 'llama' }),
      entry({ columnId: 'b', runId: 'r1', at: T0 + 10, costUsd: 0.25 }),
      entry({ columnId: 'c', runId: 'r1', at: T0, costUsd: 0.125, inputTokens: null }),
      entry({ columnId: 'd', runId: 'r2', at: T0 + 6000, costUsd: 0.5, modelId: 'openai/gpt-4o' }),
    ]);
    expect(runs.map((r) => [r.runId, r.at, r.usd, r.columns])).toEqual([
      ['r1', T0, 0.375, 2],
      ['r2', T0 + 5000, 1, 2],
    ]);
    expect(runs[0]).toMatchObject({ inputTokens: 10, outputTokens: 40, models: ['openai/gpt-4o-mini'] });
    expect(runs[1]!.models).toEqual(['groq:llama', 'openai/gpt-4o']);
  });

  it('builds one scatter series per model and leaves out columns without the timing', () => {
    const series = scatterSeries(
      [
        entry({ totalMs: 1234.4, costUsd: 0.01 }),
        entry({ modelId: 'anthropic/claude', totalMs: null, ttftMs: 50 }),
        entry({ modelId: 'anthropic/claude', totalMs: 800, costUsd: 0.02, runId: 'r9' }),
      ],
      'totalMs',
    );
    expect(series).toEqual([
      { name: 'anthropic/claude', points: [{ x: 800, y: 0.02, runId: 'r9' }] },
      { name: 'openai/gpt-4o-mini', points: [{ x: 1234, y: 0.01, runId: 'r1' }] },
    ]);
    expect(scatterSeries([entry({ ttftMs: null })], 'ttftMs')).toEqual([]);
  });

  it('starts a period on a UTC midnight, today included', () => {
    expect(new Date(sinceFor('7d', T0)).toISOString()).toBe('2026-07-04T00:00:00.000Z');
    expect(new Date(sinceFor('30d', T0)).toISOString()).toBe('2026-06-11T00:00:00.000Z');
    expect(sinceFor('all', T0)).toBe(0);
  });

  it('fills days without spend with zero, from the period start (or the first spend) to today', () => {
    const row = (key: string, usd: number) => ({ key, usd, runs: 1, inputTokens: 1, outputTokens: 2 });
    const days = fillDays([row('2026-07-05', 1), row('2026-07-08', 2)], sinceFor('7d', T0), T0);
    expect(days.map((d) => [d.key, d.usd])).toEqual([
      ['2026-07-04', 0],
      ['2026-07-05', 1],
      ['2026-07-06', 0],
      ['2026-07-07', 0],
      ['2026-07-08', 2],
      ['2026-07-09', 0],
      ['2026-07-10', 0],
    ]);
    expect(fillDays([row('2026-07-09', 3)], 0, T0).map((d) => d.key)).toEqual(['2026-07-09', '2026-07-10']);
    expect(fillDays([], 0, T0)).toEqual([]);
  });

  it('sums the tail of a long ranking into one bar', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ key: `m${i}`, usd: 1, runs: 1, inputTokens: 1, outputTokens: 1 }));
    const top = topRows(rows, 10);
    expect(top).toHaveLength(10);
    expect(top[9]).toEqual({ key: '3 others', usd: 3, runs: 3, inputTokens: 3, outputTokens: 3 });
  });

  it('formats dollars at any size', () => {
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(0.00000315)).toBe('$0.00000315');
    expect(formatUsd(0)).toBe('$0');
    // Axis ticks stay short enough for the axis.
    expect([0, 0.000026, 0.05, 0.5, 1.5, 250].map(usdTick)).toEqual(['$0', '$0.000026', '$0.05', '$0.50', '$1.50', '$250']);
  });
});

describe('budget maths', () => {
  it('is ok below the warn line, warns at it, and is over at the cap', () => {
    expect(budgetProgress(budget({ spentUsd: 2 }))).toEqual({ pct: 20, barPct: 20, state: 'ok', leftUsd: 8 });
    expect(budgetProgress(budget({ spentUsd: 8 })).state).toBe('warn');
    expect(budgetProgress(budget({ spentUsd: 7.99 })).state).toBe('ok');
    expect(budgetProgress(budget({ spentUsd: 10 })).state).toBe('over');
    const over = budgetProgress(budget({ spentUsd: 15 }));
    expect(over).toMatchObject({ pct: 150, barPct: 100, state: 'over', leftUsd: 0 });
    expect(budgetProgress(budget({ spentUsd: 1, warnPct: 5 })).state).toBe('warn');
  });

  it('treats a $0 cap as reached only once something was spent', () => {
    expect(budgetProgress(budget({ usd: 0, spentUsd: 0 }))).toMatchObject({ pct: 0, state: 'ok' });
    expect(budgetProgress(budget({ usd: 0, spentUsd: 0.01 }))).toMatchObject({ barPct: 100, state: 'over' });
  });

  it('names budgets the way the engine does and offers the keys it can scope to', () => {
    expect(budgetTitle(budget({}))).toBe('Daily · overall');
    expect(budgetTitle(budget({ scope: 'provider', scopeValue: 'openai', period: 'month' }))).toBe('Monthly · provider openai');
    const providers: ProviderView[] = [
      { id: 'openai', type: 'openai', baseUrl: 'https://x', keys: [{ kind: 'env', label: 'OPENAI_API_KEY', set: true, last4: null }], serves: [] },
      { id: 'groq', type: 'openai', baseUrl: 'https://y', keys: [{ kind: 'secret', label: 'keychain', set: true, last4: 'wxyz' }], serves: [] },
    ];
    expect(keyRefOptions(providers)).toEqual([
      { value: 'env:OPENAI_API_KEY', label: '$OPENAI_API_KEY (openai)' },
      { value: 'key:groq', label: 'groq keychain key …wxyz' },
    ]);
  });

  it('checks the add-budget form before sending it', () => {
    const base = { scope: 'all' as const, scopeValue: 'ignored', period: 'week' as const, usd: '5', warnPct: '', hard: false };
    expect(budgetFormToArgs(base)).toEqual({ ok: true, args: { scope: 'all', scopeValue: '', period: 'week', usd: 5, warnPct: 80, hard: false } });
    expect(budgetFormToArgs({ ...base, usd: '' })).toMatchObject({ ok: false });
    expect(budgetFormToArgs({ ...base, usd: '-1' })).toMatchObject({ ok: false });
    expect(budgetFormToArgs({ ...base, warnPct: '150' })).toMatchObject({ ok: false, error: expect.stringContaining('1 to 100') });
    expect(budgetFormToArgs({ ...base, scope: 'provider', scopeValue: '' })).toEqual({ ok: false, error: 'pick the provider this budget applies to' });
  });
});

describe('budgets panel', () => {
  it('shows spent against the cap with a warn colour, and adds and removes budgets', async () => {
    const onSave = vi.fn(async () => null);
    const onRemove = vi.fn();
    render(<BudgetsPanel budgets={[budget({ id: 'b1', spentUsd: 9 }), budget({ id: 'b2', scope: 'provider', scopeValue: 'openai', hard: false, spentUsd: 1 })]} loaded error={null} providers={[]} onSave={onSave} onRemove={onRemove} />);
    const rows = screen.getAllByTestId('budget-row');
    expect(rows.map((r) => r.dataset.state)).toEqual(['warn', 'ok']);
    expect(rows[0]!.querySelector('[role="progressbar"]')!.getAttribute('aria-valuenow')).toBe('90');
    expect(rows[0]!.textContent).toContain('$9.00 of $10.00');
    expect(rows[0]!.textContent).toContain('hard stop');
    expect(rows[1]!.textContent).toContain('soft');

    fireEvent.change(screen.getByTestId('budget-usd'), { target: { value: '0.5' } });
    fireEvent.change(screen.getByTestId('budget-period'), { target: { value: 'month' } });
    await act(async () => fireEvent.click(screen.getByTestId('budget-save')));
    expect(onSave).toHaveBeenCalledWith({ scope: 'all', scopeValue: '', period: 'month', usd: 0.5, warnPct: 80, hard: true });

    fireEvent.click(screen.getAllByTestId('budget-remove')[1]!);
    fireEvent.click(screen.getByTestId('budget-remove-confirm'));
    expect(onRemove).toHaveBeenCalledWith('b2');
  });

  it('shows the engine refusal of a budget in the form', async () => {
    render(<BudgetsPanel budgets={[]} loaded error={null} providers={[]} onSave={async () => 'usd: too big'} onRemove={() => undefined} />);
    expect(screen.getByTestId('budgets-empty').textContent).toMatch(/hard one refuses/);
    fireEvent.change(screen.getByTestId('budget-usd'), { target: { value: '5' } });
    await act(async () => fireEvent.click(screen.getByTestId('budget-save')));
    expect(screen.getByTestId('budget-error').textContent).toBe('usd: too big');
  });
});

describe('spend slice and view', () => {
  it('asks the engine for the period by day, provider and model plus ledger rows; a new budget re-runs the pre-flight', async () => {
    const { fake, store } = setup();
    const summary = { totalUsd: 0.375, rows: [{ key: '2026-07-10', usd: 0.375, runs: 1, inputTokens: 20, outputTokens: 40 }] };
    fake.calls.spend!.getSummary!.mockResolvedValue(summary);
    fake.calls.spend!.listEntries!.mockResolvedValue([entry({ costUsd: 0.25 }), entry({ columnId: 'x', costUsd: 0.125 })]);
    fake.calls.spend!.listBudgets!.mockResolvedValue([]);
    fake.calls.spend!.saveBudget!.mockResolvedValue(budget({}));
    await store.getState().loadSpend();
    const bys = fake.calls.spend!.getSummary!.mock.calls.map((c) => (c[0] as { by: string }).by);
    expect(bys.sort()).toEqual(['day', 'model', 'provider']);
    const since = (fake.calls.spend!.getSummary!.mock.calls[0]![0] as { sinceMs: number }).sinceMs;
    expect(since % DAY).toBe(0);
    expect(store.getState().spend).toMatchObject({ totalUsd: 0.375, entries: [{ costUsd: 0.25 }, { costUsd: 0.125 }] });

    const schedule = vi.spyOn(store.getState(), 'schedulePreflight');
    store.setState({ schedulePreflight: schedule });
    expect(await store.getState().saveBudget({ scope: 'all', period: 'day', usd: 1 })).toBeNull();
    expect(fake.calls.spend!.listBudgets).toHaveBeenCalled();
    expect(schedule).toHaveBeenCalled();
  });

  it('says what to do when nothing was spent in the period', async () => {
    const { fake, store } = setup();
    fake.calls.spend!.getSummary!.mockResolvedValue({ totalUsd: 0, rows: [] });
    fake.calls.spend!.listEntries!.mockResolvedValue([]);
    fake.calls.spend!.listBudgets!.mockResolvedValue([]);
    render(
      <StoreContext.Provider value={store}>
        <SpendView />
      </StoreContext.Provider>,
    );
    expect(await screen.findByTestId('spend-empty')).toBeTruthy();
    expect(screen.getByTestId('spend-empty').textContent).toMatch(/run a compare/);
    expect(screen.getByTestId('spend-total').textContent).toBe('$0');
    expect((screen.getByTestId('spend-export') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('spend-period-7d'));
    await act(async () => undefined);
    expect(store.getState().spendPeriod).toBe('7d');
    expect(fake.calls.spend!.getSummary!.mock.calls.length).toBe(6);
  });
});

describe('unpriced usage', () => {
  it('is counted beside the spend, marked unpriced, not shown as "no spend"', async () => {
    const { fake, store } = setup();
    const local = { key: 'ollama', usd: 0, runs: 0, inputTokens: 0, outputTokens: 0, unpriced: { columns: 3, inputTokens: 1200, outputTokens: 3400 } };
    fake.calls.spend!.getSummary!.mockImplementation(async (args) =>
      (args as { by: string }).by === 'provider'
        ? { totalUsd: 0.25, rows: [{ key: 'openai', usd: 0.25, runs: 1, inputTokens: 10, outputTokens: 20 }, local] }
        : { totalUsd: 0.25, rows: [] },
    );
    fake.calls.spend!.listEntries!.mockResolvedValue([]);
    fake.calls.spend!.listBudgets!.mockResolvedValue([]);
    render(
      <StoreContext.Provider value={store}>
        <SpendView />
      </StoreContext.Provider>,
    );
    expect((await screen.findByTestId('spend-unpriced')).textContent).toContain('plus 3 unpriced columns');
    const rows = screen.getAllByTestId('unpriced-row');
    expect(rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))).toEqual([['ollama', '3', '1,200', '3,400', 'unpriced']]);
    expect(screen.queryByTestId('spend-empty')).toBeNull();
  });

  it('folds into "others" with the rest, tokens summed', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ key: `m${i}`, usd: 1, runs: 1, inputTokens: 1, outputTokens: 1, ...(i > 9 ? { unpriced: { columns: 1, inputTokens: 5, outputTokens: 7 } } : {}) }));
    expect(topRows(rows)[9]).toEqual({ key: '3 others', usd: 3, runs: 3, inputTokens: 3, outputTokens: 3, unpriced: { columns: 2, inputTokens: 10, outputTokens: 14 } });
  });
});
