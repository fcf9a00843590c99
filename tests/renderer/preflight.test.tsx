import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Estimate } from '../../shared/contract';
import { PreflightPanel, totalText } from '../../renderer/components/PreflightPanel';
import { createAppStore, StoreContext } from '../../renderer/store';
import { PREFLIGHT_DEBOUNCE_MS } from '../../renderer/store/preflightSlice';
import { CompareView } from '../../renderer/views/CompareView';
import { fakeClient, manualFrames } from './helpers';

function setup() {
  const fake = fakeClient();
  const store = createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  return { fake, store };
}

const column = (over: Partial<Estimate['columns'][number]> = {}): Estimate['columns'][number] => ({
  target: 'openai/gpt-4o-mini',
  endpointId: 'openai:gpt-4o-mini',
  provider: 'openai',
  inputTokens: 12,
  inputTokensUpperBound: false,
  inputCostUsd: 0.0000018,
  maxOutputTokens: 1000,
  maxOutputCostUsd: 0.0006,
  jurisdiction: 'US',
  retainsPrompts: true,
  trainsOnData: false,
  zdrAvailable: null,
  error: null,
  ...over,
});

const estimate = (over: Partial<Estimate> = {}): Estimate => ({ columns: [column()], totalMinUsd: 0.0000018, totalMaxUsd: 0.0006018, upperBound: false, budgetWarnings: [], blockedBy: null, ...over });

const BLOCK = 'refused by the daily overall budget of $0.00001: worst case $0.000602 exceeds the $0.00001 left ($0 spent this day)';

describe('pre-flight slice', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('estimates once, 300 ms after the last edit, with the draft as a request', async () => {
    const { fake, store } = setup();
    const est = fake.calls.compare!.estimateRun!.mockResolvedValue(estimate());
    const s = () => store.getState();
    s().setDraft({ prompt: 'Hello', targets: ['openai/gpt-4o-mini'] });
    s().schedulePreflight();
    vi.advanceTimersByTime(200);
    s().setDraft({ prompt: 'Hello there', maxTokens: '1000' });
    s().schedulePreflight();
    vi.advanceTimersByTime(PREFLIGHT_DEBOUNCE_MS - 1);
    expect(est).not.toHaveBeenCalled();
    await act(async () => vi.advanceTimersByTime(1));
    expect(est).toHaveBeenCalledTimes(1);
    expect(est.mock.calls[0]![0]).toMatchObject({ messages: [{ role: 'user', content: 'Hello there' }], targets: ['openai/gpt-4o-mini'], params: { maxTokens: 1000 } });
    expect(s().preflight?.totalMaxUsd).toBeCloseTo(0.0006018);
    expect(s().preflightPending).toBe(false);
  });

  it('asks nothing without a prompt or a target, and clears an old estimate at once', async () => {
    const { fake, store } = setup();
    fake.calls.compare!.estimateRun!.mockResolvedValue(estimate());
    const s = () => store.getState();
    s().setDraft({ prompt: 'Hi', targets: [] });
    s().schedulePreflight();
    s().setDraft({ prompt: '   ', targets: ['a/b'] });
    s().schedulePreflight();
    await act(async () => vi.advanceTimersByTime(1000));
    expect(fake.calls.compare!.estimateRun).not.toHaveBeenCalled();

    s().setDraft({ prompt: 'Hi' });
    s().schedulePreflight();
    await act(async () => vi.advanceTimersByTime(PREFLIGHT_DEBOUNCE_MS));
    expect(s().preflight).not.toBeNull();
    s().removeTarget('a/b');
    s().schedulePreflight();
    expect(s().preflight).toBeNull();
  });

  it('keeps only the newest answer when replies overtake each other', async () => {
    const { fake, store } = setup();
    const replies: Array<(e: Estimate) => void> = [];
    fake.calls.compare!.estimateRun!.mockImplementation(() => new Promise((r) => replies.push(r as (e: unknown) => void)));
    const s = () => store.getState();
    s().setDraft({ prompt: 'one', targets: ['x/y'] });
    const first = s().runPreflight();
    s().setDraft({ prompt: 'two' });
    const second = s().runPreflight();
    replies[1]!(estimate({ totalMaxUsd: 2 }));
    await second;
    replies[0]!(estimate({ totalMaxUsd: 1 }));
    await first;
    expect(s().preflight?.totalMaxUsd).toBe(2);
  });

  it('drops the reply for a draft edited while it was on its way, before the next estimate is even sent', async () => {
    const { fake, store } = setup();
    const replies: Array<(e: Estimate) => void> = [];
    fake.calls.compare!.estimateRun!.mockImplementation(() => new Promise((r) => replies.push(r as (e: unknown) => void)));
    const s = () => store.getState();
    s().setDraft({ prompt: 'one', targets: ['x/y'] });
    const first = s().runPreflight();
    s().setDraft({ prompt: 'one two' });
    s().schedulePreflight();
    replies[0]!(estimate({ totalMaxUsd: 1 }));
    await first;
    expect(s().preflight).toBeNull();
    await act(async () => vi.advanceTimersByTime(PREFLIGHT_DEBOUNCE_MS));
    expect(fake.calls.compare!.estimateRun).toHaveBeenCalledTimes(2);
    replies[1]!(estimate({ totalMaxUsd: 2 }));
    await act(async () => undefined);
    expect(s().preflight?.totalMaxUsd).toBe(2);
  });

  it('turns an estimate failure (unknown model) into one line, and leaves a bad parameter to its marked field', async () => {
    const { fake, store } = setup();
    fake.calls.compare!.estimateRun!.mockRejectedValue(new Error('unknown model "nope/zzz" in target "nope/zzz": not in the catalog'));
    const s = () => store.getState();
    s().setDraft({ prompt: 'Hi', targets: ['nope/zzz'] });
    await s().runPreflight();
    expect(s().preflight).toBeNull();
    expect(s().preflightError).toMatch(/^unknown model "nope\/zzz"/);
    s().setDraft({ temperature: '9' });
    await s().runPreflight();
    // The marked field says it; the panel does not say it a second time, and nothing is estimated.
    expect(s().preflightError).toBeNull();
    expect(s().preflight).toBeNull();
    expect(fake.calls.compare!.estimateRun).toHaveBeenCalledTimes(1);
  });
});

