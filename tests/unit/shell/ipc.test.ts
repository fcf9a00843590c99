import { describe, expect, it, vi } from 'vitest';
import { allCalls, contract, type Settings } from '../../../shared/contract';
import type { CompareEvent } from '../../../shared/domain';
import { forwardCompareEvents, guardHandler, registerContract, senderProblem } from '../../../electron/shell/ipc';
import { isAppUrl } from '../../../electron/shell/security';
import { APP_PAGE, FakeIpcMain, FakeWebContents, frame, invokeEvent, spyHandlers } from './fakes';

const settings: Settings = {
  modelSets: [],
  keyStorage: { backend: 'gnome_libsecret', secure: true, warning: null },
  transport: 'ipc',
  version: '0.1.0',
  catalogAsOf: null,
};

function wired(handlers = spyHandlers()) {
  const ipc = new FakeIpcMain();
  const log = vi.fn();
  const unregister = registerContract(ipc, handlers, isAppUrl, log);
  return { ipc, handlers, log, unregister };
}

describe('sender check', () => {
  it('accepts the top frame of our page', () => {
    expect(senderProblem(invokeEvent(frame()), isAppUrl)).toBeNull();
    expect(senderProblem(invokeEvent(frame('app://switchyard/history?x=1#y')), isAppUrl)).toBeNull();
  });

  it('refuses a frame that is gone, a subframe, or a frame that is not the main one', () => {
    expect(senderProblem(invokeEvent(null), isAppUrl)).toBe('sender frame is gone');
    expect(senderProblem(invokeEvent(frame(APP_PAGE, { parent: frame() })), isAppUrl)).toBe('sender is not the main frame');
    expect(senderProblem(invokeEvent(frame(APP_PAGE, { routingId: 2 })), isAppUrl)).toBe('sender is not the main frame');
    expect(senderProblem(invokeEvent(frame(APP_PAGE, { processId: 8 })), isAppUrl)).toBe('sender is not the main frame');
  });

  it.each(['https://evil.example/', 'file:///work/main/dist/renderer/index.html', 'app://elsewhere/index.html', 'http://127.0.0.1:5173/', 'about:blank', 'not a url'])(
    'refuses a main frame showing %s',
    (url) => {
      const main = frame(url);
      expect(senderProblem(invokeEvent(main, main), isAppUrl)).toBe('sender is not the Switchyard page');
    },
  );
});

