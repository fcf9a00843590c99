import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContractClient, ProviderView, Settings } from '../../shared/contract';
import { ProviderForm } from '../../renderer/components/ProviderForm';
import { createAppStore, StoreContext, type AppStore } from '../../renderer/store';
import { buildClient } from '../../renderer/transport/build';
import { ProvidersView } from '../../renderer/views/ProvidersView';
import { fakeClient, manualFrames } from './helpers';

afterEach(cleanup);

const mock: ProviderView = { id: 'mock', type: 'openai', baseUrl: 'http://127.0.0.1:9000/v1', keys: [{ kind: 'env', label: 'MOCK_KEY', set: true, last4: null }], serves: [] };
const keychain: Settings['keyStorage'] = { backend: 'keychain', secure: true, warning: null };
const envOnly: Settings['keyStorage'] = { backend: 'env-only', secure: true, warning: null };
const settings = (keyStorage: Settings['keyStorage']): Settings => ({ modelSets: [], keyStorage, transport: 'http', version: '0.1.0', catalogAsOf: null });
const noStorage = { getItem: () => null, setItem: () => undefined, removeItem: () => undefined };

/** The store over a fake client, already holding `providers` and the given key storage. */
async function setup(keyStorage = keychain, providers: ProviderView[] = [mock]) {
  const fake = fakeClient();
  const store = createAppStore({ client: fake.client, frames: manualFrames() }, noStorage);
  fake.calls.providers!.listProviders!.mockResolvedValue(providers);
  fake.calls.providers!.listModels!.mockResolvedValue([]);
  fake.calls.settings!.getSettings!.mockResolvedValue(settings(keyStorage));
  await act(() => Promise.all([store.getState().loadProviders(), store.getState().loadSettings()]));
  return { fake, store, save: fake.calls.providers!.saveProvider!, test: fake.calls.providers!.testProvider! };
}

function show(store: AppStore) {
  render(
    <StoreContext.Provider value={store}>
      <ProvidersView />
    </StoreContext.Provider>,
  );
}

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const save = () => act(async () => void fireEvent.click(screen.getByTestId('provider-save')));
const formError = () => screen.queryByTestId('provider-form-error')?.textContent ?? null;

describe('adding a provider', () => {
  it('refuses an id that already exists instead of overwriting it', async () => {
    const { store, save: saveCall } = await setup();
    show(store);
    fireEvent.click(screen.getByTestId('provider-add'));
    type('provider-id', 'mock');
    fireEvent.click(screen.getByTestId('provider-key-mode-none'));
    await save();
    expect(formError()).toBe('a provider with id "mock" already exists: edit it instead');
    expect(saveCall).not.toHaveBeenCalled();
    expect(input('provider-id').getAttribute('aria-invalid')).toBe('true');
  });

  it('still saves an existing provider from its edit form', async () => {
    const { store, save: saveCall } = await setup();
    saveCall.mockImplementation(async (args) => ({ ...mock, ...(args as object) }));
    show(store);
    fireEvent.click(screen.getByTestId('provider-edit'));
    type('provider-base-url', 'http://127.0.0.1:9001/v1');
    await save();
    expect(formError()).toBeNull();
    expect(saveCall).toHaveBeenCalledWith(expect.objectContaining({ id: 'mock', baseUrl: 'http://127.0.0.1:9001/v1' }));
    expect(screen.queryByTestId('provider-form')).toBeNull();
  });
});

describe('where the key comes from', () => {
  it('defaults to an environment variable, and explains why, where keys cannot be stored', async () => {
    const { store } = await setup(envOnly);
    show(store);
    fireEvent.click(screen.getByTestId('provider-add'));
    expect(input('provider-key-mode-env').checked).toBe(true);
    expect(input('provider-key-mode-key').disabled).toBe(true);
    const note = screen.getByTestId('provider-key-note');
    expect(note.textContent).toContain('no keychain');
    expect(input('provider-key-mode-key').getAttribute('aria-describedby')).toBe(note.id);
  });

  it('defaults to pasting a key in the desktop app', async () => {
    const { store } = await setup(keychain);
    show(store);
    fireEvent.click(screen.getByTestId('provider-add'));
    expect(input('provider-key-mode-key').checked).toBe(true);
    expect(input('provider-key-mode-key').disabled).toBe(false);
    expect(screen.queryByTestId('provider-key-note')).toBeNull();
  });

  it('asks for the variable name instead of saving a provider without a key', async () => {
    const { store, save: saveCall } = await setup(envOnly, []);
    saveCall.mockImplementation(async (args) => ({ ...mock, ...(args as object), keys: [] }));
    show(store);
    fireEvent.click(screen.getByTestId('provider-add'));
    type('provider-id', 'local');
    await save();
    expect(formError()).toBe('name the environment variable that holds the key');
    expect(input('provider-api-key-env').getAttribute('aria-invalid')).toBe('true');
    expect(saveCall).not.toHaveBeenCalled();
    // A keyless provider (a local Ollama) is still possible, but only on purpose.
    fireEvent.click(screen.getByTestId('provider-key-mode-none'));
    expect(formError()).toBeNull();
    await save();
    expect(saveCall).toHaveBeenCalledWith({ id: 'local', type: 'openai', baseUrl: 'https://api.openai.com/v1', serves: [] });
  });
});

