import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderView, TargetCheck } from '../../shared/contract';
import { createAppStore, StoreContext } from '../../renderer/store';
import { CompareView } from '../../renderer/views/CompareView';
import { ProvidersView } from '../../renderer/views/ProvidersView';
import { fakeClient, manualFrames } from './helpers';

function setup() {
  const fake = fakeClient();
  const store = createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  fake.calls.providers!.listModels!.mockResolvedValue([]);
  fake.calls.compare!.estimateRun!.mockResolvedValue({ columns: [], totalMinUsd: 0, totalMaxUsd: 0, budgetWarnings: [], blockedBy: null });
  return { fake, store };
}

const GROQ_FIX = { action: 'add' as const, providerId: 'groq', type: 'openai' as const, baseUrl: 'https://api.groq.com/openai/v1', keyEnv: 'GROQ_API_KEY' };
const ok = (target: string): TargetCheck => ({ target, ok: true, reason: null, fix: null });
const groq = (target: string): TargetCheck => ({ target, ok: false, reason: 'no provider "groq" is configured', fix: GROQ_FIX });

/** Answers each check from a table of unservable targets; every other target is servable. */
function answerChecks(fake: ReturnType<typeof fakeClient>, bad: Record<string, (t: string) => TargetCheck>) {
  fake.calls.compare!.checkTargets!.mockImplementation(async (args) => (args as { targets: string[] }).targets.map((t) => (bad[t] ? bad[t](t) : ok(t))));
}

function mount(store: ReturnType<typeof setup>['store'], view = <CompareView />) {
  return render(<StoreContext.Provider value={store}>{view}</StoreContext.Provider>);
}

afterEach(cleanup);

