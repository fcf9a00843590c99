/** What each adapter puts on the wire, as the mock server received it. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getAdapter } from '../../../electron/engine/providers';
import { startMockProviders, type MockProviders } from '../../mocks/provider-server';
import { KEY, onlyRequest, recorder, request } from './harness';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders({ requireKey: KEY });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => mock.reset());

const conversation = {
  system: 'Be brief',
  messages: [
    { role: 'user' as const, content: 'Hi' },
    { role: 'assistant' as const, content: 'Hello' },
    { role: 'user' as const, content: 'Again' },
  ],
  params: { temperature: 0.2, maxTokens: 50, topP: 0.9, seed: 7, stop: ['END'] },
};

describe('OpenAI requests', () => {
  it('sends Bearer auth, streaming with usage, a system message first and the params', async () => {
    const out = await getAdapter('openai').stream(request(mock, 'openai', 'gpt-mock', conversation), recorder());
    expect(out.status).toBe('ok');
    const rec = onlyRequest(mock, 'gpt-mock');
    expect(rec.path).toBe('/v1/chat/completions');
    expect(rec.headers.authorization).toBe('[redacted]');
    expect(rec.keyLast4).toBe('1234');
    expect(rec.body).toEqual({
      model: 'gpt-mock',
      messages: [{ role: 'system', content: 'Be brief' }, ...conversation.messages],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 50,
      top_p: 0.9,
      seed: 7,
      stop: ['END'],
    });
  });

  it('sends no authorization header when there is no key (local servers)', async () => {
    mock.setRequireKey(null);
    await getAdapter('openai').stream(request(mock, 'openai', 'local', { apiKey: null }), recorder());
    expect(onlyRequest(mock, 'local').headers.authorization).toBeUndefined();
  });

  it("reads OpenRouter's `reasoning` field as well as `reasoning_content`", async () => {
    mock.script('router', { reasoning: 'hmm yes', reasoningField: 'reasoning', text: 'ok', costUsd: 0.5 });
    const sink = recorder();
    const out = await getAdapter('openai').stream(request(mock, 'openai', 'router'), sink);
    expect(sink.reasoning).toBe('hmm yes');
    expect(sink.text).toBe('ok');
    expect(out.usage.costUsd).toBe(0.5);
  });
});

describe('Anthropic requests', () => {
  it('sends x-api-key, the version header, a top-level system and the params', async () => {
    const out = await getAdapter('anthropic').stream(request(mock, 'anthropic', 'claude-mock', conversation), recorder());
    expect(out.status).toBe('ok');
    const rec = onlyRequest(mock, 'claude-mock');
    expect(rec.path).toBe('/v1/messages');
    expect(rec.headers['x-api-key']).toBe('[redacted]');
    expect(rec.headers['anthropic-version']).toBe('2023-06-01');
    expect(rec.keyLast4).toBe('1234');
    expect(rec.body).toEqual({
      model: 'claude-mock',
      max_tokens: 50,
      system: 'Be brief',
      messages: conversation.messages,
      stream: true,
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['END'],
    });
  });

  it('defaults max_tokens to 4096, which the API requires', async () => {
    await getAdapter('anthropic').stream(request(mock, 'anthropic', 'claude-default'), recorder());
    const body = onlyRequest(mock, 'claude-default').body as Record<string, unknown>;
    expect(body.max_tokens).toBe(4096);
    expect(body).not.toHaveProperty('system');
  });
});

describe('Gemini requests', () => {
  it('posts to models/{model}:streamGenerateContent with alt=sse, model roles, systemInstruction and generationConfig', async () => {
    const out = await getAdapter('gemini').stream(request(mock, 'gemini', 'models/gemini-mock', conversation), recorder());
    expect(out.status).toBe('ok');
    const rec = onlyRequest(mock, 'gemini-mock');
    expect(rec.path).toBe('/v1beta/models/gemini-mock:streamGenerateContent?alt=sse');
    expect(rec.headers['x-goog-api-key']).toBe('[redacted]');
    expect(rec.keyLast4).toBe('1234');
    expect(rec.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello' }] },
        { role: 'user', parts: [{ text: 'Again' }] },
      ],
      systemInstruction: { parts: [{ text: 'Be brief' }] },
      generationConfig: { temperature: 0.2, maxOutputTokens: 50, topP: 0.9, seed: 7, stopSequences: ['END'] },
    });
  });

  it('omits generationConfig when no parameter is set', async () => {
    await getAdapter('gemini').stream(request(mock, 'gemini', 'gemini-bare'), recorder());
    expect(onlyRequest(mock, 'gemini-bare').body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hello mock world' }] }] });
  });
});
