/**
 * `compare --tools / --tool-choice / --response-format / --tool-result` end to
 * end: the real process on a real SQLite file against the loopback mock. Text
 * output prints the calls and the schema check under each column; `history show
 * --json` equals `compare --json`; bad files are one line naming the file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { CliSandbox, expectOneLineError, parseJsonOutput } from './cli-helpers';

async function mockProviders(t: TestContext): Promise<MockProviders> {
  const mock = await startMockProviders();
  t.onTestFinished(() => mock.close());
  return mock;
}

function sandbox(t: TestContext): CliSandbox {
  const sb = new CliSandbox({ SY_TEST_KEY: 'sk-test-tools-0123456789' });
  t.onTestFinished(() => sb.cleanup());
  return sb;
}

const provider = (mock: MockProviders, id: string, type: 'openai' | 'anthropic' | 'gemini') => ['providers', 'add', id, '--type', type, '--base-url', mock.baseUrls[type], '--api-key-env', 'SY_TEST_KEY'];

interface Json {
  runId: string;
  columns: Array<{ text: string; toolCalls?: Array<{ id: string; name: string; arguments: string; parsed?: unknown }>; structured?: { valid: boolean; errors?: string[] } }>;
}

/** OpenAI's shape, as people paste it from their code: accepted as well as ours. */
const TOOLS_OPENAI_SHAPE = [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];

describe.concurrent('compare with tools', { timeout: 180_000 }, () => {
  it('prints each call pretty-printed under its column, and a follow-up sends the --tool-result back', async (t) => {
    const mock = await mockProviders(t);
    const sb = sandbox(t);
    for (const r of await Promise.all([sb.run(provider(mock, 'oa', 'openai')), sb.run(provider(mock, 'an', 'anthropic'))])) expect(r.code, r.stderr).toBe(0);
    const tools = join(sb.dataDir, 'tools.json');
    writeFileSync(tools, JSON.stringify(TOOLS_OPENAI_SHAPE));
    mock.script('m-tools', { text: '', toolCalls: [{ id: 'call_p', name: 'get_weather', arguments: { city: 'Paris' } }] });

    const text = await sb.run(['compare', 'weather in Paris?', '-m', 'oa:m-tools', '-m', 'an:m-tools', '--tools', tools, '--tool-choice', 'get_weather']);
    expect(text.code, text.stderr).toBe(0);
    for (const n of [1, 2]) expect(text.stdout).toContain(`[${n}] tool call get_weather (call_p):\n[${n}]   {\n[${n}]     "city": "Paris"\n[${n}]   }\n`);
    const [oa, an] = mock.requests.filter((r) => r.model === 'm-tools').sort((a, b) => (a.protocol! < b.protocol! ? -1 : 1)).reverse();
    expect((oa!.body as Record<string, unknown>).tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect((an!.body as Record<string, unknown>).tools).toEqual([{ name: 'get_weather', description: 'Weather for a city', input_schema: TOOLS_OPENAI_SHAPE[0]!.function.parameters }]);
    const runId = /run (r_\w+)/.exec(text.stdout)![1]!;

    mock.script('m-tools', { text: 'bring an umbrella' });
    const next = await sb.json<Json>(['compare', '--follow-up', runId, 'what to wear?', '--column', '1', '--tool-result', 'call_p={"rain":true}', '--json']);
    expect(next.columns[0]!.text).toBe('bring an umbrella');
    const sent = (mock.requests.filter((r) => r.model === 'm-tools').at(-1)!.body as { messages: unknown[] }).messages;
    expect(sent.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_p', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_p', content: '{"rain":true}' },
      { role: 'user', content: 'what to wear?' },
    ]);
    const shown = parseJsonOutput<Json>(await sb.run(['history', 'show', runId, '--json']));
    expect(shown).toEqual(next);
    const human = await sb.run(['history', 'show', runId]);
    expect(human.stdout).toContain('tool call get_weather (call_p):');

    const wrong = await sb.run(['compare', '--follow-up', runId, 'again', '--tool-result', 'call_nope=1']);
    expectOneLineError(wrong, 1, /no tool call "call_nope" in the last answers of run/);
  });

  it('--response-format FILE validates each answer and prints "schema: valid" or "invalid (reason)"; --json carries it', async (t) => {
    const mock = await mockProviders(t);
    const sb = sandbox(t);
    expect((await sb.run(provider(mock, 'oa', 'openai'))).code).toBe(0);
    const schema = join(sb.dataDir, 'schema.json');
    writeFileSync(schema, JSON.stringify({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] }));
    mock.script('good', { text: '{"n": 3}' });
    mock.script('bad', { text: '{"n": "three"}' });
    const r = await sb.run(['compare', 'count', '-m', 'oa:good', '-m', 'oa:bad', '--response-format', schema]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('[1] schema: valid\n');
    expect(r.stdout).toContain('[2] schema: invalid (/n must be integer)\n');
    const body = mock.requests.find((x) => x.model === 'good')!.body as Record<string, unknown>;
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema: JSON.parse(JSON.stringify({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] })) as unknown } });

    const json = await sb.json<Json>(['compare', 'count', '-m', 'oa:bad', '--response-format', 'json', '--json']);
    expect(json.columns[0]!.structured).toEqual({ valid: true });
  });

  it('refuses bad files and flags in one line naming the file', async (t) => {
    const sb = sandbox(t);
    const bad = join(sb.dataDir, 'bad.json');
    writeFileSync(bad, '[{"name": "no spaces allowed", "parameters": {}}]');
    const notJson = join(sb.dataDir, 'not.json');
    writeFileSync(notJson, '{ nope');
    const cases: Array<[string[], RegExp]> = [
      [['--tools', bad], /^switchyard: --tools .*bad\.json: 0\.name: a tool name is 1-64 letters, digits, "_" or "-"$/],
      [['--tools', notJson], /^switchyard: --tools .*not\.json: not JSON: /],
      [['--tools', join(sb.dataDir, 'missing.json')], /^switchyard: --tools: .*missing\.json/],
      [['--tools', '/dev/zero'], /^switchyard: --tools: --tools file \/dev\/zero is not a regular file/],
      [['--response-format', notJson], /^switchyard: --response-format .*not\.json: not JSON: /],
      [['--tool-choice', 'auto'], /^switchyard: --tool-choice needs --tools FILE$/],
      [['--tool-result', 'x=1'], /^switchyard: --tool-result goes with --follow-up <runId> or --fork <runId>/],
    ];
    const results = await Promise.all(cases.map(([flags]) => sb.run(['compare', 'hi', '-m', 'oa:x', ...flags])));
    results.forEach((r, i) => expectOneLineError(r, 1, cases[i]![1]));
  });
});
