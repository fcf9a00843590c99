/**
 * Tools and structured output through the real engine (issue 14): tool
 * definitions, tool choice and response formats sent in each protocol's own
 * shape, streamed tool calls surfaced and stored, the calls and their results
 * sent back in a follow-up and a fork (asserted on the bodies the loopback mock
 * received, which refuses a call left without a result as the real APIs do),
 * an endpoint the catalog says cannot call tools refused before sending, and
 * structured answers validated against their schema.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderType } from '../../shared/domain';
import type { ToolDefinition } from '../../shared/tools';
import type { MockProviders, MockRequestRecord } from '../mocks/provider-server';
import { PROMPT, PROTOCOLS, addProvider, ask, catalogDoc, closeWorkbenches, col, expectPersisted, openWorkbench, requestsFor, shareMockProviders, type Workbench } from './helpers';

const PID: Record<ProviderType, string> = { openai: 'oa', anthropic: 'an', gemini: 'ge' };
const WEATHER: ToolDefinition = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const CALLS = [
  { id: 'call_w1', name: 'get_weather', arguments: { city: 'Paris' } },
  { id: 'call_w2', name: 'get_weather', arguments: { city: 'Oslo' } },
];
const FOLLOW = 'so what should I wear?';

let mock: MockProviders;
let wb: Workbench;

shareMockProviders((m) => (mock = m));
beforeEach(async () => {
  mock.reset();
  wb = openWorkbench();
  for (const type of PROTOCOLS) await addProvider(wb, { id: PID[type], type, baseUrl: mock.baseUrls[type] });
});
afterEach(closeWorkbenches);

const body = (r: MockRequestRecord | undefined) => r!.body as Record<string, unknown>;

describe('tool definitions', () => {
  it('go out in each protocol\'s shape with the tool choice, and the streamed calls come back parsed, as an ok finish', async () => {
    for (const type of PROTOCOLS) mock.script(`${type}-tools`, { text: type === 'anthropic' ? 'Let me check.' : '', toolCalls: CALLS });
    const result = await wb.engine.compare(ask(PROTOCOLS.map((t) => `${PID[t]}:${t}-tools`), { tools: [WEATHER], toolChoice: 'required' }));

    const [oa, an, ge] = PROTOCOLS.map((t) => body(requestsFor(mock, `${t}-tools`)[0]));
    expect(oa!.tools).toEqual([{ type: 'function', function: WEATHER }]);
    expect(oa!.tool_choice).toBe('required');
    expect(an!.tools).toEqual([{ name: 'get_weather', description: WEATHER.description, input_schema: WEATHER.parameters }]);
    expect(an!.tool_choice).toEqual({ type: 'any' });
    expect(ge!.tools).toEqual([{ functionDeclarations: [{ name: 'get_weather', description: WEATHER.description, parametersJsonSchema: WEATHER.parameters }] }]);
    expect(ge!.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });

    expect(result.columns.map((c) => [c.status, c.finishReason])).toEqual([['ok', 'tool_calls'], ['ok', 'tool_use'], ['ok', 'STOP']]);
    for (const c of result.columns) {
      expect(c.toolCalls?.map((t) => [t.name, t.arguments, t.parsed])).toEqual([
        ['get_weather', '{"city":"Paris"}', { city: 'Paris' }],
        ['get_weather', '{"city":"Oslo"}', { city: 'Oslo' }],
      ]);
      expect(c.error).toBeNull();
    }
    expect(col(result, 0).toolCalls!.map((t) => t.id)).toEqual(['call_w1', 'call_w2']);
    expect(col(result, 1).toolCalls!.map((t) => t.id)).toEqual(['call_w1', 'call_w2']);
    // Gemini names no call: the ids are made per response, so two calls (and two columns) never share one.
    const geminiIds = col(result, 2).toolCalls!.map((t) => t.id);
    expect(new Set(geminiIds).size).toBe(2);
    expect(col(result, 1).text).toBe('Let me check.');
    // What the engine returned is what SQLite holds, calls included.
    expectPersisted(wb, result);
  });

  it('a named tool choice is each protocol\'s own "this tool"; none of it is sent without tools', async () => {
    for (const type of PROTOCOLS) mock.script(`${type}-named`, { text: 'plain answer' });
    await wb.engine.compare(ask(PROTOCOLS.map((t) => `${PID[t]}:${t}-named`), { tools: [WEATHER], toolChoice: { name: 'get_weather' } }));
    const [oa, an, ge] = PROTOCOLS.map((t) => body(requestsFor(mock, `${t}-named`)[0]));
    expect(oa!.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(an!.tool_choice).toEqual({ type: 'tool', name: 'get_weather' });
    expect(ge!.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });

    mock.reset();
    for (const type of PROTOCOLS) mock.script(`${type}-plain`, { text: 'plain answer' });
    const plain = await wb.engine.compare(ask(PROTOCOLS.map((t) => `${PID[t]}:${t}-plain`)));
    for (const t of PROTOCOLS) {
      const b = body(requestsFor(mock, `${t}-plain`)[0]);
      for (const k of ['tools', 'tool_choice', 'toolConfig', 'response_format']) expect(b).not.toHaveProperty(k);
    }
    // A one-turn run without tools has none of the new fields.
    for (const c of plain.columns) for (const k of ['toolCalls', 'structured', 'toolResults']) expect(c).not.toHaveProperty(k);
  });

  it('are refused before sending when the request is wrong: a choice naming no tool, a bad name, a duplicate', () => {
    const base = ask(['oa:x']);
    expect(() => wb.engine.prepare({ ...base, tools: [WEATHER], toolChoice: { name: 'nope' } })).toThrow('toolChoice: no tool named "nope" is defined');
    expect(() => wb.engine.prepare({ ...base, toolChoice: 'auto' })).toThrow('toolChoice: a tool choice needs tools');
    expect(() => wb.engine.prepare({ ...base, tools: [{ ...WEATHER, name: 'get weather' }] })).toThrow('tools.0.name: a tool name is 1-64 letters, digits, "_" or "-"');
    expect(() => wb.engine.prepare({ ...base, tools: [WEATHER, WEATHER] })).toThrow('tools: two tools have the same name');
    expect(() => wb.engine.prepare({ ...base, tools: [{ ...WEATHER, parameters: { type: 'string' } }] })).toThrow('a JSON Schema of type "object"');
    expect(mock.requests).toEqual([]);
  });
});

describe('tool calls in a follow-up', () => {
  it('go back in each protocol\'s shape with the given result, and "no result provided" for the call left unanswered', async () => {
    for (const type of PROTOCOLS) mock.script(`${type}-trip`, { text: type === 'anthropic' ? 'Let me check.' : '', toolCalls: CALLS });
    const first = await wb.engine.compare(ask(PROTOCOLS.map((t) => `${PID[t]}:${t}-trip`), { tools: [WEATHER] }));
    const firstIds = first.columns.map((c) => c.toolCalls![0]!.id);
    const results = Object.fromEntries(firstIds.map((id) => [id, '{"temp_c":18}']));

    for (const type of PROTOCOLS) mock.script(`${type}-trip`, { text: 'Take a light jacket.' });
    const result = await wb.engine.followUp(first.runId, FOLLOW, { toolResults: results }).done;
    expect(result.columns.map((c) => [c.status, c.text])).toEqual(PROTOCOLS.map(() => ['ok', 'Take a light jacket.']));

    const [oa, an, ge] = PROTOCOLS.map((t) => body(requestsFor(mock, `${t}-trip`)[1]));
    expect(oa!.messages).toEqual([
      { role: 'user', content: PROMPT },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_w2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_w1', content: '{"temp_c":18}' },
      { role: 'tool', tool_call_id: 'call_w2', content: 'no result provided' },
      { role: 'user', content: FOLLOW },
    ]);
    expect(an!.messages).toEqual([
      { role: 'user', content: PROMPT },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_use', id: 'call_w1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_w2', name: 'get_weather', input: { city: 'Oslo' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_w1', content: '{"temp_c":18}' },
          { type: 'tool_result', tool_use_id: 'call_w2', content: 'no result provided', is_error: true },
          { type: 'text', text: FOLLOW },
        ],
      },
    ]);
    expect(ge!.contents).toEqual([
      { role: 'user', parts: [{ text: PROMPT }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }, { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }] },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp_c: 18 } } },
          { functionResponse: { name: 'get_weather', response: { error: 'no result provided' } } },
          { text: FOLLOW },
        ],
      },
    ]);
    // The tools carry over to the follow-up.
    expect(oa!.tools).toEqual([{ type: 'function', function: WEATHER }]);

    // History keeps the calls with their turn and the results with the next one.
    const saved = expectPersisted(wb, result);
    PROTOCOLS.forEach((_t, i) => {
      const turns = col(saved, i).turns!;
      expect(turns[0]!.toolCalls?.map((c) => c.id)).toEqual(first.columns[i]!.toolCalls!.map((c) => c.id));
      expect(turns[1]!.toolResults).toEqual([{ callId: firstIds[i], name: 'get_weather', content: '{"temp_c":18}' }]);
    });

    // A third turn still sends the whole history, results included.
    mock.script('openai-trip', { text: 'ok' });
    await wb.engine.followUp(first.runId, 'thanks', { column: 0 }).done;
    const third = body(requestsFor(mock, 'openai-trip')[2]).messages as Array<Record<string, unknown>>;
    expect(third.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'user', 'assistant', 'user']);
    expect(third[2]).toEqual({ role: 'tool', tool_call_id: 'call_w1', content: '{"temp_c":18}' });
  });

  it('Gemini: a thinking model\'s thought signature on a call goes back with it', async () => {
    mock.script('ge-sig', { text: '', toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' }, signature: 'c2lnbmF0dXJlLWJ5dGVz' }] });
    const first = await wb.engine.compare(ask(['ge:ge-sig'], { tools: [WEATHER] }));
    expect(col(first).toolCalls?.[0]).toMatchObject({ name: 'get_weather', signature: 'c2lnbmF0dXJlLWJ5dGVz' });
    mock.script('ge-sig', { text: 'warm' });
    await wb.engine.followUp(first.runId, FOLLOW).done;
    const contents = body(requestsFor(mock, 'ge-sig')[1]).contents as unknown[];
    expect(contents[1]).toEqual({ role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Rome' } }, thoughtSignature: 'c2lnbmF0dXJlLWJ5dGVz' }] });
  });

  it('a result for a call no column made is refused before anything is sent', async () => {
    mock.script('lonely', { text: '', toolCalls: CALLS.slice(0, 1) });
    const first = await wb.engine.compare(ask(['oa:lonely'], { tools: [WEATHER] }));
    const before = mock.requests.length;
    expect(() => wb.engine.followUp(first.runId, FOLLOW, { toolResults: { call_zz: '1' } })).toThrow(`no tool call "call_zz" in the last answers of run ${first.runId} (calls: call_w1)`);
    expect(mock.requests.length).toBe(before);
    expect(wb.ctx.store.runs.nextTurn(first.runId)).toBe(1);
  });

  it('a fork sends the column\'s calls and the given results to the new models', async () => {
    mock.script('origin', { text: '', toolCalls: CALLS.slice(0, 1) });
    const first = await wb.engine.compare(ask(['oa:origin'], { tools: [WEATHER] }));
    mock.script('forked', { text: 'Wear a coat.' });
    const req = wb.engine.forkRequest(first.runId, 0, ['an:forked', 'ge:forked'], FOLLOW, { call_w1: 'rain, 9 C' });
    const result = await wb.engine.compare(req);
    expect(result.columns.map((c) => c.status)).toEqual(['ok', 'ok']);
    const [an, ge] = requestsFor(mock, 'forked').sort((a, b) => (a.protocol! < b.protocol! ? -1 : 1)).map(body);
    expect((an!.messages as unknown[]).slice(1)).toEqual([
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_w1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_w1', content: 'rain, 9 C' }, { type: 'text', text: FOLLOW }] },
    ]);
    expect(an!.tools).toEqual([{ name: 'get_weather', description: WEATHER.description, input_schema: WEATHER.parameters }]);
    expect((ge!.contents as unknown[]).slice(1)).toEqual([
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { result: 'rain, 9 C' } } }, { text: FOLLOW }] },
    ]);
  });
});

describe('an endpoint that cannot call tools', () => {
  it('is refused before sending with the catalog\'s reason; an endpoint the catalog does not know is sent', async () => {
    const catalog = {
      asOf: '2026-07-02', source: 'tools tests', license: 'none',
      providers: [catalogDoc.provider('acme')],
      models: [{ id: 'acme/old', name: 'old', family: null, reasoning: false, toolCall: false, attachment: false, structuredOutput: false, inputModalities: ['text'], outputModalities: ['text'], contextWindow: 8000, maxOutput: 1000, releaseDate: null, openWeights: false }],
      endpoints: [{ providerId: 'acme', upstreamModel: 'old-1', modelId: 'acme/old', price: catalogDoc.price(1, 2), contextWindow: 8000, maxOutput: 1000, capabilities: { tools: false, vision: false, json: false, reasoning: false } }],
      overrides: [],
    };
    const own = openWorkbench({ catalog });
    await addProvider(own, { id: 'acme', type: 'openai', baseUrl: mock.baseUrls.openai, catalogProvider: 'acme' });
    await addProvider(own, { id: 'local', type: 'openai', baseUrl: mock.baseUrls.openai });
    mock.script('new-model', { text: 'fine' });
    const result = await own.engine.compare(ask(['acme/old', 'local:new-model'], { tools: [WEATHER] }));
    expect(col(result, 0).status).toBe('error');
    expect(col(result, 0).error).toBe('acme:old-1 cannot do tool calling (catalog: no tools capability), and the request has tools');
    expect(col(result, 0).attempts).toEqual([]);
    expect(requestsFor(mock, 'old-1')).toEqual([]);
    expect(col(result, 1).status).toBe('ok');

    const json = await own.engine.compare(ask(['acme/old'], { responseFormat: { type: 'json_object' } }));
    expect(col(json).error).toBe('acme:old-1 cannot do JSON output (catalog: no json capability), and the request has a response format');
    expect(requestsFor(mock, 'old-1')).toEqual([]);
  });
});

describe('structured output', () => {
  const SCHEMA = { type: 'object', properties: { city: { type: 'string' }, temp_c: { type: 'number' } }, required: ['city', 'temp_c'], additionalProperties: false };
  const FORMAT = { type: 'json_schema' as const, name: 'weather', schema: SCHEMA, strict: true };

  it('asks each protocol its own way and says per column whether the answer validates', async () => {
    mock.script('openai-json', { text: '{"city": "Paris", "temp_c": 18}' });
    // Anthropic answers through the forced tool: its input is the answer.
    mock.script('anthropic-json', { text: '', toolCalls: [{ id: 'toolu_a', name: 'weather', arguments: '{"city": "Paris"}' }] });
    mock.script('gemini-json', { text: 'It is 18 C in Paris.' });
    const result = await wb.engine.compare(ask(PROTOCOLS.map((t) => `${PID[t]}:${t}-json`), { responseFormat: FORMAT }));

    const [oa, an, ge] = PROTOCOLS.map((t) => body(requestsFor(mock, `${t}-json`)[0]));
    expect(oa!.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'weather', schema: SCHEMA, strict: true } });
    expect(an!.tools).toEqual([{ name: 'weather', description: expect.stringContaining('answer') as unknown, input_schema: SCHEMA }]);
    expect(an!.tool_choice).toEqual({ type: 'tool', name: 'weather' });
    expect(ge!.generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: SCHEMA });

    expect(col(result, 0).structured).toEqual({ valid: true });
    expect(col(result, 1).text).toBe('{"city": "Paris"}');
    expect(col(result, 1)).not.toHaveProperty('toolCalls');
    expect(col(result, 1).structured).toEqual({ valid: false, errors: ["the answer must have required property 'temp_c'"] });
    expect(col(result, 2).structured).toEqual({ valid: false, errors: [expect.stringMatching(/^the answer is not JSON: /) as unknown] });
    expect(result.columns.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
    expectPersisted(wb, result);
  });

  it('json_object: any JSON object is valid; a schema ajv cannot compile is refused before sending', async () => {
    mock.script('obj', { text: '["not", "an", "object"]' });
    const result = await wb.engine.compare(ask(['oa:obj'], { responseFormat: { type: 'json_object' } }));
    expect(body(requestsFor(mock, 'obj')[0]).response_format).toEqual({ type: 'json_object' });
    expect(col(result).structured).toEqual({ valid: false, errors: ['the answer is JSON but not an object'] });
    expect(() => wb.engine.prepare(ask(['oa:obj'], { responseFormat: { type: 'json_schema', name: 'bad', schema: { type: 'nonsense' } } }))).toThrow(/^responseFormat.schema is not a valid JSON Schema: /);
  });
});
