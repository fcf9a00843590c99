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

describe('tools on the wire', () => {
  const tools = [{ name: 'lookup', description: 'Find a thing', parameters: { type: 'object', properties: { q: { type: 'string' } } } }];
  const schema = { type: 'object', properties: { a: { type: 'number' } } };

  it('OpenAI: the whole body with tools, a tool choice and a JSON schema response format', async () => {
    await getAdapter('openai').stream(request(mock, 'openai', 'oa-tools', { tools, toolChoice: 'none', responseFormat: { type: 'json_schema', name: 'out', schema, strict: true } }), recorder());
    expect(onlyRequest(mock, 'oa-tools').body).toEqual({
      model: 'oa-tools',
      messages: [{ role: 'user', content: 'hello mock world' }],
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: tools[0] }],
      tool_choice: 'none',
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema, strict: true } },
    });
  });

  it('Anthropic: json_object is a forced answer tool; beside other tools some tool must be called', async () => {
    await getAdapter('anthropic').stream(request(mock, 'anthropic', 'an-json', { responseFormat: { type: 'json_object' } }), recorder());
    const json = onlyRequest(mock, 'an-json').body as Record<string, unknown>;
    expect(json.tools).toEqual([{ name: 'json_answer', description: expect.any(String) as unknown, input_schema: { type: 'object' } }]);
    expect(json.tool_choice).toEqual({ type: 'tool', name: 'json_answer' });

    await getAdapter('anthropic').stream(request(mock, 'anthropic', 'an-both', { tools, responseFormat: { type: 'json_schema', name: 'out', schema } }), recorder());
    const both = onlyRequest(mock, 'an-both').body as Record<string, unknown>;
    expect((both.tools as Array<{ name: string }>).map((t) => t.name)).toEqual(['lookup', 'out']);
    expect(both.tool_choice).toEqual({ type: 'any' });
    // A choice the user made stands.
    await getAdapter('anthropic').stream(request(mock, 'anthropic', 'an-auto', { tools, toolChoice: 'auto' }), recorder());
    expect((onlyRequest(mock, 'an-auto').body as Record<string, unknown>).tool_choice).toEqual({ type: 'auto' });
  });

  it('Gemini: the response schema joins the generation parameters; tools and the calling mode beside them', async () => {
    await getAdapter('gemini').stream(request(mock, 'gemini', 'ge-tools', { params: { temperature: 0.5 }, tools, toolChoice: 'auto', responseFormat: { type: 'json_schema', name: 'out', schema } }), recorder());
    const b = onlyRequest(mock, 'ge-tools').body as Record<string, unknown>;
    expect(b.generationConfig).toEqual({ temperature: 0.5, responseMimeType: 'application/json', responseJsonSchema: schema });
    expect(b.tools).toEqual([{ functionDeclarations: [{ name: 'lookup', description: 'Find a thing', parametersJsonSchema: tools[0]!.parameters }] }]);
    expect(b.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
  });

  it('streamed calls with broken arguments come back as streamed, with the reason they do not parse', async () => {
    for (const type of ['openai', 'anthropic'] as const) {
      mock.script(`${type}-broken`, { text: '', toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{"q": "unterminated' }] });
      const out = await getAdapter(type).stream(request(mock, type, `${type}-broken`, { tools }), recorder());
      expect(out.status).toBe('ok');
      expect(out.toolCalls).toEqual([{ id: 'c1', name: 'lookup', arguments: '{"q": "unterminated', parseError: expect.stringMatching(/^arguments are not JSON: /) as unknown }]);
    }
  });
});
