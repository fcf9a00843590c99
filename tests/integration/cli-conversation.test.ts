/**
 * `compare --follow-up` and `compare --fork` end to end: the real process on a
 * real SQLite file against the loopback mock, and `history show --json` giving
 * back what `compare --json` printed for a conversation.
 */
import { describe, expect, it, type TestContext } from 'vitest';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { CliSandbox, expectOneLineError, parseJsonOutput } from './cli-helpers';

async function mockProviders(t: TestContext): Promise<MockProviders> {
  const mock = await startMockProviders();
  t.onTestFinished(() => mock.close());
  return mock;
}

function sandbox(t: TestContext): CliSandbox {
  const sb = new CliSandbox({ SY_TEST_KEY: 'sk-test-conv-0123456789' });
  t.onTestFinished(() => sb.cleanup());
  return sb;
}

interface Json {
  runId: string;
  columns: Array<{ index: number; text: string; columnId: string; turns?: Array<{ turn: number; prompt: string; text: string; costUsd: number | null }> }>;
  turns?: Array<{ turn: number; prompt: string; columns: number[] }>;
  totals?: { costUsd: number | null };
}

const provider = (mock: MockProviders, id: string, type: string) => ['providers', 'add', id, '--type', type, '--base-url', mock.baseUrls[type as 'openai'], '--api-key-env', 'SY_TEST_KEY'];

describe.concurrent('compare --follow-up and --fork', { timeout: 180_000 }, () => {
  it('follows up every column, then one with --column; history show --json equals compare --json', async (t) => {
    const mock = await mockProviders(t);
    const sb = sandbox(t);
    mock.script('m-a', { text: 'alpha' });
    mock.script('m-b', { text: 'beta' });
    for (const r of await Promise.all([sb.run(provider(mock, 'oa', 'openai')), sb.run(provider(mock, 'ge', 'gemini'))])) expect(r.code, r.stderr).toBe(0);
    const first = await sb.json<Json>(['compare', 'hello', '-m', 'oa:m-a', '-m', 'ge:m-b', '--json']);
    expect(first.turns).toBeUndefined();

    const second = await sb.json<Json>(['compare', '--follow-up', first.runId, 'say more', '--json']);
    expect(second.runId).toBe(first.runId);
    expect(second.turns?.map((x) => [x.turn, x.prompt, x.columns])).toEqual([[0, 'hello', [0, 1]], [1, 'say more', [0, 1]]]);
    const [a2, b2] = mock.requests.filter((r) => r.model === 'm-a' || r.model === 'm-b').slice(2);
    expect((a2!.body as { messages: unknown }).messages).toEqual([{ role: 'user', content: 'hello' }, { role: 'assistant', content: 'alpha' }, { role: 'user', content: 'say more' }]);
    expect((b2!.body as { contents: unknown }).contents).toEqual([
      { role: 'user', parts: [{ text: 'hello' }] }, { role: 'model', parts: [{ text: 'beta' }] }, { role: 'user', parts: [{ text: 'say more' }] },
    ]);

    const third = await sb.run(['compare', '--follow-up', first.runId, 'just you', '--column', '2']);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toMatch(/3 turns, in total: cost /);
    expect(mock.requests.filter((r) => r.model === 'm-a')).toHaveLength(2);

    const shown = await sb.run(['history', 'show', first.runId, '--json']);
    const final = parseJsonOutput<Json>(shown);
    expect(final.turns?.map((x) => x.columns)).toEqual([[0, 1], [0, 1], [1]]);
    expect(final.columns[1]!.turns?.map((x) => x.turn)).toEqual([0, 1, 2]);
    // The same object compare --json prints for the conversation.
    const again = await sb.json<Json>(['compare', '--follow-up', first.runId, 'last one', '--column', '1', '--json']);
    expect(await sb.json<Json>(['history', 'show', first.runId, '--json'])).toEqual(again);
  });

  it('forks a column to other models as a new run, and refuses bad combinations in one line', async (t) => {
    const mock = await mockProviders(t);
    const sb = sandbox(t);
    mock.script('origin', { text: 'origin answer' });
    for (const r of await Promise.all([sb.run(provider(mock, 'oa', 'openai')), sb.run(provider(mock, 'an', 'anthropic'))])) expect(r.code, r.stderr).toBe(0);
    const first = await sb.json<Json>(['compare', 'hello', '-m', 'oa:origin', '--json']);

    const forked = await sb.json<Json & { columns: Array<{ status: string }> }>(['compare', '--fork', first.runId, '--column', '1', '-m', 'an:new-a', '-m', 'oa:new-b', 'next question', '--thinking-budget', '1024', '--reasoning-effort', 'low', '--json']);
    expect(forked.runId).not.toBe(first.runId);
    const history = [{ role: 'user', content: 'hello' }, { role: 'assistant', content: 'origin answer' }, { role: 'user', content: 'next question' }];
    for (const m of ['new-a', 'new-b']) expect((mock.requests.find((r) => r.model === m)!.body as { messages: unknown }).messages).toEqual(history);
    // Generation flags given with the fork win over the run's own, each in its protocol's spelling.
    expect(mock.requests.find((r) => r.model === 'new-a')!.body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 } });
    expect(mock.requests.find((r) => r.model === 'new-b')!.body).toMatchObject({ reasoning_effort: 'low' });

    const bad = await Promise.all([
      sb.run(['compare', '--fork', first.runId, '-m', 'oa:x']),
      sb.run(['compare', '--fork', first.runId, '--column', '1']),
      sb.run(['compare', '--follow-up', first.runId]),
      sb.run(['compare', '--follow-up', first.runId, 'hi', '-m', 'oa:x']),
      sb.run(['compare', 'hi', '-m', 'oa:x', '--column', '1']),
      sb.run(['compare', '--follow-up', 'r_nope', 'hi']),
      sb.run(['compare', '--follow-up', first.runId, 'hi', '--column', '9']),
      sb.run(['compare', '--follow-up', first.runId, 'hi', '--fork', first.runId]),
      sb.run(['compare', 'hi', '-m', 'oa:x', '--reasoning-effort', 'extreme']),
    ]);
    expectOneLineError(bad[0]!, 1, /--fork needs --column N/);
    expectOneLineError(bad[1]!, 1, /--fork needs at least one -m <target>/);
    expectOneLineError(bad[2]!, 1, /--follow-up needs the prompt to send/);
    expectOneLineError(bad[3]!, 1, /-m cannot be used with --follow-up/);
    expectOneLineError(bad[4]!, 1, /--column goes with --follow-up <runId> or --fork <runId>/);
    expectOneLineError(bad[5]!, 1, /no run "r_nope"/);
    expectOneLineError(bad[6]!, 1, new RegExp(`run ${first.runId} has no column 9 \\(it has 1\\)`));
    expectOneLineError(bad[7]!, 1, /--follow-up and --fork do not go together/);
    expectOneLineError(bad[8]!, 1, /--reasoning-effort.*expected one of minimal, low, medium, high/);
  });
});