describe('target chips', () => {
  it('marks an unservable target as it is added, with the reason and a fix that opens the Providers form prefilled', async () => {
    const { fake, store } = setup();
    answerChecks(fake, { 'groq:llama-3.1-8b-instant': groq });
    mount(store);
    act(() => store.getState().addTarget('openai:gpt-4o-mini'));
    act(() => store.getState().addTarget('groq:llama-3.1-8b-instant'));
    const bad = await waitFor(() => {
      const chip = screen.getAllByTestId('target-chip').find((c) => c.dataset.target === 'groq:llama-3.1-8b-instant')!;
      expect(chip.dataset.unservable).toBe('true');
      return chip;
    });
    const good = screen.getAllByTestId('target-chip').find((c) => c.dataset.target === 'openai:gpt-4o-mini')!;
    expect(good.dataset.unservable).toBeUndefined();
    expect(within(bad).getByTestId('chip-reason').textContent).toContain('no provider "groq" is configured');
    // The fix is in the window, never a shell command.
    expect(bad.textContent).not.toMatch(/switchyard providers add/);
    fireEvent.click(within(bad).getByTestId('chip-fix'));
    expect(store.getState().view).toBe('providers');

    cleanup();
    fake.calls.providers!.listProviders!.mockResolvedValue([]);
    mount(store, <ProvidersView />);
    expect((await screen.findByTestId('provider-id') as HTMLInputElement).value).toBe('groq');
    expect((screen.getByTestId('provider-base-url') as HTMLInputElement).value).toBe('https://api.groq.com/openai/v1');
    // Taken once: coming back to Providers later opens no form by itself.
    expect(store.getState().providerFix).toBeNull();
  });

  it('checks each target once, and every target again when the providers change', async () => {
    const { fake, store } = setup();
    answerChecks(fake, { 'groq:x': groq });
    mount(store);
    act(() => store.getState().addTarget('groq:x'));
    await waitFor(() => expect(store.getState().targetChecks['groq:x']?.ok).toBe(false));
    act(() => store.getState().addTarget('openai:y'));
    await waitFor(() => expect(store.getState().targetChecks['openai:y']?.ok).toBe(true));
    const asked = fake.calls.compare!.checkTargets!.mock.calls.map((c) => (c[0] as { targets: string[] }).targets);
    expect(asked).toEqual([['groq:x'], ['openai:y']]);
    // A provider is added: the chip's mark goes once the engine says so.
    answerChecks(fake, {});
    const groqProvider: ProviderView = { id: 'groq', type: 'openai', baseUrl: 'https://api.groq.com/openai/v1', keys: [], serves: [] };
    act(() => store.setState({ providers: [groqProvider] }));
    await waitFor(() => expect(store.getState().targetChecks['groq:x']?.ok).toBe(true));
    expect(screen.queryByTestId('chip-reason')).toBeNull();
  });

  it('Send runs the columns that can run and says once which were left out; the message goes when its cause does', async () => {
    const { fake, store } = setup();
    answerChecks(fake, { 'groq:x': groq });
    fake.calls.compare!.startRun!.mockResolvedValue({ runId: 'r1', columns: [{ columnId: 'c1', index: 0, target: 'openai:y' }] });
    mount(store);
    act(() => {
      store.getState().setDraft({ prompt: 'hi' });
      store.getState().addTarget('openai:y');
      store.getState().addTarget('groq:x');
    });
    await waitFor(() => expect(store.getState().targetChecks['groq:x']?.ok).toBe(false));
    await act(async () => fireEvent.click(screen.getByTestId('send-button')));
    expect(fake.calls.compare!.startRun).toHaveBeenCalledTimes(1);
    expect((fake.calls.compare!.startRun!.mock.calls[0]![0] as { targets: string[] }).targets).toEqual(['openai:y']);
    expect(screen.getAllByTestId('send-left-out')).toHaveLength(1);
    expect(screen.getByTestId('send-left-out').textContent).toContain('groq:x');
    expect(screen.queryByTestId('send-error')).toBeNull();
    // The pre-flight estimated only what can run (an unservable target would fail the whole estimate).
    for (const call of fake.calls.compare!.estimateRun!.mock.calls) expect((call[0] as { targets: string[] }).targets).not.toContain('groq:x');
    // Removed: nothing is left out any more, and the message goes.
    act(() => store.getState().removeTarget('groq:x'));
    expect(screen.queryByTestId('send-left-out')).toBeNull();
  });

  it('a target the engine leaves out that no chip had marked yet (a rerun sent before its check) is said and its chip checked again', async () => {
    const { fake, store } = setup();
    // The first check predates the cause (it said ok); the engine, at send, cannot serve it.
    answerChecks(fake, {});
    fake.calls.compare!.startRun!.mockResolvedValue({ runId: 'r1', columns: [{ columnId: 'c1', index: 0, target: 'openai:y' }], leftOut: [{ target: 'groq:x', reason: 'unknown provider "groq"' }] });
    mount(store);
    act(() => store.getState().setDraft({ prompt: 'hi', targets: ['openai:y', 'groq:x'] }));
    await waitFor(() => expect(store.getState().targetChecks['groq:x']?.ok).toBe(true));
    answerChecks(fake, { 'groq:x': groq });
    await act(async () => fireEvent.click(screen.getByTestId('send-button')));
    expect((fake.calls.compare!.startRun!.mock.calls[0]![0] as { targets: string[] }).targets).toEqual(['openai:y', 'groq:x']);
    await waitFor(() => expect(screen.getByTestId('send-left-out').textContent).toContain('groq:x'));
    expect(store.getState().targetChecks['groq:x']?.ok).toBe(false);
    expect(screen.getAllByTestId('send-left-out')).toHaveLength(1);
  });

  it("an engine refusal above Send goes once the providers change (its cause may be fixed), and is said once", async () => {
    const { fake, store } = setup();
    answerChecks(fake, {});
    fake.calls.compare!.startRun!.mockRejectedValue(new Error('missing key for target "keyed:m": environment variable KEYED_API_KEY is not set (provider keyed)'));
    mount(store);
    act(() => store.getState().setDraft({ prompt: 'hi', targets: ['keyed:m'] }));
    await waitFor(() => expect(store.getState().targetChecks['keyed:m']).toBeTruthy());
    await act(async () => fireEvent.click(screen.getByTestId('send-button')));
    expect(screen.getAllByTestId('send-error')).toHaveLength(1);
    expect(screen.getByTestId('send-error').textContent).toMatch(/^missing key for target/);
    const keyed: ProviderView = { id: 'keyed', type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', keys: [{ kind: 'env', label: 'KEYED_API_KEY', set: true, last4: null }], serves: [] };
    act(() => store.setState({ providers: [keyed] }));
    await waitFor(() => expect(screen.queryByTestId('send-error')).toBeNull());
  });

  it('refuses a Send where nothing can run, in one line', async () => {
    const { fake, store } = setup();
    answerChecks(fake, { 'groq:x': groq });
    mount(store);
    act(() => {
      store.getState().setDraft({ prompt: 'hi' });
      store.getState().addTarget('groq:x');
    });
    await waitFor(() => expect(store.getState().targetChecks['groq:x']?.ok).toBe(false));
    await act(async () => fireEvent.click(screen.getByTestId('send-button')));
    expect(fake.calls.compare!.startRun).not.toHaveBeenCalled();
    expect(screen.getByTestId('send-error').textContent).toBe('none of the chosen models can run: fix or remove the marked ones');
  });
});

describe("a chip's fix in the Providers view", () => {
  it('prefills protocol, the default URL for it when the catalog has none, and the key variable', async () => {
    const { fake, store } = setup();
    fake.calls.providers!.listProviders!.mockResolvedValue([]);
    act(() => store.getState().openProviderFix({ action: 'add', providerId: 'far-cat', type: 'anthropic', baseUrl: null, keyEnv: 'FAR_API_KEY' }));
    mount(store, <ProvidersView />);
    expect(((await screen.findByTestId('provider-id')) as HTMLInputElement).value).toBe('far-cat');
    expect((screen.getByTestId('provider-type') as HTMLSelectElement).value).toBe('anthropic');
    expect((screen.getByTestId('provider-base-url') as HTMLInputElement).value).toBe('https://api.anthropic.com/v1');
    expect((screen.getByTestId('provider-api-key-env') as HTMLInputElement).value).toBe('FAR_API_KEY');
  });

  it('opens the provider to edit when the fix is to an existing one (a missing key)', async () => {
    const { fake, store } = setup();
    const keyed: ProviderView = { id: 'keyed', type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', keys: [{ kind: 'env', label: 'KEYED_API_KEY', set: false, last4: null }], serves: [] };
    act(() => store.setState({ providers: [keyed], providersLoaded: true }));
    fake.calls.providers!.listProviders!.mockResolvedValue([keyed]);
    act(() => store.getState().openProviderFix({ action: 'edit', providerId: 'keyed', type: null, baseUrl: null, keyEnv: null }));
    mount(store, <ProvidersView />);
    expect(((await screen.findByTestId('provider-base-url')) as HTMLInputElement).value).toBe('http://127.0.0.1:9/v1');
    expect(screen.getByRole('heading', { name: 'Edit keyed' })).toBeTruthy();
  });
});

describe('parameter errors', () => {
  it('marks every bad field at once, each with its own sentence, and clears each as it is fixed', async () => {
    const { fake, store } = setup();
    answerChecks(fake, {});
    mount(store);
    act(() => {
      store.getState().setRoutingOpen(true);
      store.getState().setDraft({ prompt: 'hi', targets: ['openai:y'], temperature: '3', seed: 'x', firstTokenTimeout: '0' });
      store.getState().setDraft({ routing: { ...store.getState().draft.routing, only: 'Bad Id', maxPriceIn: '2' } });
    });
    const marked = () => [...document.querySelectorAll('[aria-invalid="true"]')].map((e) => e.getAttribute('data-testid'));
    expect(marked().sort()).toEqual(['param-first-token-timeout', 'param-seed', 'param-temperature', 'routing-maxPriceOut', 'routing-only'].sort());
    for (const id of marked()) {
      const input = screen.getByTestId(id!);
      const said = document.getElementById(input.getAttribute('aria-describedby')!);
      expect(said?.textContent, id!).toBeTruthy();
    }
    expect(screen.getByTestId('param-temperature-error').textContent).toBe('temperature must be a number from 0 to 2');
    expect(screen.getByTestId('routing-maxPriceOut-error').textContent).toMatch(/set the max output price too/);
    // Send says only that fields are marked: each sentence is said once, by its field.
    await act(async () => fireEvent.click(screen.getByTestId('send-button')));
    expect(screen.getByTestId('send-error').textContent).toBe('fix the 5 marked fields first');
    expect(screen.queryByTestId('preflight-error')).toBeNull();
    expect(fake.calls.compare!.startRun).not.toHaveBeenCalled();
    fireEvent.change(screen.getByTestId('param-temperature'), { target: { value: '1' } });
    expect(screen.queryByTestId('param-temperature-error')).toBeNull();
    expect(screen.getByTestId('param-temperature').getAttribute('aria-invalid')).toBeNull();
    // Editing clears the message above Send: its count would be stale.
    expect(screen.queryByTestId('send-error')).toBeNull();
    expect(marked()).toHaveLength(4);
  });
});

describe('routing controls', () => {
  it('the Routing group and a chip menu set the request the engine gets', async () => {
    const { fake, store } = setup();
    answerChecks(fake, {});
    fake.calls.compare!.startRun!.mockResolvedValue({ runId: 'r1', columns: [] });
    mount(store);
    act(() => store.getState().setDraft({ prompt: 'hi', targets: ['openai:y', 'lab/m'] }));
    fireEvent.click(screen.getByText('Routing'));
    fireEvent.change(screen.getByTestId('routing-strategy'), { target: { value: 'price' } });
    fireEvent.change(screen.getByTestId('routing-ignore'), { target: { value: 'together' } });
    fireEvent.click(screen.getByTestId('routing-zdr'));
    const chip = screen.getAllByTestId('target-chip').find((c) => c.dataset.target === 'lab/m')!;
    fireEvent.click(within(chip).getByTestId('chip-routing'));
    fireEvent.change(within(chip).getByTestId('chip-routing-only'), { target: { value: 'groq, openai' } });
    fireEvent.click(within(chip).getByTestId('chip-routing-no-fallback'));
    expect(within(chip).getByTestId('chip-routing').getAttribute('aria-label')).toBe('routing for lab/m (2 set)');
    await act(async () => fireEvent.click(screen.getByTestId('send-button')));
    expect(fake.calls.compare!.startRun!.mock.calls[0]![0]).toMatchObject({
      targets: ['openai:y', 'lab/m'],
      routing: { strategy: 'price', ignore: ['together'], zdr: true },
      columnRouting: [null, { only: ['groq', 'openai'], noFallback: true }],
    });
  });
});

describe('side panel', () => {
  it('collapses with a toggle that says so, and the choice is a layout preference', () => {
    const { fake, store } = setup();
    answerChecks(fake, {});
    mount(store);
    const toggle = screen.getByTestId('side-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect((document.getElementById('compare-side') as HTMLElement).hidden).toBe(true);
    expect(store.getState().prefs.sideCollapsed).toBe(true);
    fireEvent.click(toggle);
    expect((document.getElementById('compare-side') as HTMLElement).hidden).toBe(false);
  });
});