describe('test results', () => {
  it('replaces a provider’s test result once it is edited: the old one never shows beside the new settings', async () => {
    const { store, save: saveCall, test } = await setup();
    test.mockResolvedValueOnce({ ok: true, latencyMs: 7, models: ['a', 'b'], error: null });
    saveCall.mockImplementation(async (args) => ({ ...mock, ...(args as object) }));
    show(store);
    await act(async () => void fireEvent.click(screen.getByTestId('provider-test')));
    expect(screen.getByTestId('provider-test-result').textContent).toBe('ok · 7 ms · 2 models');

    // Saving tests the new settings at once; until that answers, no result is shown.
    let answer: (r: unknown) => void = () => undefined;
    test.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    fireEvent.click(screen.getByTestId('provider-edit'));
    type('provider-base-url', 'http://127.0.0.1:9001/v1');
    await save();
    expect(test).toHaveBeenCalledTimes(2);
    expect(screen.queryByText('ok · 7 ms · 2 models')).toBeNull();
    await act(async () => answer({ ok: false, latencyMs: 3, models: [], error: 'cannot reach mock at 127.0.0.1:9001: connect ECONNREFUSED' }));
    expect(screen.getByTestId('provider-test-result').textContent).toContain('ECONNREFUSED');
  });

  it('drops a test still in flight when its provider is saved or removed', async () => {
    const { store, save: saveCall, test, fake } = await setup();
    saveCall.mockResolvedValue(mock);
    fake.calls.providers!.removeProvider!.mockResolvedValue({ ok: true });
    let finishOld: (r: unknown) => void = () => undefined;
    test.mockImplementationOnce(() => new Promise((resolve) => (finishOld = resolve)));
    const testing = store.getState().testProvider('mock');
    // The save starts its own test of the new settings; that one answers first.
    let finishNew: (r: unknown) => void = () => undefined;
    test.mockImplementationOnce(() => new Promise((resolve) => (finishNew = resolve)));
    await store.getState().saveProvider({ id: 'mock', type: 'openai', baseUrl: 'http://127.0.0.1:9001/v1' });
    await act(async () => finishNew({ ok: false, latencyMs: 3, models: [], error: 'new settings' }));
    finishOld({ ok: true, latencyMs: 7, models: [], error: 'old settings' });
    await testing;
    const shown = store.getState().providerTests.mock;
    expect(shown && 'result' in shown ? shown.result.error : null).toBe('new settings');

    await store.getState().removeProvider('mock');
    expect(store.getState().providerTests.mock).toBeUndefined();
  });
});

