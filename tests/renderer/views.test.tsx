import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderView, Settings } from '../../shared/contract';
import { formToArgs, ProviderForm } from '../../renderer/components/ProviderForm';
import { keyStatus } from '../../renderer/components/ProviderList';
import { handleShortcut } from '../../renderer/shortcuts';
import { createAppStore, StoreContext } from '../../renderer/store';
import { ProvidersView } from '../../renderer/views/ProvidersView';
import { fakeClient, manualFrames } from './helpers';

afterEach(cleanup);

const settings = (warning: string | null): Settings => ({
  modelSets: [],
  keyStorage: { backend: 'basic_text', secure: false, warning },
  transport: 'ipc',
  version: '0.1.0',
  catalogAsOf: null,
});

function storeWith() {
  const fake = fakeClient();
  const store = createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  return { fake, store };
}

describe('providers', () => {
  it('shows key status without ever showing a key', () => {
    expect(keyStatus([])).toBe('no key');
    expect(keyStatus([{ kind: 'secret', label: 'keychain', set: true, last4: 'abcd' }])).toBe('set · …abcd (keychain)');
    expect(keyStatus([{ kind: 'env', label: 'OPENAI_API_KEY', set: false, last4: null }])).toBe('not set ($OPENAI_API_KEY)');
  });

  it('sends a key only when one was typed, and never shows the stored one', () => {
    const base = { id: ' groq ', type: 'openai' as const, baseUrl: 'https://api.groq.com/openai/v1', apiKey: '', apiKeyEnv: '', serves: [{ modelId: 'meta/llama', upstreamModel: 'llama-3' }, { modelId: '', upstreamModel: '' }] };
    expect(formToArgs({ ...base, keyMode: 'keep' })).toEqual({ id: 'groq', type: 'openai', baseUrl: base.baseUrl, serves: [{ modelId: 'meta/llama', upstreamModel: 'llama-3' }] });
    expect(formToArgs({ ...base, keyMode: 'key', apiKey: 'sk-new' }).apiKey).toBe('sk-new');
    expect(formToArgs({ ...base, keyMode: 'env', apiKeyEnv: 'GROQ_KEY' }).apiKeyEnv).toBe('GROQ_KEY');

    const existing: ProviderView = { id: 'groq', type: 'openai', baseUrl: base.baseUrl, keys: [{ kind: 'secret', label: 'keychain', set: true, last4: 'wxyz' }], serves: [] };
    render(<ProviderForm initial={existing} onSubmit={async () => null} onCancel={() => undefined} />);
    fireEvent.click(screen.getByTestId('provider-key-mode-key'));
    expect((screen.getByTestId('provider-api-key') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('provider-api-key') as HTMLInputElement).type).toBe('password');
  });

  it('prefills the base URL by type unless the user changed it', () => {
    render(<ProviderForm initial={null} onSubmit={async () => null} onCancel={() => undefined} />);
    const url = screen.getByTestId('provider-base-url') as HTMLInputElement;
    expect(url.value).toBe('https://api.openai.com/v1');
    fireEvent.change(screen.getByTestId('provider-type'), { target: { value: 'gemini' } });
    expect(url.value).toBe('https://generativelanguage.googleapis.com/v1beta');
    fireEvent.change(url, { target: { value: 'http://localhost:8080/v1' } });
    fireEvent.change(screen.getByTestId('provider-type'), { target: { value: 'anthropic' } });
    expect(url.value).toBe('http://localhost:8080/v1');
  });

  it('changing the type of a saved provider asks first, then sends replace', async () => {
    const existing: ProviderView = { id: 'groq', type: 'openai', baseUrl: 'https://api.groq.com/openai/v1', keys: [], serves: [] };
    const sent: unknown[] = [];
    render(<ProviderForm initial={existing} onSubmit={async (a) => (sent.push(a), null)} onCancel={() => undefined} />);
    expect(screen.queryByTestId('provider-type-confirm')).toBeNull();
    fireEvent.change(screen.getByTestId('provider-type'), { target: { value: 'anthropic' } });
    expect(screen.getByTestId('provider-type-confirm').textContent).toContain('Change groq from openai to anthropic');
    await act(async () => fireEvent.click(screen.getByTestId('provider-save')));
    expect(sent).toEqual([]);
    expect(screen.getByTestId('provider-type').getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(screen.getByTestId('provider-type-confirm').querySelector('input')!);
    await act(async () => fireEvent.click(screen.getByTestId('provider-save')));
    expect(sent).toEqual([expect.objectContaining({ id: 'groq', type: 'anthropic', replace: true })]);
  });

  it('warns about weak key storage in a banner', async () => {
    const { fake, store } = storeWith();
    fake.calls.settings!.getSettings!.mockResolvedValue(settings('Keys are stored with basic_text: readable by anything running as you.'));
    await act(() => store.getState().loadSettings());
    render(
      <StoreContext.Provider value={store}>
        <ProvidersView />
      </StoreContext.Provider>,
    );
    expect(screen.getByTestId('key-storage-warning').textContent).toContain('basic_text');
  });

  it('shows a provider test result inline', async () => {
    const { fake, store } = storeWith();
    fake.calls.providers!.listProviders!.mockResolvedValue([{ id: 'openai', type: 'openai', baseUrl: 'https://api.openai.com/v1', keys: [], serves: [] }]);
    fake.calls.providers!.testProvider!.mockResolvedValue({ ok: false, latencyMs: 40, models: [], error: '401 from openai: invalid API key' });
    await act(() => store.getState().loadProviders());
    render(
      <StoreContext.Provider value={store}>
        <ProvidersView />
      </StoreContext.Provider>,
    );
    await act(async () => {
      fireEvent.click(screen.getByTestId('provider-test'));
    });
    expect(screen.getByTestId('provider-test-result').textContent).toBe('401 from openai: invalid API key');
  });
});

describe('shortcuts', () => {
  const key = (init: KeyboardEventInit): KeyboardEvent => new KeyboardEvent('keydown', init);

  it('switches views with Ctrl/Cmd+1..3 and Alt+1..3', () => {
    const { store } = storeWith();
    expect(handleShortcut(key({ code: 'Digit2', key: '2', ctrlKey: true }), store)).toBe(true);
    expect(store.getState().view).toBe('history');
    handleShortcut(key({ code: 'Digit3', key: '3', metaKey: true }), store);
    expect(store.getState().view).toBe('providers');
    handleShortcut(key({ code: 'Digit1', key: '¡', altKey: true }), store);
    expect(store.getState().view).toBe('compare');
    expect(handleShortcut(key({ code: 'Digit1', key: '1' }), store)).toBe(false);
  });

  it('sends with Ctrl+Enter in the compare view, and Escape stops only a running run', async () => {
    const { fake, store } = storeWith();
    fake.calls.compare!.startRun!.mockResolvedValue({ runId: 'r1', columns: [{ columnId: 'c1', index: 0, target: 'a:b' }] });
    fake.calls.compare!.cancelRun!.mockResolvedValue({ ok: true });
    store.getState().setDraft({ prompt: 'hi', targets: ['a:b'] });
    expect(handleShortcut(key({ key: 'Enter', ctrlKey: true }), store)).toBe(true);
    await act(async () => undefined);
    expect(fake.calls.compare!.startRun).toHaveBeenCalledOnce();
    expect(handleShortcut(key({ key: 'Escape' }), store)).toBe(true);
    expect(fake.calls.compare!.cancelRun).toHaveBeenCalledWith({ runId: 'r1' });
    const consumed = key({ key: 'Escape', cancelable: true });
    consumed.preventDefault();
    expect(handleShortcut(consumed, store)).toBe(false);
  });
});
