/**
 * Attachments over the headless host: the one upload call takes a file (up to
 * the 32 MB limit, as base64) and answers its reference; every other call keeps
 * the 2 MB body limit. The reference then sends the file to the mock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startHost, type Host } from '../../electron/host/server';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { png } from '../fixtures/attachment-files';

let host: Host;
let mock: MockProviders;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-host-att-'));
  mock = await startMockProviders({ defaultScript: { tokens: 3 } });
  host = await startHost({ dataDir: join(dir, 'data'), port: 0, rendererDir: dir, env: {} });
});
afterAll(async () => {
  await host.close();
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

const rpc = (channel: string, body: unknown) =>
  fetch(`http://127.0.0.1:${host.port}/api/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: JSON.stringify(body),
  });

describe('host attachments', () => {
  it('uploads a file over 2 MB, answers its reference, and the reference reaches the mock', async () => {
    // A real PNG followed by 3 MB of padding: over every other call's limit, under the image limit.
    const bytes = Buffer.concat([png(), Buffer.alloc(3 * 1024 * 1024)]);
    const res = await rpc('compare:add-attachment', { name: 'big.png', dataBase64: bytes.toString('base64') });
    expect(res.status).toBe(200);
    const ref = (await res.json()) as { hash: string; mime: string; name: string; size: number };
    expect(ref).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), mime: 'image/png', name: 'big.png', size: bytes.length });

    const saved = await rpc('providers:save-provider', { id: 'local', type: 'openai', baseUrl: mock.baseUrls.openai });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const finished = new Promise<void>((resolve) => {
      const off = host.app.onEvent((e) => {
        if (e.type !== 'run-finished') return;
        off();
        resolve();
      });
    });
    const started = await rpc('compare:start-run', { messages: [{ role: 'user', content: 'look', attachments: [ref] }], targets: ['local:vision'] });
    expect(started.status, await started.clone().text()).toBe(200);
    const { runId } = (await started.json()) as { runId: string };
    await finished;
    const run = (await (await rpc('history:get-run', { runId })).json()) as { columns: Array<{ status: string }> };
    expect(run.columns.map((c) => c.status)).toEqual(['ok']);
    const body = mock.requests.find((r) => r.model === 'vision')!.body as { messages: Array<{ content: Array<{ type: string; image_url?: { url: string } }> }> };
    expect(body.messages[0]!.content[0]).toEqual({ type: 'image_url', image_url: { url: `data:image/png;base64,${bytes.toString('base64')}` } });
  });

  it('refuses an unsupported file in one line, and keeps 2 MB for every other call', async () => {
    const bad = await rpc('compare:add-attachment', { name: 'x.zip', dataBase64: Buffer.from([0x50, 0x4b, 3, 4, 0, 0]).toString('base64') });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'cannot attach "x.zip": unsupported type (PNG, JPEG, WebP, GIF, PDF or UTF-8 text)' });
    const notBase64 = await rpc('compare:add-attachment', { name: 'x.png', dataBase64: 'not base64!' });
    expect(notBase64.status).toBe(400);
    expect(((await notBase64.json()) as { error: string }).error).toMatch(/dataBase64: dataBase64 must be base64/);
    const big = await rpc('compare:estimate-run', { messages: [{ role: 'user', content: 'x'.repeat(3 * 1024 * 1024) }], targets: ['local:vision'] });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: 'request body too large: the host accepts at most 2 MiB' });
  });

  it('an upload over the largest file is refused 413 from its Content-Length, before a byte is read', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, method: 'POST', path: '/api/rpc/compare:add-attachment', headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json', 'content-length': String(60 * 1024 * 1024) } },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      // Headers only: the host must answer without waiting for the 60 MB it was promised.
      req.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: expect.stringMatching(/^request body too large: the host accepts at most 42\.\d MiB for this call$/) });
  });
});