describe('pre-flight panel', () => {
  afterEach(cleanup);

  it('shows each target with tokens, costs and data policy, unknown as unknown', () => {
    render(<PreflightPanel estimate={estimate({ columns: [column(), column({ target: 'x:y', endpointId: 'x:y', inputCostUsd: null, maxOutputCostUsd: null, jurisdiction: null, retainsPrompts: null, trainsOnData: null })] })} error={null} pending={false} />);
    const [a, b] = screen.getAllByTestId('preflight-column') as [HTMLElement, HTMLElement];
    expect(a.textContent).toContain('→ openai:gpt-4o-mini');
    expect(a.textContent).toContain('12 tok');
    expect(a.textContent).toContain('in $0.0000018');
    expect(a.textContent).toContain('out ≤ $0.0006');
    expect(a.textContent).toMatch(/where US.*retains yes.*trains no.*ZDR unknown/);
    // A direct target needs no arrow to itself.
    expect(b.textContent).not.toContain('→');
    expect(b.textContent).toMatch(/in unknown.*out ≤ unknown/);
    expect(b.textContent).toContain('data policy unknown');
    // One column has no price: the total is a lower bound and says so.
    expect(screen.getByTestId('preflight-total').textContent).toBe('$0.0000018 – $0.000602 + 1 unpriced');
    expect(totalText(estimate())).toBe('$0.0000018 – $0.000602');
    expect(totalText(estimate({ columns: [column({ inputCostUsd: null, maxOutputCostUsd: null })], totalMinUsd: 0, totalMaxUsd: 0 }))).toBe('price unknown');
    // Partly known policy: each fact on its own, unknown as unknown.
    render(<PreflightPanel estimate={estimate({ columns: [column({ zdrAvailable: null, trainsOnData: null })] })} error={null} pending={false} />);
    expect(screen.getAllByTestId('preflight-column')[2]!.textContent).toMatch(/where US.*retains yes.*trains unknown.*ZDR unknown/);
    expect(screen.queryByTestId('preflight-blocked')).toBeNull();
  });

  it('shows each column\'s planned endpoint and its fallbacks in the order the send will try them', () => {
    const plan = {
      id: 'p1',
      primary: { provider: 'openai', model: 'openai/gpt-4o-mini', upstream: 'gpt-4o-mini' },
      fallbacks: [
        { provider: 'azure', model: 'openai/gpt-4o-mini', upstream: 'gpt-4o-mini-eu' },
        { provider: 'openrouter', model: 'openai/gpt-4o-mini', upstream: 'openai/gpt-4o-mini', circuitOpen: true },
      ],
    };
    render(<PreflightPanel estimate={estimate({ columns: [column({ plan }), column({ target: 'x:y', endpointId: 'x:y', plan: { id: 'p2', primary: { provider: 'x', model: 'y', upstream: 'y' }, fallbacks: [] } })] })} error={null} pending={false} />);
    const [a, b] = screen.getAllByTestId('preflight-column') as [HTMLElement, HTMLElement];
    expect(a.querySelector('[data-testid="preflight-primary"]')!.textContent).toBe('→ openai:gpt-4o-mini');
    expect(a.querySelector('[data-testid="preflight-fallbacks"]')!.textContent).toBe('thenazure:gpt-4o-mini-eu, openrouter:openai/gpt-4o-mini (circuit open)');
    // No fallbacks: no line for them.
    expect(b.querySelector('[data-testid="preflight-fallbacks"]')).toBeNull();
  });

  it('says "at most" when the tokens are only an upper bound', () => {
    render(<PreflightPanel estimate={estimate({ columns: [column({ inputTokens: 1000003, inputTokensUpperBound: true })], upperBound: true })} error={null} pending={false} />);
    expect(screen.getByTestId('preflight-column').textContent).toContain('at most 1,000,003 tok');
    expect(screen.getByTestId('preflight-total').textContent).toBe('at most $0.0000018 – $0.000602');
    cleanup();
    render(<PreflightPanel estimate={estimate()} error={null} pending={false} />);
    expect(screen.getByTestId('preflight-column').textContent).not.toContain('at most');
  });

  it('shows budget warnings and a per-target refusal inline', () => {
    render(<PreflightPanel estimate={estimate({ columns: [column({ error: 'no endpoint satisfies zdr' })], budgetWarnings: ['weekly overall budget of $5: $4.50 spent'] })} error={null} pending={false} />);
    expect(screen.getByTestId('preflight-warning').textContent).toContain('weekly overall budget');
    expect(screen.getByTestId('preflight-column').textContent).toContain('no endpoint satisfies zdr');
  });
});

