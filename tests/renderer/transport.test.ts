import { describe, expect, it, vi } from 'vitest';
import type { ContractClient } from '../../shared/contract';
import type { CompareEvent } from '../../shared/domain';
import { createHttpClient } from '../../renderer/transport/http';
import { cleanIpcError, createIpcClient } from '../../renderer/transport/ipc';
import { takeToken } from '../../renderer/transport/token';
import { fakeClient } from './helpers';

/** Stands in for the browser's EventSource, the only DOM boundary of the event stream. */
class FakeEventSource {
  static instances: FakeEventSource[] = [];
  private handlers = new Map<string, Array<(msg: MessageEvent<string>) => void>>();
  closed = false;
  constructor(public url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, fn: (msg: MessageEvent<string>) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), fn]);
  }
  close(): void {
    this.closed = true;
  }
  /** Dispatches like the browser: a frame's `event:` name picks the listeners, "message" when unnamed. */
  send(data: string, event = 'message'): void {
    for (const fn of this.handlers.get(event) ?? []) fn({ data } as MessageEvent<string>);
  }
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function http(fetchImpl: typeof fetch) {
  FakeEventSource.instances = [];
  return createHttpClient({ token: 't0k/en', fetch: fetchImpl, EventSource: FakeEventSource as unknown as typeof EventSource });
}

describe('HTTP transport', () => {
  it('POSTs the args to /api/rpc/<channel> with the bearer token and returns the validated result', async () => {
    const fetchImpl = vi.fn(async () => json(200, { ok: true }));
    const client = http(fetchImpl);
    await expect(client.compare.cancelRun({ runId: 'r1' })).resolves.toEqual({ ok: true });
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/rpc/compare:cancel-run');
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer t0k/en');
    expect(JSON.parse(String(init.body))).toEqual({ runId: 'r1' });
  });

  it('throws the host error sentence on a non-2xx reply', async () => {
    const client = http(vi.fn(async () => json(400, { error: 'pick at least one model' })));
    await expect(client.history.getRun({ runId: 'r1' })).rejects.toThrow(/^pick at least one model$/);
  });

  it('falls back to the status line when the error body is not JSON', async () => {
    const client = http(vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })));
    await expect(client.history.getRun({ runId: 'r1' })).rejects.toThrow('502 Bad Gateway from the Switchyard host');
  });

  it('rejects a reply that does not match the contract', async () => {
    const client = http(vi.fn(async () => json(200, { ok: 'yes' })));
    await expect(client.compare.cancelRun({ runId: 'r1' })).rejects.toThrow(/unexpected reply from compare:cancel-run: ok:/);
  });

  it('refuses invalid args before any request', async () => {
    const fetchImpl = vi.fn(async () => json(200, {}));
    const client = http(fetchImpl);
    await expect(client.compare.startRun({ messages: [{ role: 'user', content: 'hi' }], targets: [] })).rejects.toThrow('targets: pick at least one model');
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('shares one EventSource, delivers valid events (named compare:event or unnamed), drops malformed ones, closes after the last unsubscribe', () => {
    const client = http(vi.fn());
    const a: CompareEvent[] = [];
    const b: CompareEvent[] = [];
    const offA = client.onCompareEvent((e) => a.push(e));
    const offB = client.onCompareEvent((e) => b.push(e));
    expect(FakeEventSource.instances).toHaveLength(1);
    const es = FakeEventSource.instances[0]!;
    expect(es.url).toBe('/api/events?token=t0k%2Fen');

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    es.send(JSON.stringify({ type: 'delta', runId: 'r', columnId: 'c', text: 'x', reasoning: '' }), 'compare:event');
    es.send(JSON.stringify({ type: 'delta', runId: 'r', columnId: 'c', text: 'y', reasoning: '' }));
    es.send(JSON.stringify({ type: 'delta', runId: 'r', columnId: 'c', text: 'z', reasoning: '' }), 'other');
    es.send('not json');
    es.send(JSON.stringify({ type: 'delta', runId: 'r' }));
    warn.mockRestore();
    expect(a.map((e) => e.type === 'delta' && e.text)).toEqual(['x', 'y']);
    expect(b).toHaveLength(2);

    offA();
    expect(es.closed).toBe(false);
    offB();
    expect(es.closed).toBe(true);
  });
});

describe('token handling', () => {
  it('takes the token from the hash, keeps it for the tab and clears it from the address bar', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const replaceState = vi.fn();
    const token = takeToken({ location: { hash: '#token=abc123', pathname: '/', search: '?x=1' }, storage, history: { replaceState, state: null } });
    expect(token).toBe('abc123');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/?x=1');
    // After a reload the hash is gone; the tab still has its token.
    expect(takeToken({ location: { hash: '', pathname: '/', search: '' }, storage, history: { replaceState, state: null } })).toBe('abc123');
    expect(replaceState).toHaveBeenCalledTimes(1);
  });
});

describe('IPC transport', () => {
  it('calls the bridge method of the same name and validates the result', async () => {
    const fake = fakeClient();
    fake.calls.history!.deleteRun!.mockResolvedValue({ ok: true });
    const client = createIpcClient(fake.client);
    await expect(client.history.deleteRun({ runId: 'r9' })).resolves.toEqual({ ok: true });
    expect(fake.calls.history!.deleteRun).toHaveBeenCalledWith({ runId: 'r9' });
  });

  it('strips Electron\'s "Error invoking remote method" wrapper', async () => {
    const fake = fakeClient();
    fake.calls.providers!.testProvider!.mockRejectedValue(new Error("Error invoking remote method 'providers:test-provider': Error: 401 from openai: invalid API key"));
    const client: ContractClient = createIpcClient(fake.client);
    await expect(client.providers.testProvider({ id: 'openai' })).rejects.toThrow(/^401 from openai: invalid API key$/);
    expect(cleanIpcError('plain')).toBe('plain');
  });

  it('forwards only valid events', () => {
    const fake = fakeClient();
    const got: CompareEvent[] = [];
    const off = createIpcClient(fake.client).onCompareEvent((e) => got.push(e));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    fake.emit({ type: 'delta', runId: 'r', columnId: 'c', text: 'ok', reasoning: '' });
    fake.emit({ type: 'nonsense' } as unknown as CompareEvent);
    warn.mockRestore();
    expect(got.map((e) => e.type)).toEqual(['delta']);
    off();
    expect(fake.listeners).toBe(0);
  });
});
