/**
 * The host cannot be used to send the user's secrets elsewhere: through the
 * host's API (what whoever holds its token can do) a key is only a variable
 * named like an API key or named on `serve --key-env`, and a key goes only to
 * the host it was first used with. Two real mock providers on loopback: the
 * one the key belongs to, and the caller's own, which must never see a request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHost, type Host } from '../../electron/host/server';
import { openAppContext } from '../../electron/app/context';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';

const ENV = {
  AWS_SECRET_ACCESS_KEY: 'aws-secret-value-9999',
  HOME: '/home/victim',
  GITHUB_TOKEN: 'ghp-secret-8888',
  OPENAI_API_KEY: 'sk-openai-5678',
  SY_TEST_API_KEY: 'sk-good-1234',
  SY_REDIR_API_KEY: 'sk-redir-3333',
  MY_LLM_SECRET: 'sk-own-4321',
};

let host: Host;
let good: MockProviders;
let evil: MockProviders;
let dir: string;
let dataDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-host-keys-'));
  dataDir = join(dir, 'data');
  good = await startMockProviders({ defaultScript: { tokens: 2 } });
  evil = await startMockProviders({ defaultScript: { tokens: 2 } });
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  host = await startHost({ dataDir, port: 0, rendererDir: dir, env: ENV, keyEnv: ['MY_LLM_SECRET'] });
});

afterAll(async () => {
  await host.close();
  await good.close();
  await evil.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rpc(channel: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${host.port}/api/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const save = (id: string, baseUrl: string, apiKeyEnv?: string) => rpc('providers:save-provider', { id, type: 'openai', baseUrl, ...(apiKeyEnv ? { apiKeyEnv } : {}) });
const test = (id: string) => rpc('providers:test-provider', { id });
const origin = (m: MockProviders) => new URL(m.url).origin;

describe('key variables through the host', () => {
  it.each(['AWS_SECRET_ACCESS_KEY', 'HOME', 'GITHUB_TOKEN'])('refuses the exfiltration sequence with %s: nothing saved, nothing sent', async (name) => {
    const saved = await save('exfil', evil.baseUrls.openai, name);
    expect(saved.status).toBe(400);
    expect(saved.body.error).toBe(
      `environment variable ${name} is not one this host may read as a key (API key names end in _API_KEY, _KEY or _TOKEN, and cloud or code-host credentials are excluded): restart with switchyard serve --key-env ${name}`,
    );
    expect((await test('exfil')).status).toBe(404);
    expect((await rpc('providers:list-providers', {})).body).toEqual([]);
    expect(evil.requests).toEqual([]);
  });

  it('reads a variable named on the command line (serve --key-env) even when not named like a key', async () => {
    expect((await save('own', good.baseUrls.openai, 'MY_LLM_SECRET')).status).toBe(200);
    expect((await test('own')).body).toMatchObject({ ok: true, error: null });
    expect(good.requests.at(-1)?.keyLast4).toBe('4321');
    expect((await rpc('providers:remove-provider', { id: 'own' })).status).toBe(200);
  });

  it('keeps a well-known variable to its provider\'s host even before its first use', async () => {
    const saved = await save('oa', evil.baseUrls.openai, 'OPENAI_API_KEY');
    expect(saved.status).toBe(400);
    expect(saved.body.error).toBe(
      `key OPENAI_API_KEY belongs to api.openai.com; to send it to ${origin(evil)}, enter it again from your shell: switchyard providers add oa --base-url ${evil.baseUrls.openai} --api-key-env OPENAI_API_KEY`,
    );
    expect(evil.requests).toEqual([]);
  });
});

describe('a key is bound to the host it was first used with', () => {
  const refusal = (id: string, to: MockProviders, from: MockProviders = good) =>
    `key SY_TEST_API_KEY was first used with ${origin(from)}; to send it to ${origin(to)}, enter it again from your shell: switchyard providers add ${id} --base-url ${to.baseUrls.openai} --api-key-env SY_TEST_API_KEY`;

  it('refuses, before sending, every way of pointing the key at another host through the host', async () => {
    expect((await save('good', good.baseUrls.openai, 'SY_TEST_API_KEY')).status).toBe(200);
    expect((await test('good')).body).toMatchObject({ ok: true });
    expect(good.requests.at(-1)?.keyLast4).toBe('1234');

    // Moving the provider, naming the variable again, copying it to a new provider, removing and re-adding: all refused.
    expect(await save('good', evil.baseUrls.openai)).toEqual({ status: 400, body: { error: refusal('good', evil) } });
    expect(await save('good', evil.baseUrls.openai, 'SY_TEST_API_KEY')).toEqual({ status: 400, body: { error: refusal('good', evil) } });
    expect(await save('copy', evil.baseUrls.openai, 'SY_TEST_API_KEY')).toEqual({ status: 400, body: { error: refusal('copy', evil) } });
    expect((await rpc('providers:remove-provider', { id: 'good' })).status).toBe(200);
    expect(await save('good', evil.baseUrls.openai, 'SY_TEST_API_KEY')).toEqual({ status: 400, body: { error: refusal('good', evil) } });
    // Another port of the same machine is another host; another path on the same host is not.
    expect((await save('good', `http://localhost:${new URL(good.url).port}/v1`, 'SY_TEST_API_KEY')).status).toBe(400);
    expect((await save('good', `${good.url}/elsewhere/v1`, 'SY_TEST_API_KEY')).status).toBe(200);
    expect((await save('good', good.baseUrls.openai)).status).toBe(200);

    expect(evil.requests).toEqual([]);
    const views = (await rpc('providers:list-providers', {})).body as unknown as Array<{ id: string; baseUrl: string }>;
    expect(views.map((v) => [v.id, v.baseUrl])).toEqual([['good', good.baseUrls.openai]]);
  });

  it('lets the key go to a new host once the user enters it again at the shell, and only there', async () => {
    // The CLI's `providers add moved --base-url … --api-key-env SY_TEST_API_KEY`, on the same data directory.
    const cli = openAppContext({ dataDir, env: ENV });
    try {
      await cli.providers.save({ id: 'moved', type: 'openai', baseUrl: evil.baseUrls.openai, apiKeyEnv: ['SY_TEST_API_KEY'] });
    } finally {
      await cli.close();
    }
    expect((await test('moved')).body).toMatchObject({ ok: true });
    expect(evil.requests.map((r) => r.keyLast4)).toEqual(['1234']);
    // The first host keeps it; a third one is still refused.
    expect((await test('good')).body).toMatchObject({ ok: true });
    const third = `http://localhost:${new URL(evil.url).port}/v1`;
    expect((await save('third', third, 'SY_TEST_API_KEY')).status).toBe(400);
  });

  it('refuses at send time too: a provider row pointing the key elsewhere (saved by an older build, say) sends nothing', async () => {
    const elsewhere = `http://localhost:${new URL(evil.url).port}/v1`;
    host.app.ctx.store.providers.save({ id: 'sneaky', type: 'openai', baseUrl: elsewhere, keys: [{ kind: 'env', name: 'SY_TEST_API_KEY' }], serves: [], catalogProvider: null }, Date.now());
    const before = evil.requests.length;
    const refused = `key SY_TEST_API_KEY was first used with ${origin(good)}; to send it to ${new URL(elsewhere).origin}, enter it again from your shell: switchyard providers add sneaky --base-url ${elsewhere} --api-key-env SY_TEST_API_KEY`;
    expect((await test('sneaky')).body).toMatchObject({ ok: false, error: refused });
    const run = await host.app.ctx.engine.start({ messages: [{ role: 'user', content: 'hi' }], targets: ['sneaky:m1'] }).done;
    expect(run.columns[0]).toMatchObject({ status: 'error', error: refused });
    expect(evil.requests.length).toBe(before);
  });
});

describe('a redirect', () => {
  let redirector: Server;
  let redirectorUrl: string;
  beforeAll(async () => {
    // A bound host that answers every request with a redirect to the caller's server (x-api-key would ride along).
    redirector = createServer((req, res) => {
      res.writeHead(307, { location: `${evil.url}${req.url ?? '/'}` });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => redirector.close(() => r())));

  it.each(['openai', 'anthropic', 'gemini'] as const)('is not followed with a %s key: the key goes to the bound host only', async (type) => {
    const id = `redir-${type}`;
    const saved = await rpc('providers:save-provider', { id, type, baseUrl: `${redirectorUrl}/v1`, apiKeyEnv: 'SY_REDIR_API_KEY' });
    expect(saved.status).toBe(200);
    const before = evil.requests.length;
    expect((await test(id)).body).toMatchObject({ ok: false, error: expect.stringMatching(new RegExp(`^307 from ${id}.*: redirected to ${new URL(evil.url).host}; keys are sent only to the base URL's host, so set the base URL to where it redirects$`)) });
    const run = await host.app.ctx.engine.start({ messages: [{ role: 'user', content: 'hi' }], targets: [`${id}:m1`] }).done;
    expect(run.columns[0]).toMatchObject({ status: 'error', error: expect.stringContaining(`redirected to ${new URL(evil.url).host}`) });
    expect(evil.requests.length).toBe(before);
  });
});