describe('registerContract', () => {
  it('registers every contract channel, and only those', () => {
    const { ipc } = wired();
    expect([...ipc.handlers.keys()].sort()).toEqual(allCalls().map((c) => c.def.channel).sort());
  });

  it('fails at registration when a handler is missing', () => {
    const handlers = spyHandlers();
    delete (handlers.history as Record<string, unknown>).deleteRun;
    expect(() => registerContract(new FakeIpcMain(), handlers, isAppUrl)).toThrow('no handler for history:delete-run (history.deleteRun)');
  });

  it('unregisters everything it registered', () => {
    const { ipc, unregister } = wired();
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('calls the handler with the parsed arguments, defaults applied', async () => {
    const { ipc, handlers } = wired(spyHandlers([]));
    const reply = await ipc.invoke('history:list-runs', frame(), { query: 'haiku' });
    expect(reply).toEqual({ ok: true, value: [] });
    expect(handlers.history.listRuns).toHaveBeenCalledWith({ limit: 200, offset: 0, query: 'haiku' });
  });

  it('accepts a call with no argument where the schema has a default', async () => {
    const handlers = spyHandlers({}, { settings: { getSettings: vi.fn(async () => settings) } });
    const { ipc } = wired(handlers);
    expect(await ipc.invoke('settings:get-settings', frame())).toEqual({ ok: true, value: settings });
    expect(handlers.settings.getSettings).toHaveBeenCalledWith({});
  });

  it('refuses a subframe and a foreign page without calling the handler', async () => {
    const { ipc, handlers, log } = wired();
    expect(await ipc.invoke('history:get-run', frame(APP_PAGE, { parent: frame() }), { runId: 'r1' })).toEqual({
      ok: false,
      error: 'refused: sender is not the main frame',
    });
    const evil = frame('https://evil.example/');
    const reply = await ipc.handlers.get('history:get-run')!(invokeEvent(evil, evil), { runId: 'r1' });
    expect(reply).toEqual({ ok: false, error: 'refused: sender is not the Switchyard page' });
    expect(handlers.history.getRun).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('https://evil.example/'));
  });

  it('rejects invalid arguments with one line naming the channel and the field', async () => {
    const { ipc, handlers } = wired();
    const reply = (await ipc.invoke('history:get-run', frame(), { runId: '' })) as { ok: false; error: string };
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatch(/^invalid arguments for history:get-run: runId: /);
    expect(reply.error).not.toContain('\n');
    expect(handlers.history.getRun).not.toHaveBeenCalled();
  });

  it('rejects arguments of the wrong type and extra positional arguments', async () => {
    const { ipc, handlers } = wired();
    const wrongType = (await ipc.invoke('compare:cancel-run', frame(), 'r1')) as { ok: false; error: string };
    expect(wrongType.error).toMatch(/^invalid arguments for compare:cancel-run: arguments: /);
    expect(await ipc.invoke('compare:cancel-run', frame(), { runId: 'r1' }, { runId: 'r2' })).toEqual({
      ok: false,
      error: 'invalid arguments for compare:cancel-run: expected one argument object',
    });
    expect(handlers.compare.cancelRun).not.toHaveBeenCalled();
  });

  it('turns a handler error into a one-line envelope and logs the stack', async () => {
    const failing = vi.fn(async () => {
      throw new Error('401 from openai: invalid API key\n    at somewhere (file.ts:1:1)');
    });
    const handlers = spyHandlers({}, { providers: { testProvider: failing } });
    const { ipc, log } = wired(handlers);
    expect(await ipc.invoke('providers:test-provider', frame(), { id: 'openai' })).toEqual({
      ok: false,
      error: '401 from openai: invalid API key at somewhere (file.ts:1:1)',
    });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('providers:test-provider failed'));
  });

  it('strips what the contract does not name from results, so key material cannot cross', async () => {
    const leaky = vi.fn(async () => [
      {
        id: 'openai',
        type: 'openai' as const,
        baseUrl: 'https://api.openai.com/v1',
        keys: [{ kind: 'secret' as const, label: 'keychain', set: true, last4: 'abcd', plaintext: 'sk-live-secret-abcd' }],
        serves: [],
        apiKey: 'sk-live-secret-abcd',
      },
    ]);
    const { ipc } = wired(spyHandlers({}, { providers: { listProviders: leaky } }));
    const reply = await ipc.invoke('providers:list-providers', frame(), {});
    expect(JSON.stringify(reply)).not.toContain('sk-live');
    expect(reply).toEqual({
      ok: true,
      value: [{ id: 'openai', type: 'openai', baseUrl: 'https://api.openai.com/v1', keys: [{ kind: 'secret', label: 'keychain', set: true, last4: 'abcd' }], serves: [] }],
    });
  });

  it('reports a result outside the contract as an internal error', async () => {
    const handlers = spyHandlers({ nope: true });
    const { ipc, log } = wired(handlers);
    expect(await ipc.invoke('compare:cancel-run', frame(), { runId: 'r1' })).toEqual({
      ok: false,
      error: 'internal error: compare:cancel-run returned an invalid result',
    });
    expect(log).toHaveBeenCalled();
  });

  it('guards a single call the same way', async () => {
    const handler = vi.fn(async () => ({ ok: true }));
    const guarded = guardHandler(contract.compare.cancelRun, handler, isAppUrl, vi.fn());
    expect(await guarded(invokeEvent(frame()), { runId: 'r1', extra: 1 })).toEqual({ ok: true, value: { ok: true } });
    expect(handler).toHaveBeenCalledWith({ runId: 'r1' });
  });
});

describe('forwardCompareEvents', () => {
  it('sends each event to live windows on the compare channel until unsubscribed', () => {
    const listeners = new Set<(e: CompareEvent) => void>();
    const subscribe = (l: (e: CompareEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    };
    const live = new FakeWebContents();
    const gone = new FakeWebContents();
    gone.destroyed = true;
    const stop = forwardCompareEvents(subscribe, () => [live, gone], 'compare:event');
    const e: CompareEvent = { type: 'delta', runId: 'r1', columnId: 'c1', text: 'hi', reasoning: '' };
    listeners.forEach((l) => l(e));
    expect(live.send).toHaveBeenCalledWith('compare:event', e);
    expect(gone.send).not.toHaveBeenCalled();
    stop();
    expect(listeners.size).toBe(0);
  });
});
