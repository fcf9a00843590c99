/**
 * The headless host over real HTTP: token on every API call (in the query
 * string only for the event stream), loopback by default, contract arguments
 * validated, and event replay for a browser that reconnects. The Host header
 * and static-file guards are in host-guards.test.ts, keys in host-keys.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startHost, type Host } from '../../electron/host/server';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';

let host: Host;
let mock: MockProviders;
let dir: string;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-host-'));
  const ui = join(dir, 'ui');
  mkdirSync(ui);
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Switchyard</title>');
  mock = await startMockProviders({ defaultScript: { tokens: 3 } });
  host = await startHost({ dataDir: join(dir, 'data'), port: 0, rendererDir: ui, env: {} });
  base = `http://127.0.0.1:${host.port}`;
});

afterAll(async () => {
  await host.close();
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

const rpc = (channel: string, body: unknown, token: string | null = host.token) =>
  fetch(`${base}/api/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

/**
 * Reads SSE frames from /api/events until `count` data lines arrived.
 * `connected` settles on the host's `: connected` comment, once this stream is subscribed.
 */
function readEvents(headers: Record<string, string>, count: number): { connected: Promise<void>; frames: Promise<Array<{ id: number; data: { type: string } }>> } {
  let onConnected!: () => void;
  const connected = new Promise<void>((r) => (onConnected = r));
  const frames = new Promise<Array<{ id: number; data: { type: string } }>>((resolve, reject) => {
    const got: Array<{ id: number; data: { type: string } }> = [];
    const req = request(`${base}/api/events?token=${host.token}`, { headers }, (res) => {
      let buf = '';
      res.on('data', (c: Buffer) => {
        buf += c.toString();
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (frame === ': connected') onConnected();
          const id = /^id: (\d+)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (id && data) got.push({ id: Number(id), data: JSON.parse(data) as { type: string } });
          if (got.length >= count) {
            req.destroy();
            resolve(got);
          }
        }
      });
    });
    req.on('error', (e) => (got.length >= count ? undefined : reject(e)));
    req.end();
  });
  return { connected, frames };
}

describe('headless host', () => {
  it('prints a loopback URL carrying the token after #', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers 401 to every API call without the right token', async () => {
    expect((await rpc('providers:list-providers', {}, null)).status).toBe(401);
    expect((await rpc('providers:list-providers', {}, 'x'.repeat(host.token.length))).status).toBe(401);
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
    const ok = await rpc('providers:list-providers', {});
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual([]);
  });

  it('validates arguments with the contract and answers one line', async () => {
    const bad = await rpc('providers:save-provider', { id: 'Bad Id', type: 'openai', baseUrl: 'nope' });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: string };
    expect(error).toMatch(/^invalid arguments for providers:save-provider: /);
    expect(error).not.toContain('\n');
    expect((await rpc('nothing:here', {})).status).toBe(404);
    const encoded = await fetch(`${base}/api/rpc/providers%3Alist-providers`, { method: 'POST', headers: { authorization: `Bearer ${host.token}` }, body: '{}' });
    expect(encoded.status).toBe(200);
    const notJson = await fetch(`${base}/api/rpc/providers:list-providers`, { method: 'POST', headers: { authorization: `Bearer ${host.token}` }, body: '{nope' });
    expect(notJson.status).toBe(400);
  });

  it('refuses a non-loopback address unless allowed', async () => {
    await expect(startHost({ dataDir: join(dir, 'data2'), port: 0, host: '0.0.0.0', env: {} })).rejects.toThrow(/only loopback by default/);
  });

  it('serves the UI with a CSP', async () => {
    // Paths that try to leave the UI folder are tested over a raw socket in host-guards.test.ts: fetch would tidy them first.
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await index.text()).toContain('<title>Switchyard</title>');
  });

  it('takes the token from the query string only for the event stream', async () => {
    const inQuery = await fetch(`${base}/api/rpc/providers:list-providers?token=${host.token}`, { method: 'POST', body: '{}' });
    expect(inQuery.status).toBe(401);
    expect(await inQuery.json()).toEqual({ error: 'the token goes in the Authorization header (Bearer …); only /api/events takes it in the query string' });
    // The event stream only on GET: a POST there carrying the token in its query is refused as well.
    expect((await fetch(`${base}/api/events?token=${host.token}`, { method: 'POST' })).status).toBe(401);
    const events = await fetch(`${base}/api/events?token=${host.token}`);
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await events.body?.cancel();
  });

  it('streams compare events and replays what a reconnecting browser missed', async () => {
    const saved = await rpc('providers:save-provider', { id: 'mock', type: 'openai', baseUrl: mock.baseUrls.openai });
    expect(saved.status).toBe(200);
    const live = readEvents({}, 4);
    await live.connected;
    const started = await rpc('compare:start-run', { messages: [{ role: 'user', content: 'hi' }], targets: ['mock:m1'] });
    expect(started.status).toBe(200);
    const first = await live.frames;
    expect(first[0]!.data.type).toBe('run-started');
    // Reconnect as EventSource does, saying the last id it saw: the rest of the run is replayed in order.
    const rest = await readEvents({ 'last-event-id': String(first[1]!.id) }, 2).frames;
    expect(rest[0]!.id).toBe(first[2]!.id);
    expect(rest[1]!.id).toBe(first[3]!.id);
  });
});