describe('form errors', () => {
  /** The real contract client, so the schema's own messages (with their paths) reach the form. */
  function realClientForm() {
    const sent: unknown[] = [];
    const client: ContractClient = buildClient(
      async (_call, args) => {
        sent.push(args);
        return { ...mock, ...(args as object), keys: [] };
      },
      () => () => undefined,
    );
    render(<ProviderForm initial={null} onSubmit={async (args) => client.providers.saveProvider(args).then(() => null, (e: Error) => e.message)} onCancel={() => undefined} />);
    return sent;
  }

  it('shows the sentence without the schema path, tied to its input, until that input changes', async () => {
    const sent = realClientForm();
    type('provider-id', 'groq');
    type('provider-base-url', 'not a url');
    fireEvent.click(screen.getByTestId('provider-key-mode-none'));
    await save();
    const error = screen.getByTestId('provider-form-error');
    expect(error.textContent).toBe('base URL must be an http(s) URL');
    expect(input('provider-base-url').getAttribute('aria-invalid')).toBe('true');
    expect(input('provider-base-url').getAttribute('aria-describedby')).toBe(error.id);
    expect(input('provider-id').getAttribute('aria-invalid')).toBeNull();
    type('provider-id', 'groq2');
    expect(formError()).not.toBeNull();
    type('provider-base-url', 'https://api.groq.com/openai/v1');
    expect(formError()).toBeNull();
    expect(input('provider-base-url').getAttribute('aria-invalid')).toBeNull();
    expect(sent).toEqual([]);
  });

  it('refuses a base URL carrying a user name or password, before anything is sent, without repeating it', async () => {
    const sent = realClientForm();
    type('provider-id', 'proxy');
    type('provider-base-url', 'http://me:FormPassw0rd@127.0.0.1:8000/v1');
    fireEvent.click(screen.getByTestId('provider-key-mode-none'));
    await save();
    expect(formError()).toMatch(/^base URL must not contain a user name or password/);
    expect(formError()).not.toContain('FormPassw0rd');
    expect(input('provider-base-url').getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);
  });

  it('explains a bad id or an empty one in its own words', async () => {
    realClientForm();
    fireEvent.click(screen.getByTestId('provider-key-mode-none'));
    await save();
    expect(formError()).toBe('enter an ID for this provider, e.g. openai');
    expect(input('provider-id').getAttribute('aria-invalid')).toBe('true');
    type('provider-id', 'My Groq');
    expect(formError()).toBeNull();
    await save();
    expect(formError()).toMatch(/^provider id must be lowercase/);
  });

  it('keeps the type names short enough for their column', () => {
    render(<ProviderForm initial={null} onSubmit={async () => null} onCancel={() => undefined} />);
    const labels = [...(screen.getByTestId('provider-type') as HTMLSelectElement).options].map((o) => o.textContent ?? '');
    // The Type select is half of a 400px form, about 150px of text at 13px: roughly 18 characters.
    for (const label of labels) expect(label.length).toBeLessThanOrEqual(18);
    expect(labels[0]).toMatch(/openai/i);
    expect(labels[0]).toMatch(/compatible/i);
  });
});

describe('a key and its host', () => {
  const stored: ProviderView = { id: 'openai', type: 'openai', baseUrl: 'https://api.openai.com/v1', keys: [{ kind: 'secret', label: 'keychain', set: true, last4: 'abcd' }], serves: [] };
  const note = () => screen.queryByTestId('provider-key-move-note')?.textContent ?? null;

  it('says, before saving, that a kept key will not follow the base URL to another host, and how to enter it again', async () => {
    const { store } = await setup(keychain, [stored]);
    show(store);
    fireEvent.click(screen.getByTestId('provider-edit'));
    type('provider-base-url', 'https://api.openai.com/other/v1');
    expect(note()).toBeNull();
    type('provider-base-url', 'https://evil.example/v1');
    expect(note()).toBe('The stored key goes only to api.openai.com. To use it with evil.example, paste the key again.');
    fireEvent.click(screen.getByTestId('provider-key-mode-key'));
    expect(note()).toBeNull();
  });

  it('in the browser, names the shell command that moves an environment key', async () => {
    const { store } = await setup(envOnly);
    show(store);
    fireEvent.click(screen.getByTestId('provider-edit'));
    type('provider-base-url', 'http://127.0.0.1:9001/v1');
    expect(note()).toBe('$MOCK_KEY goes only to http://127.0.0.1:9000. To send it to http://127.0.0.1:9001, name it again from your shell: switchyard providers add mock --base-url http://127.0.0.1:9001/v1 --api-key-env MOCK_KEY');
  });

  it('shows the engine\'s refusal on the input it is about', async () => {
    const { store, save: saveCall } = await setup(envOnly);
    const refusal = 'key MOCK_KEY was first used with http://127.0.0.1:9000; to send it to http://127.0.0.1:9001, enter it again from your shell: switchyard providers add mock --base-url http://127.0.0.1:9001/v1 --api-key-env MOCK_KEY';
    saveCall.mockRejectedValue(new Error(refusal));
    show(store);
    fireEvent.click(screen.getByTestId('provider-edit'));
    type('provider-base-url', 'http://127.0.0.1:9001/v1');
    await save();
    expect(formError()).toBe(refusal);
    expect(input('provider-base-url').getAttribute('aria-invalid')).toBe('true');

    saveCall.mockRejectedValue(new Error('environment variable HOME is not one this host may read as a key (…): restart with switchyard serve --key-env HOME'));
    fireEvent.click(screen.getByTestId('provider-key-mode-env'));
    type('provider-api-key-env', 'HOME');
    await save();
    expect(formError()).toMatch(/^environment variable HOME is not one this host may read as a key/);
    expect(input('provider-api-key-env').getAttribute('aria-invalid')).toBe('true');
  });
});
