import { beforeEach, describe, expect, it, vi } from 'vitest';
import { allCalls, contract } from '../../../shared/contract';
import { buildChannelMap, channels } from '../../../electron/shell/channels';

// The factory replaces 'electron' entirely: node_modules/electron/index.js (which would start a download) never runs.
const fake = await vi.hoisted(async () => {
  const { Emitter } = await import('./fakes');
  return { exposed: new Map<string, unknown>(), invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(), events: new Emitter() };
});
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, ...args: unknown[]) => fake.invoke(channel, ...args),
    on: (channel: string, listener: () => void) => fake.events.on(channel, listener),
    removeListener: (channel: string, listener: () => void) => fake.events.removeListener(channel, listener),
  },
}));

await import('../../../electron/preload');

type Api = Record<string, unknown> & { onCompareEvent(l: (e: unknown) => void): () => void };
const api = fake.exposed.get('switchyard') as Api;
const call = (domain: string, method: string) => (api[domain] as Record<string, (a?: unknown) => Promise<unknown>>)[method]!;

beforeEach(() => fake.invoke.mockReset());

describe('channel map', () => {
  it('names every contract call with its channel, plus the compare event channel', () => {
    for (const { domain, method, def } of allCalls()) expect((channels.calls[domain] as Record<string, string>)[method]).toBe(def.channel);
    expect(channels.compareEvent).toBe('compare:event');
    expect(buildChannelMap()).toEqual(channels);
  });
});

describe('preload', () => {
  it('exposes only window.switchyard', () => {
    expect([...fake.exposed.keys()]).toEqual(['switchyard']);
  });

  it('has exactly one method per contract call, plus onCompareEvent: no generic invoke, no ipcRenderer', () => {
    expect(Object.keys(api).sort()).toEqual([...Object.keys(contract), 'onCompareEvent'].sort());
    for (const domain of Object.keys(contract) as Array<keyof typeof contract>) {
      expect(Object.keys(api[domain] as object).sort()).toEqual(Object.keys(contract[domain]).sort());
      for (const fn of Object.values(api[domain] as object)) expect(typeof fn).toBe('function');
    }
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('ipcRenderer');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('invokes the call’s own channel with the argument and unwraps the value', async () => {
    fake.invoke.mockResolvedValue({ ok: true, value: { ok: true } });
    await expect(call('history', 'deleteRun')({ runId: 'r1' })).resolves.toEqual({ ok: true });
    expect(fake.invoke).toHaveBeenCalledWith('history:delete-run', { runId: 'r1' });
  });

  it('rejects with the one-line error from the main process', async () => {
    fake.invoke.mockResolvedValue({ ok: false, error: '401 from openai: invalid API key' });
    await expect(call('providers', 'testProvider')({ id: 'openai' })).rejects.toThrow(new Error('401 from openai: invalid API key'));
  });

  it('rejects a malformed reply instead of passing it on', async () => {
    fake.invoke.mockResolvedValue('surprise');
    await expect(call('settings', 'getSettings')()).rejects.toThrow('malformed reply on settings:get-settings');
  });

  it('delivers compare events without the IPC event, and unsubscribe stops them', () => {
    const a = vi.fn();
    const b = vi.fn();
    const offA = api.onCompareEvent(a);
    const offB = api.onCompareEvent(b);
    const payload = { type: 'delta', runId: 'r', columnId: 'c', text: 'x', reasoning: '' };
    fake.events.emit('compare:event', { sender: 'ipc internals' }, payload);
    expect(a).toHaveBeenCalledWith(payload);
    expect(a.mock.calls[0]).toHaveLength(1);
    offA();
    offA();
    fake.events.emit('compare:event', {}, payload);
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(2);
    offB();
    expect(fake.events.count('compare:event')).toBe(0);
  });

  it('refuses a non-function listener', () => {
    expect(() => api.onCompareEvent('nope' as unknown as () => void)).toThrow(TypeError);
  });
});
