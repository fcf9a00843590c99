/** Behaviour every protocol must share, checked against the real mock server over loopback. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getAdapter } from '../../../electron/engine/providers';
import { startMockProviders, type MockProviders } from '../../mocks/provider-server';
import { FINISH, KEY, PROTOCOLS, recorder, request } from './harness';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders({ requireKey: KEY });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => mock.reset());

describe.each(PROTOCOLS)('%s adapter', (type) => {
  const adapter = getAdapter(type);

  it('streams the answer text, finish reason and usage', async () => {
    const sink = recorder();
    const out = await adapter.stream(request(mock, type, 'plain'), sink);
    expect(out).toMatchObject({ status: 'ok', finishReason: FINISH[type].stop, httpStatus: 200, error: null });
    expect(sink.text).toBe('tok1 tok2 tok3 tok4 tok5');
    expect(sink.calls.map((c) => c.delta)).toEqual(['tok1', ' tok2', ' tok3', ' tok4', ' tok5']);
    expect(sink.reasoning).toBe('');
    // "hello mock world" is three words; five tokens came back.
    expect(out.usage.inputTokens).toBe(3);
    expect(out.usage.outputTokens).toBe(5);
    expect(sink.openedAt).not.toBeNull();
  });

  it('keeps reasoning on its own channel, before the text', async () => {
    mock.script('thinker', { reasoning: 'let me think', text: 'the answer' });
    const sink = recorder();
    const out = await adapter.stream(request(mock, type, 'thinker'), sink);
    expect(out.status).toBe('ok');
    expect(sink.reasoning).toBe('let me think');
    expect(sink.text).toBe('the answer');
    expect(sink.calls.map((c) => c.channel)).toEqual(['reasoning', 'reasoning', 'reasoning', 'text', 'text']);
    expect(out.usage.outputTokens).toBe(5);
    expect(out.usage.reasoningTokens).toBe(type === 'anthropic' ? null : 3);
  });

  it('reports usage normalised: input includes cached, output includes reasoning', async () => {
    mock.script('cached', { usage: { inputTokens: 120, cachedInputTokens: 100, outputTokens: 40, reasoningTokens: 10 }, costUsd: 0.00123 });
    const out = await adapter.stream(request(mock, type, 'cached'), recorder());
    expect(out.usage).toEqual({
      inputTokens: 120,
      cachedInputTokens: 100,
      outputTokens: 40,
      // Anthropic does not report thinking tokens apart.
      reasoningTokens: type === 'anthropic' ? null : 10,
      // Only OpenAI-compatible routers (OpenRouter) report their own cost.
      costUsd: type === 'openai' ? 0.00123 : null,
    });
  });

  it('passes max tokens through and reports the length finish', async () => {
    const sink = recorder();
    const out = await adapter.stream(request(mock, type, 'plain', { params: { maxTokens: 3 } }), sink);
    expect(out.status).toBe('ok');
    expect(out.finishReason).toBe(FINISH[type].length);
    expect(sink.text).toBe('tok1 tok2 tok3');
  });

  it('never emits empty deltas, so time to first token is the first real token', async () => {
    mock.script('slow-start', { emptyFramesFirst: 3, firstTokenDelayMs: 300, tokens: 2 });
    const sink = recorder();
    const out = await adapter.stream(request(mock, type, 'slow-start'), sink);
    expect(out.status).toBe('ok');
    expect(sink.calls.every((c) => c.delta !== '')).toBe(true);
    const first = sink.calls[0]!;
    // Empty frames reached us first (bytes counted) without becoming text.
    expect(first).toMatchObject({ channel: 'text', delta: 'tok1' });
    expect(first.chunksBefore).toBeGreaterThan(0);
    // Counting an empty frame would put the first token near 0 ms; half the delay leaves room for a loaded machine.
    expect(first.at - sink.openedAt!).toBeGreaterThanOrEqual(150);
  });

  it('does not retry: a failing model gets exactly one request per call', async () => {
    mock.script('flaky', { fault: 'server_503', failTimes: 2 });
    const first = await adapter.stream(request(mock, type, 'flaky'), recorder());
    expect(first.error?.kind).toBe('server');
    expect(mock.requests.filter((r) => r.model === 'flaky')).toHaveLength(1);
    await adapter.stream(request(mock, type, 'flaky'), recorder());
    const third = await adapter.stream(request(mock, type, 'flaky'), recorder());
    expect(third.status).toBe('ok');
    expect(mock.requests.filter((r) => r.model === 'flaky')).toHaveLength(3);
  });

  it.each([
    ['rate_limit', 429, 'rate_limit', 'Rate limit reached for requests'],
    ['server_500', 500, 'server', 'The server had an error while processing your request'],
    ['server_502', 502, 'server', '502 Bad Gateway'],
    ['server_503', 503, 'server', 'The engine is currently overloaded, please try again later'],
    ['auth', 401, 'auth', 'Incorrect API key provided'],
    ['not_found', 404, 'not_found', 'The model does not exist or you do not have access to it'],
    ['bad_request', 400, 'bad_request', 'Invalid request: messages must not be empty'],
  ] as const)('maps HTTP fault %s to %s', async (fault, status, kind, providerMessage) => {
    mock.script(`m-${fault}`, { fault });
    const sink = recorder();
    const out = await adapter.stream(request(mock, type, `m-${fault}`), sink);
    expect(out.status).toBe('error');
    expect(out.httpStatus).toBe(status);
    expect(out.error).toMatchObject({ kind, httpStatus: status, providerMessage, retryAfterMs: null });
    expect(out.error?.message).toBe(`${status} from ${type}: ${providerMessage}`);
    expect(sink.openedAt).toBeNull();
  });

  it('parses Retry-After in seconds and as an HTTP date', async () => {
    mock.script('limited', { fault: 'rate_limit', retryAfterSec: 7 });
    const secs = await adapter.stream(request(mock, type, 'limited'), recorder());
    expect(secs.error?.retryAfterMs).toBe(7_000);

    mock.script('limited-date', { fault: 'rate_limit', retryAfterSec: new Date(Date.now() + 30_000).toUTCString() });
    const dated = await adapter.stream(request(mock, type, 'limited-date'), recorder());
    // HTTP dates have one-second resolution, and a loaded machine adds latency.
    expect(dated.error?.retryAfterMs).toBeGreaterThan(25_000);
    expect(dated.error?.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('rejects a wrong key as auth, in the protocol error shape', async () => {
    const out = await adapter.stream(request(mock, type, 'plain', { apiKey: 'sk-wrong-9999' }), recorder());
    expect(out.error).toMatchObject({ kind: 'auth', httpStatus: 401 });
    expect(out.error?.message).toBe(`401 from ${type}: Incorrect API key provided: ...9999`);
  });

  it('names the configured provider in messages', async () => {
    mock.script('down', { fault: 'server_500' });
    const out = await adapter.stream(request(mock, type, 'down', { providerId: 'my-proxy' }), recorder());
    expect(out.error?.message).toMatch(/^500 from my-proxy: /);
  });

  it('keeps partial text when the stream ends without its terminal event', async () => {
    mock.script('cut', { fault: 'missing_terminal', faultAfterTokens: 3 });
    const sink = recorder();
    const out = await adapter.stream(request(mock, type, 'cut'), sink);
    expect(out.status).toBe('incomplete');
    expect(out.error?.kind).toBe('truncated');
    expect(out.httpStatus).toBe(200);
    expect(out.finishReason).toBeNull();
    expect(sink.text).toBe('tok1 tok2 tok3');
  });

  it('turns an in-band error event into stream_error, keeping partial text', async () => {
    mock.script('err-event', { fault: 'error_event' });
    const sink = recorder();
    const out = await adapter.stream(request(mock, type, 'err-event'), sink);
    expect(out.status).toBe('error');
    expect(out.error).toMatchObject({ kind: 'stream_error', httpStatus: 200, providerMessage: 'Overloaded: the model stopped mid-stream' });
    expect(sink.text).toBe('tok1 tok2');
  });

  it('turns an unparseable event into malformed, keeping partial text', async () => {
    mock.script('garbled', { fault: 'malformed_event', faultAfterTokens: 1 });
    const sink = recorder();
    const out = await adapter.stream(request(mock, type, 'garbled'), sink);
    expect(out.status).toBe('error');
    expect(out.error?.kind).toBe('malformed');
    expect(out.error?.message).toContain(`malformed event from ${type}`);
    expect(sink.text).toBe('tok1');
  });

  it('reports a connection dropped mid-stream as a network error, keeping partial text', async () => {
    mock.script('dropper', { fault: 'drop_mid_stream', faultAfterTokens: 2, tokenDelayMs: 5 });
    const sink = recorder();
    const out = await adapter.stream(request(mock, type, 'dropper'), sink);
    expect(out.status).toBe('error');
    expect(out.error?.kind).toBe('network');
    expect(out.error?.message).toContain(`connection to ${type} (${new URL(mock.url).host}) lost mid-stream`);
    expect(sink.text).toBe('tok1 tok2');
  });

  it('lists models', async () => {
    mock.script('scripted-one', {});
    const models = await adapter.listModels({ baseUrl: mock.baseUrls[type], apiKey: KEY, signal: new AbortController().signal });
    expect(models).toEqual(['mock-small', 'mock-large', 'scripted-one']);
    // OpenAI and Anthropic share /v1/models: the mock must have recognised which one asked.
    expect(mock.requests.filter((r) => r.method === 'GET').map((r) => r.protocol)).toEqual([type]);
  });

  it('rejects a model listing with a bad key as a ProviderRequestError of kind auth', async () => {
    const listing = adapter.listModels({ baseUrl: mock.baseUrls[type], apiKey: 'nope', signal: new AbortController().signal });
    await expect(listing).rejects.toMatchObject({ name: 'ProviderRequestError', info: { kind: 'auth', httpStatus: 401 } });
  });
});
