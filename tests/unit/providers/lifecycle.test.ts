/** Cancellation, timeouts by abort reason, hung and concurrent streams, unreachable servers. */
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getAdapter } from '../../../electron/engine/providers';
import { startMockProviders, type MockProviders } from '../../mocks/provider-server';
import { KEY, PROTOCOLS, onlyRequest, recorder, request, until } from './harness';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders({ requireKey: KEY });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => mock.reset());

describe.each(PROTOCOLS)('%s stream lifecycle', (type) => {
  const adapter = getAdapter(type);

  it('cancelling closes the server-side connection and reports cancelled', async () => {
    mock.script('long', { tokens: 200, tokenDelayMs: 20 });
    const ctl = new AbortController();
    const sink = recorder();
    const pending = adapter.stream(request(mock, type, 'long', { signal: ctl.signal }), sink);
    await until(() => sink.text.includes('tok3'));
    ctl.abort();
    const out = await pending;
    expect(out.status).toBe('cancelled');
    expect(out.error?.kind).toBe('cancelled');
    expect(sink.text.startsWith('tok1 tok2 tok3')).toBe(true);

    const rec = await mock.ended(onlyRequest(mock, 'long'), 2_000);
    expect(rec.endedBy).toBe('client');
    expect(rec.textTokensSent).toBeLessThan(200);
    expect(mock.openStreams).toBe(0);
  });

  it('an engine abort with a reason reports that kind, not cancelled', async () => {
    mock.script('stall', { fault: 'stall_mid_stream', faultAfterTokens: 2 });
    const ctl = new AbortController();
    const sink = recorder();
    const pending = adapter.stream(request(mock, type, 'stall', { signal: ctl.signal }), sink);
    await until(() => sink.text === 'tok1 tok2');
    ctl.abort({ kind: 'timeout_idle', message: 'no data for 30 s' });
    const out = await pending;
    expect(out.status).toBe('error');
    expect(out.error).toMatchObject({ kind: 'timeout_idle', message: 'no data for 30 s', httpStatus: 200 });
    expect(sink.text).toBe('tok1 tok2');
    expect((await mock.ended(onlyRequest(mock, 'stall'), 2_000)).endedBy).toBe('client');
  });

  it('a hang before headers ends with the abort reason and frees the socket', async () => {
    mock.script('hang', { fault: 'hang_before_headers' });
    const ctl = new AbortController();
    const sink = recorder();
    const pending = adapter.stream(request(mock, type, 'hang', { signal: ctl.signal }), sink);
    await until(() => mock.requests.some((r) => r.model === 'hang'));
    ctl.abort({ kind: 'timeout_first_token', message: 'no first token in 60 s' });
    const out = await pending;
    expect(out).toMatchObject({ status: 'error', httpStatus: null, error: { kind: 'timeout_first_token' } });
    expect(sink.openedAt).toBeNull();
    const rec = await mock.ended(onlyRequest(mock, 'hang'), 2_000);
    expect(rec).toMatchObject({ status: null, endedBy: 'client' });
  });

  it('a hung stream does not hold up another one', async () => {
    mock.script('hang', { fault: 'hang_before_headers' });
    const ctl = new AbortController();
    let hungSettled = false;
    const hung = adapter.stream(request(mock, type, 'hang', { signal: ctl.signal }), recorder()).finally(() => {
      hungSettled = true;
    });
    await until(() => mock.requests.some((r) => r.model === 'hang'));
    const sink = recorder();
    const ok = await adapter.stream(request(mock, type, 'plain'), sink);
    expect(ok.status).toBe('ok');
    expect(sink.text).toBe('tok1 tok2 tok3 tok4 tok5');
    expect(hungSettled).toBe(false);
    ctl.abort();
    expect((await hung).status).toBe('cancelled');
  });
});

describe('many streams', () => {
  it('runs 16 streams at once, across protocols, each whole and in order', async () => {
    // Content waits long enough for all 16 to be open at once unless something serialises them.
    mock.script('paced', { tokens: 10, tokenDelayMs: 10, firstTokenDelayMs: 1_000 });
    const runs = Array.from({ length: 16 }, (_, i) => {
      const type = PROTOCOLS[i % PROTOCOLS.length]!;
      const sink = recorder();
      return getAdapter(type)
        .stream(request(mock, type, 'paced'), sink)
        .then((out) => ({ out, sink }));
    });
    const results = await Promise.all(runs);
    const expected = Array.from({ length: 10 }, (_, i) => `tok${i + 1}`).join(' ');
    for (const { out, sink } of results) {
      expect(out.status).toBe('ok');
      expect(sink.text).toBe(expected);
    }
    expect(mock.requests.filter((r) => r.model === 'paced')).toHaveLength(16);
    expect(mock.peakOpenStreams).toBe(16);
    // Client side too: every stream had its headers before any stream had its first token.
    const lastOpen = Math.max(...results.map((r) => r.sink.openedAt ?? Infinity));
    const firstToken = Math.min(...results.map((r) => r.sink.calls[0]?.at ?? -Infinity));
    expect(lastOpen).toBeLessThan(firstToken);
    await until(() => mock.openStreams === 0);
  });
});

describe('unreachable and odd servers', () => {
  it('a refused connection is a network error naming the host', async () => {
    const port = await freePort();
    const out = await getAdapter('openai').stream(
      { ...request(mock, 'openai', 'plain'), baseUrl: `http://127.0.0.1:${port}/v1`, providerId: 'local-vllm' },
      recorder(),
    );
    expect(out).toMatchObject({ status: 'error', httpStatus: null, error: { kind: 'network' } });
    expect(out.error?.message).toBe(`cannot reach local-vllm at 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('closing the mock frees a hung request instead of leaving it pending', async () => {
    const own = await startMockProviders({ defaultScript: { fault: 'hang_before_headers' } });
    const pending = getAdapter('anthropic').stream(request(own, 'anthropic', 'anything'), recorder());
    await until(() => own.requests.length === 1);
    await own.close();
    const out = await pending;
    expect(out.error?.kind).toBe('network');
    expect(own.requests[0]?.endedBy).toBe('server');
  });

  it('a JSON error body with status 200 is a stream_error, not an empty success', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'model is loading' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const out = await getAdapter('openai').stream({ ...request(mock, 'openai', 'x'), baseUrl: `http://127.0.0.1:${port}/v1` }, recorder());
      expect(out.status).toBe('error');
      expect(out.error).toMatchObject({ kind: 'stream_error', providerMessage: 'model is loading', httpStatus: 200 });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
