/** The pure rules of tools and structured output (shared/tools.ts) and the engine's schema check (structured.ts). */
import { describe, expect, it } from 'vitest';
import { CompareRequest } from '../../shared/domain';
import { NO_RESULT, ToolList, completeToolResults, normaliseResponseFormat, normaliseTools, parseArguments, prettyArguments, resultObject, toolPromptTexts } from '../../shared/tools';
import { compileStructured } from '../../electron/engine/structured';
import { promptTokenBound } from '../../electron/engine/token-bound';

const call = (id: string) => ({ id, name: 'f', arguments: '{}' });

describe('completeToolResults', () => {
  it('answers every call of an assistant turn: given results kept in call order, the rest "no result provided"', () => {
    const out = completeToolResults([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '', toolCalls: [call('a'), call('b')] },
      { role: 'user', content: 'next', toolResults: [{ callId: 'b', name: 'ignored', content: '42' }, { callId: 'zz', name: 'f', content: 'stray' }] },
    ]);
    expect(out[2]!.toolResults).toEqual([
      { callId: 'a', name: 'f', content: NO_RESULT, missing: true },
      { callId: 'b', name: 'f', content: '42' },
    ]);
  });

  it('drops results after a turn that made no calls, and leaves a conversation ending in calls alone', () => {
    const out = completeToolResults([
      { role: 'assistant', content: 'hi' },
      { role: 'user', content: 'x', toolResults: [{ callId: 'a', name: 'f', content: '1' }] },
      { role: 'assistant', content: '', toolCalls: [call('c')] },
    ]);
    expect(out[1]!.toolResults).toBeUndefined();
    expect(out[2]!.toolCalls).toEqual([call('c')]);
  });
});

describe('tool definitions', () => {
  it('OpenAI\'s shape and ours come to the same list; a tool without parameters gets the empty object schema', () => {
    const ours = [{ name: 'a', description: 'd', parameters: { type: 'object' } }];
    expect(normaliseTools([{ type: 'function', function: { name: 'a', description: 'd', parameters: { type: 'object' }, strict: true } }])).toEqual(ours);
    expect(ToolList.parse(normaliseTools([{ name: 'b' }]))).toEqual([{ name: 'b', parameters: { type: 'object', properties: {} } }]);
  });

  it('bounds names, counts and schema sizes', () => {
    expect(ToolList.safeParse([{ name: 'x'.repeat(65), parameters: {} }]).success).toBe(false);
    expect(ToolList.safeParse(Array.from({ length: 129 }, (_, i) => ({ name: `t${i}`, parameters: {} }))).success).toBe(false);
    expect(ToolList.safeParse([{ name: 'big', parameters: { type: 'object', description: 'x'.repeat(70_000) } }]).success).toBe(false);
    expect(CompareRequest.safeParse({ messages: [{ role: 'user', content: 'q' }], targets: ['a:b'], tools: [{ name: 'ok-name_1', parameters: {} }], toolChoice: { name: 'ok-name_1' } }).success).toBe(true);
  });
});

describe('response formats', () => {
  it('a bare schema, ours and OpenAI\'s shape all read the same', () => {
    const schema = { type: 'object', required: ['x'] };
    const want = { type: 'json_schema', name: 'answer', schema };
    expect(normaliseResponseFormat(schema)).toEqual(want);
    expect(normaliseResponseFormat({ type: 'json_schema', json_schema: { name: 'answer', schema } })).toEqual(want);
    expect(normaliseResponseFormat({ type: 'json_object' })).toEqual({ type: 'json_object' });
  });
});

describe('arguments and results', () => {
  it('parses arguments, says why when they are not JSON, and pretty-prints either way', () => {
    expect(parseArguments('{"a":1}')).toEqual({ parsed: { a: 1 } });
    expect(parseArguments('')).toEqual({ parsed: {} });
    const bad = parseArguments('{"a":');
    expect(bad.parseError).toMatch(/^arguments are not JSON: /);
    expect(prettyArguments({ arguments: '{"a":1}', parsed: { a: 1 } })).toBe('{\n  "a": 1\n}');
    expect(prettyArguments({ arguments: '{"a":' })).toBe('{"a":');
  });

  it('a result for Gemini is an object: JSON objects as they are, anything else wrapped, a missing one an error', () => {
    expect(resultObject({ content: '{"t":1}' })).toEqual({ t: 1 });
    expect(resultObject({ content: '[1,2]' })).toEqual({ result: [1, 2] });
    expect(resultObject({ content: 'sunny' })).toEqual({ result: 'sunny' });
    expect(resultObject({ content: NO_RESULT, missing: true })).toEqual({ error: NO_RESULT });
  });

  it('tool parts count toward the prompt\'s token bound', () => {
    const plain = { messages: [{ role: 'user' as const, content: 'q' }] };
    const texts = toolPromptTexts({ ...plain, tools: [{ name: 'f', parameters: { type: 'object' } }] });
    expect(texts).toEqual(['[{"name":"f","parameters":{"type":"object"}}]']);
    expect(promptTokenBound({ ...plain, tools: [{ name: 'f', parameters: { type: 'object' } }] })).toBeGreaterThan(promptTokenBound(plain));
  });
});

describe('compileStructured', () => {
  const check = compileStructured({ type: 'json_schema', name: 'a', schema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false } })!;

  it('valid, invalid with ajv\'s reasons, and not JSON with why', () => {
    expect(check('{"n": 1}')).toEqual({ valid: true });
    expect(check('{"n": 1.5, "x": 0}')).toEqual({ valid: false, errors: ['the answer must NOT have additional properties (x)', '/n must be integer'] });
    expect(check('')).toEqual({ valid: false, errors: ['the answer is empty, not JSON'] });
    expect(check('```json\n{"n": 1}\n```')).toEqual({ valid: false, errors: ['the answer is not JSON: it is wrapped in a markdown code fence'] });
    expect(check('n = 1').errors![0]).toMatch(/^the answer is not JSON: /);
  });

  it('no format, no checker; json_object takes any object', () => {
    expect(compileStructured(undefined)).toBeNull();
    const any = compileStructured({ type: 'json_object' })!;
    expect(any('{}')).toEqual({ valid: true });
    expect(any('3')).toEqual({ valid: false, errors: ['the answer is JSON but not an object'] });
  });
});
