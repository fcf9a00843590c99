/**
 * The host stays responsive on any input: a 1 MB pathological prompt is
 * estimated on the token worker while other calls are answered, a superseded
 * estimate stops, and a body over the limit is refused with 413 naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startHost, type Host } from '../../electron/host/server';
import { LIMITS } from '../../electron/engine/limits';
import type { Estimate } from '../../shared/contract';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';

let host: Host;
let mock: MockProviders;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-host-bounded-'));
  mock = await startMockProviders({ defaultScript: { tokens: 3 } });
  host = await startHost({ dataDir: join(dir, 'data'), port: 0, rendererDir: join(dir, 'ui'), env: {} });
  await host.app.handlers.providers.saveProvider({ id: 'mock', type: 'openai', baseUrl: mock.baseUrls.openai, serves: [{ modelId: 'openai/gpt-4o-mini', upstreamModel: 'gpt-4o-mini' }] });
});

afterAll(async () => {
  await host.close();
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

/** POSTs a contract call; `sent` resolves once the whole body has been handed to the socket. */
function rpc(channel: string, body: string): { sent: Promise<void>; reply: Promise<{ status: number; body: string }> } {
  let markSent!: () => void;
  const sent = new Promise<void>((r) => (markSent = r));
  const reply = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      `http://127.0.0.1:${host.port}/api/rpc/${channel}`,
      { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}`, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body, markSent);
  });
  return { sent, reply };
}

/** A megabyte no tokenizer can merge fast: one run of a single letter, then random lower-case words (no merge cache helps). */
function pathological(): string {
  let words = '';
  let seed = 7;
  while (words.length < 500_000) {
    let w = ' ';
    for (let i = 0; i < 12; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      w += String.fromCharCode(97 + (seed % 26));
    }
    words += w;
  }
  return 'a'.repeat(500_000) + words;
}

const request1 = (content: string) => ({ messages: [{ role: 'user' as const, content }], targets: ['openai/gpt-4o-mini'] });
const estimateBody = (content: string) => JSON.stringify(request1(content));

describe('host under a pathological estimate', () => {
  it('answers a trivial call while a 1 MB estimate is in flight, and the estimate says "at most"', async () => {
    const order: string[] = [];
    // The trivial call goes out once the host is inside the estimate's handler (body read and parsed), not before.
    // The server looks the handler up per call, so wrapping it here is seen by the next request.
    const compare = host.app.handlers.compare as unknown as { estimateRun(args: unknown): Promise<unknown> };
    const original = compare.estimateRun;
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    compare.estimateRun = (args) => (entered(), original(args));
    const estimate = rpc('compare:estimate-run', estimateBody(pathological()));
    const est = estimate.reply.then((r) => (order.push('estimate'), r));
    await inHandler.finally(() => (compare.estimateRun = original));
    const ping = await rpc('providers:list-providers', '{}').reply.then((r) => (order.push('ping'), r));
    expect(ping.status).toBe(200);
    const r = await est;
    expect(order).toEqual(['ping', 'estimate']);
    expect(r.status, r.body).toBe(200);
    const e = JSON.parse(r.body) as Estimate;
    expect(e.upperBound).toBe(true);
    expect(e.columns[0]!.inputTokensUpperBound).toBe(true);
    // At least the run of 'a's as bytes (a sound bound) plus the words, never fewer tokens than words.
    expect(e.columns[0]!.inputTokens).toBeGreaterThanOrEqual(500_000 + 500_000 / 13);
  });

  it('stops an estimate superseded by a newer one, and answers the newer one exactly', async () => {
    const { compare } = host.app.handlers;
    const stale = compare.estimateRun(request1(pathological()) as Parameters<typeof compare.estimateRun>[0]);
    const fresh = compare.estimateRun(request1('Hello, world!') as Parameters<typeof compare.estimateRun>[0]);
    await expect(stale).rejects.toThrow('estimate superseded by a newer one');
    const e = await fresh;
    // 3 (reply priming) + 4 (message framing) + 4 ("Hello, world!")
    expect(e.columns[0]!.inputTokens).toBe(11);
    expect(e.upperBound).toBe(false);
  });

  it('refuses a body over the limit with 413 naming the limit', async () => {
    const big = estimateBody('x'.repeat(LIMITS.hostBody));
    const r = await rpc('compare:estimate-run', big).reply.catch((err: Error) => ({ status: -1, body: err.message }));
    expect(r.status, r.body).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ error: 'request body too large: the host accepts at most 2 MiB' });
    // The host is still there for the next call.
    expect((await rpc('providers:list-providers', '{}').reply).status).toBe(200);
  });
});
