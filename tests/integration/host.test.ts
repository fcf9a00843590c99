/**
 * The headless host over real HTTP: token on every API call, loopback by
 * default, contract arguments validated, static files confined to the UI
 * folder, and event replay for a browser that reconnects.
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
  writeFileSync(join(dir, 'secret.txt'), 'outside the UI folder');
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

/** Reads SSE frames from /api/events until `count` data lines arrived. */
function readEvents(headers: Record<string, string>, count: number): Promise<Array<{ id: number; data: { type: string } }>> {
  return new Promise((resolve, reject) => {
    const got: Array<{ id: number; data: { type: string } }> = [];
    const req = request(`${base}/api/events?token=${host.token}`, { headers }, (res) => {
      let buf = '';
      res.on('data', (c: Buffer) => {
        buf += c.toString();
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
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

  it('serves the UI with a CSP and never a file outside its folder', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await index.text()).toContain('<title>Switchyard</title>');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const res = await fetch(`${base}${path}`);
      expect(await res.text()).not.toContain('outside the UI folder');
    }
  });

  it('streams compare events and replays what a reconnecting browser missed', async () => {
    const saved = await rpc('providers:save-provider', { id: 'mock', type: 'openai', baseUrl: mock.baseUrls.openai });
    expect(saved.status).toBe(200);
    const live = readEvents({}, 4);
    await new Promise((r) => setTimeout(r, 100));
    const started = await rpc('compare:start-run', { messages: [{ role: 'user', content: 'hi' }], targets: ['mock:m1'] });
    expect(started.status).toBe(200);
    const first = await live;
    expect(first[0]!.data.type).toBe('run-started');
    // Reconnect as EventSource does, saying the last id it saw: the rest of the run is replayed in order.
    const rest = await readEvents({ 'last-event-id': String(first[1]!.id) }, 2);
    expect(rest[0]!.id).toBe(first[2]!.id);
    expect(rest[1]!.id).toBe(first[3]!.id);
  });
});