describe('compare view with the pre-flight', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('disables Send while a hard budget blocks, naming the budget, and lifts it when the estimate clears', async () => {
    const { fake, store } = setup();
    fake.calls.compare!.estimateRun!.mockResolvedValue(estimate({ blockedBy: BLOCK }));
    store.getState().setDraft({ prompt: 'Hello', targets: ['openai/gpt-4o-mini'] });
    render(
      <StoreContext.Provider value={store}>
        <CompareView />
      </StoreContext.Provider>,
    );
    const send = screen.getByTestId('send-button');
    expect(send.getAttribute('aria-disabled')).toBeNull();
    await act(async () => vi.advanceTimersByTime(PREFLIGHT_DEBOUNCE_MS));
    const blocked = screen.getByTestId('preflight-blocked');
    expect(blocked.textContent).toContain('daily overall budget of $0.00001');
    expect(send.getAttribute('aria-disabled')).toBe('true');
    expect(send.getAttribute('aria-describedby')).toBe(blocked.id);
    // Said beside Send too, where it stays in view however long the pre-flight list is.
    expect(screen.getByTestId('send-blocked').textContent).toContain('daily overall budget of $0.00001');
    expect(send.title).toContain('daily overall budget');
    // Focusable for the keyboard, but a press does nothing.
    fireEvent.click(send);
    expect(fake.calls.compare!.startRun).not.toHaveBeenCalled();

    fake.calls.compare!.estimateRun!.mockResolvedValue(estimate());
    await act(async () => store.getState().setDraft({ prompt: 'Hello again' }));
    await act(async () => vi.advanceTimersByTime(PREFLIGHT_DEBOUNCE_MS));
    expect(screen.queryByTestId('preflight-blocked')).toBeNull();
    expect(send.getAttribute('aria-disabled')).toBeNull();
  });

  it('Send carries the first-token timeout and the plan ids the panel shows, and no plan ids once the draft moved on', async () => {
    const { fake, store } = setup();
    const plan = { id: 'plan-abc', primary: { provider: 'openai', model: 'openai/gpt-4o-mini', upstream: 'gpt-4o-mini' }, fallbacks: [] };
    fake.calls.compare!.estimateRun!.mockResolvedValue(estimate({ columns: [column({ plan })] }));
    fake.calls.compare!.startRun!.mockResolvedValue({ runId: 'r1', columns: [{ columnId: 'c1', index: 0, target: 'openai/gpt-4o-mini' }] });
    store.getState().setDraft({ prompt: 'Hello', targets: ['openai/gpt-4o-mini'] });
    render(
      <StoreContext.Provider value={store}>
        <CompareView />
      </StoreContext.Provider>,
    );
    fireEvent.change(screen.getByTestId('param-first-token-timeout'), { target: { value: '1500' } });
    await act(async () => vi.advanceTimersByTime(PREFLIGHT_DEBOUNCE_MS));
    expect(fake.calls.compare!.estimateRun!.mock.calls.at(-1)![0]).toMatchObject({ timeouts: { firstTokenMs: 1500 } });
    await act(async () => fireEvent.click(screen.getByTestId('send-button')));
    expect(fake.calls.compare!.startRun!.mock.calls[0]![0]).toMatchObject({ timeouts: { firstTokenMs: 1500 }, plans: ['plan-abc'] });

    // Edited after the estimate (and sent before the next one): what the panel shows is not this request's plan.
    const other = setup();
    other.fake.calls.compare!.estimateRun!.mockResolvedValue(estimate({ columns: [column({ plan })] }));
    other.fake.calls.compare!.startRun!.mockResolvedValue({ runId: 'r2', columns: [{ columnId: 'c2', index: 0, target: 'openai/gpt-4o-mini' }] });
    other.store.getState().setDraft({ prompt: 'Hello', targets: ['openai/gpt-4o-mini'] });
    await act(async () => other.store.getState().runPreflight());
    expect(other.store.getState().preflight?.columns[0]?.plan?.id).toBe('plan-abc');
    other.store.getState().setDraft({ prompt: 'Hello, changed' });
    await act(async () => other.store.getState().send());
    expect(other.fake.calls.compare!.startRun!.mock.calls[0]![0]).toMatchObject({ messages: [{ content: 'Hello, changed' }] });
    expect(other.fake.calls.compare!.startRun!.mock.calls[0]![0]).not.toHaveProperty('plans');
  });

  it('an estimate error stays one line in the sidebar and the editor keeps working', async () => {
    const { fake, store } = setup();
    fake.calls.compare!.estimateRun!.mockRejectedValue(new Error('unknown model "nope/zzz"'));
    store.getState().setDraft({ prompt: 'Hello', targets: ['nope/zzz'] });
    render(
      <StoreContext.Provider value={store}>
        <CompareView />
      </StoreContext.Provider>,
    );
    await act(async () => vi.advanceTimersByTime(PREFLIGHT_DEBOUNCE_MS));
    expect(screen.getByTestId('preflight-error').textContent).toBe('unknown model "nope/zzz"');
    expect(screen.getByTestId('send-button').getAttribute('aria-disabled')).toBeNull();
    expect((screen.getByTestId('prompt-user') as HTMLTextAreaElement).value).toBe('Hello');
  });
});
