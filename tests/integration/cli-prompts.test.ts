/**
 * The prompt library on the command line: the real `switchyard` process on a
 * real SQLite file, and `compare --template … --var …` against the loopback
 * mock, asserting the filled text is what the provider received.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { CliSandbox, expectOneLineError, parseJsonOutput, runJsonOf, type CliResult } from './cli-helpers';

function sandbox(t: TestContext): CliSandbox {
  const sb = new CliSandbox({ SY_TEST_KEY: 'sk-test-prompts-0123456789' });
  t.onTestFinished(() => sb.cleanup());
  return sb;
}

interface PromptJson {
  id: string;
  name: string;
  kind: 'prompt' | 'system';
  body: string;
  variables: string[];
  lastUsedAt: number | null;
}

/** Runs the commands a few at a time: the machine is shared, and a CLI start is a second or more of CPU. */
async function runAll(sb: CliSandbox, commands: string[][], width = 4): Promise<CliResult[]> {
  const out: CliResult[] = [];
  for (let i = 0; i < commands.length; i += width) out.push(...(await Promise.all(commands.slice(i, i + width).map((c) => sb.run(c)))));
  return out;
}

async function ok(sb: CliSandbox, args: string[]): Promise<string> {
  const r = await sb.run(args);
  expect(r.code, `switchyard ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('switchyard prompts', { timeout: 180_000 }, () => {
  it('adds from --text and --file, lists, shows exactly as written, replaces, and removes; a name is per kind', async (t) => {
    const sb = sandbox(t);
    expect(await ok(sb, ['prompts', 'list'])).toMatch(/^no saved prompts yet/);
    const file = join(sb.dataDir, 'review.txt');
    const body = 'Review this {{ lang }} code:\n\n{{code}}\n\nLiteral: {{ "{{" }} not a var }} — ünïcödé\n';
    writeFileSync(file, body);
    expect(await ok(sb, ['prompts', 'add', 'review', '--file', file])).toBe(`saved prompt review (${Array.from(body).length} chars, variables: lang, code)\n`);
    expect(await ok(sb, ['prompts', 'add', 'review', '--system', '--text', 'You review {{lang}} code.'])).toMatch(/^saved system prompt review .*variables: lang/);

    // Shown as written, byte for byte (a trailing newline is not doubled).
    expect(await ok(sb, ['prompts', 'show', 'review'])).toBe(body);
    expect(await ok(sb, ['prompts', 'show', 'review', '--system'])).toBe('You review {{lang}} code.\n');
    const shown = parseJsonOutput<PromptJson>(await sb.run(['prompts', 'show', 'review', '--json']));
    expect(shown).toMatchObject({ name: 'review', kind: 'prompt', body, variables: ['lang', 'code'], lastUsedAt: null });

    const taken = await sb.run(['prompts', 'add', 'review', '--text', 'other']);
    expectOneLineError(taken, 1, /^switchyard: a prompt named "review" already exists: pass --replace to overwrite it, or choose another name$/);
    expect(await ok(sb, ['prompts', 'add', 'review', '--text', 'Now {{ x }}', '--replace'])).toMatch(/^replaced prompt review .*variables: x/);
    const listed = parseJsonOutput<PromptJson[]>(await sb.run(['prompts', 'list', '--json']));
    expect(listed.map((p) => [p.name, p.kind, p.body, p.variables])).toEqual([
      ['review', 'prompt', 'Now {{ x }}', ['x']],
      ['review', 'system', 'You review {{lang}} code.', ['lang']],
    ]);
    // Replacing keeps the entry (its id), it does not add one.
    expect(listed[0]!.id).toBe(shown.id);
    expect(await ok(sb, ['prompts', 'list'])).toMatch(/name\s+kind\s+variables\s+last used\n[- ]+\nreview\s+prompt\s+x\s+-\nreview\s+system\s+lang\s+-\n$/);

    expect(await ok(sb, ['prompts', 'rm', 'review', '--system'])).toBe('deleted system prompt review\n');
    const db = sb.readDb();
    try {
      expect(db.prepare('SELECT name, kind, body FROM prompts').all()).toEqual([{ name: 'review', kind: 'prompt', body: 'Now {{ x }}' }]);
    } finally {
      db.close();
    }
    expectOneLineError(await sb.run(['prompts', 'show', 'review', '--system']), 1, /^switchyard: no system prompt named "review"; there is a prompt of that name \(leave out --system\)$/);
  });

  it('refuses each bad input in one line and stores nothing', async (t) => {
    const sb = sandbox(t);
    const binary = join(sb.dataDir, 'bin.dat');
    writeFileSync(binary, Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x00]));
    const nul = join(sb.dataDir, 'nul.txt');
    writeFileSync(nul, 'a\u0000b');
    const empty = join(sb.dataDir, 'empty.txt');
    writeFileSync(empty, '  \n');
    const cases: Array<[string[], RegExp]> = [
      [['prompts', 'add', 'x'], /prompts add needs the text: --text <text> or --file <file> \(one of them\)/],
      [['prompts', 'add', 'x', '--text', 'a', '--file', empty], /one of them/],
      [['prompts', 'add', 'x', '--text', '   '], /--text: the prompt is empty/],
      [['prompts', 'add', 'x', '--file', empty], /prompt file .*empty\.txt: the prompt is empty/],
      [['prompts', 'add', 'x', '--file', binary], /prompt file .*bin\.dat is not UTF-8 text/],
      [['prompts', 'add', 'x', '--file', nul], /prompt file .*nul\.txt is not text \(it holds NUL bytes\)/],
      [['prompts', 'add', 'x', '--file', join(sb.dataDir, 'missing.txt')], /missing\.txt/],
      [['prompts', 'add', 'x', '--file', sb.dataDir], /is not a regular file/],
      [['prompts', 'add', ' x', '--text', 'a'], /invalid prompt name " x": a prompt name has no leading or trailing spaces/],
      [['prompts', 'add', 'a\nb', '--text', 'a'], /invalid prompt name "a\\nb": a prompt name is one line of printable characters/],
      [['prompts', 'add', 'n'.repeat(500), '--text', 'a'], /invalid prompt name "n+…" \(500 chars\): a prompt name is at most 120 characters/],
      [['prompts', 'show', 'nope'], /^switchyard: no prompt named "nope" \(switchyard prompts list shows the saved ones\)$/],
      [['prompts', 'rm', 'nope', '--system'], /^switchyard: no system prompt named "nope"/],
    ];
    const results = await runAll(sb, cases.map(([args]) => args));
    results.forEach((r, i) => expectOneLineError(r, 1, cases[i]![1]));
    expect(parseJsonOutput<PromptJson[]>(await sb.run(['prompts', 'list', '--json']))).toEqual([]);
  });
});

describe('compare --template', { timeout: 180_000 }, () => {
  async function withMock(t: TestContext): Promise<{ sb: CliSandbox; mock: MockProviders }> {
    const mock = await startMockProviders();
    t.onTestFinished(() => mock.close());
    const sb = sandbox(t);
    const added = await Promise.all([
      sb.run(['providers', 'add', 'oa', '--type', 'openai', '--base-url', mock.baseUrls.openai, '--api-key-env', 'SY_TEST_KEY']),
      sb.run(['prompts', 'add', 'explain', '--text', 'Explain {{ topic }} to {{audience}}, {{ topic }} again. {{ "{{" }}kept}}']),
      sb.run(['prompts', 'add', 'persona', '--system', '--text', 'You are {{ who }}; speak to {{audience}}.']),
    ]);
    for (const r of added) expect(r.code, r.stderr).toBe(0);
    return { sb, mock };
  }

  it('fills the prompt and the system prompt from --var and sends exactly that; the JSON keeps its shape; the templates are marked used', async (t) => {
    const { sb, mock } = await withMock(t);
    mock.script('tm', { text: 'filled answer' });
    const r = await sb.run(['compare', '--template', 'explain', '--system-template', 'persona', '--var', 'topic=tides $&', '--var', 'audience=a=b {{who}}', '--var', 'who=a pirate', '-m', 'oa:tm', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const run = runJsonOf(r);
    expect(Object.keys(parseJsonOutput<object>(r)).sort()).toEqual(['columns', 'runId']);
    expect(run.columns[0]!.text).toBe('filled answer');
    const sent = mock.requests.find((x) => x.model === 'tm')!.body as { messages: unknown };
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You are a pirate; speak to a=b {{who}}.' },
      { role: 'user', content: 'Explain tides $& to a=b {{who}}, tides $& again. {{kept}}' },
    ]);
    const used = parseJsonOutput<PromptJson[]>(await sb.run(['prompts', 'list', '--json']));
    expect(used.every((p) => typeof p.lastUsedAt === 'number')).toBe(true);
  });

  it('a template name it does not know, a missing or unknown --var, and bad combinations are each one line, and nothing is sent', async (t) => {
    const { sb, mock } = await withMock(t);
    const cases: Array<[string[], RegExp]> = [
      [['compare', '--template', 'nope', '-m', 'oa:tm'], /^switchyard: no prompt named "nope" \(switchyard prompts list shows the saved ones\)$/],
      [['compare', '--template', 'persona', '-m', 'oa:tm'], /no prompt named "persona"; there is a system prompt of that name \(use --system-template for it\)/],
      [['compare', 'hi', '--system-template', 'explain', '-m', 'oa:tm'], /no system prompt named "explain"; there is a prompt of that name \(use --template for it\)/],
      // Every missing variable of both templates, in one line.
      [['compare', '--template', 'explain', '--system-template', 'persona', '-m', 'oa:tm'], /^switchyard: missing --var for topic, audience, who \(prompt "explain" has topic, audience; system prompt "persona" has who, audience; give each as --var name=value\)$/],
      [['compare', '--template', 'explain', '--var', 'topic=x', '-m', 'oa:tm'], /^switchyard: missing --var for audience \(/],
      [['compare', '--template', 'explain', '--var', 'topic=x', '--var', 'audience=y', '--var', 'colour=red', '-m', 'oa:tm'], /^switchyard: --var colour: no such variable \(prompt "explain" has topic, audience\)$/],
      [['compare', '--template', 'explain', '--var', 'topic', '-m', 'oa:tm'], /--var <key=value>.*expected key=value, e\.g\. --var topic=tides/],
      [['compare', '--template', 'explain', '--var', '9x=1', '-m', 'oa:tm'], /"9x" is not a variable name/],
      [['compare', '--template', 'explain', '--var', 'topic=1', '--var', 'topic=2', '-m', 'oa:tm'], /--var topic is given twice/],
      [['compare', 'hi', '--template', 'explain', '-m', 'oa:tm'], /give either a prompt or --template NAME, not both/],
      [['compare', 'hi', '--system', 's', '--system-template', 'persona', '-m', 'oa:tm'], /give either --system or --system-template NAME, not both/],
      [['compare', 'hi', '--var', 'a=b', '-m', 'oa:tm'], /--var fills a template: give --template NAME or --system-template NAME with it/],
      [['compare', '--template', 'explain', '--var', 'topic=x', '--var', 'audience=y'], /compare needs at least one -m <target>/],
      [['compare', '--follow-up', 'r_x', 'hi', '--system-template', 'persona'], /--system-template cannot be used with --follow-up/],
    ];
    const [dry, ...results] = await runAll(sb, [['compare', '--template', 'explain', '--var', 'topic=', '--var', 'audience=', '-m', 'oa:tm', '--dry-run'], ...cases.map(([args]) => args)]);
    results.forEach((r, i) => expectOneLineError(r, 1, cases[i]![1]));
    // Empty values are values: the filled prompt is not empty, so the dry run estimates it (and marks nothing used).
    expect(dry!.code, dry!.stderr).toBe(0);
    expect(mock.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect(parseJsonOutput<PromptJson[]>(await sb.run(['prompts', 'list', '--json'])).map((p) => p.lastUsedAt)).toEqual([null, null]);
  });
});
