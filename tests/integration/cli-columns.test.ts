/**
 * `switchyard compare` with several targets end to end (the real process, a
 * real SQLite file, the mock providers on loopback): targets that cannot be
 * served are left out and named, the rest run; each column can carry its own
 * parameters and routing (`--param N:…`, `--column-route N:…`).
 */
import { describe, expect, it, type TestContext } from 'vitest';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { CliSandbox, expectOneLineError, parseJsonOutput, runJsonOf } from './cli-helpers';

async function setup(t: TestContext): Promise<{ mock: MockProviders; sb: CliSandbox }> {
  const mock = await startMockProviders();
  t.onTestFinished(() => mock.close());
  const sb = new CliSandbox({ SY_COL_KEY: 'sk-test-columns-0123456789' });
  t.onTestFinished(() => sb.cleanup());
  const added = await Promise.all([
    sb.run(['providers', 'add', 'oa', '--type', 'openai', '--base-url', mock.baseUrls.openai, '--api-key-env', 'SY_COL_KEY']),
    sb.run(['providers', 'add', 'keyless', '--type', 'openai', '--base-url', mock.baseUrls.openai, '--api-key-env', 'SY_COL_NOT_SET']),
  ]);
  for (const a of added) expect(a.code, a.stderr).toBe(0);
  return { mock, sb };
}

describe.concurrent('compare with targets that cannot be served', { timeout: 180_000 }, () => {
  it('runs the others, says one line per left-out target on stderr, lists them in --json, and exits 2', async (t) => {
    const { mock, sb } = await setup(t);
    const args = ['compare', 'hi', '-m', 'oa:m-one', '-m', 'nope:m', '-m', 'keyless:m', '-m', 'oa:m-two'];
    // One writer at a time on a data directory: the runs go one after the other.
    const text = await sb.run(args);
    const json = await sb.run([...args, '--json']);
    const dry = await sb.run([...args, '--dry-run', '--json']);

    expect(text.code, text.stderr).toBe(2);
    const left = text.stderr.split('\n').filter((l) => l.startsWith('left out: '));
    expect(left).toEqual([
      expect.stringMatching(/^left out: nope:m: unknown provider "nope" in target "nope:m"/),
      expect.stringMatching(/^left out: keyless:m: missing key for target "keyless:m": environment variable SY_COL_NOT_SET is not set/),
    ]);
    // The columns that ran are numbered as they ran.
    expect(text.stderr).toContain('[1] oa:m-one\n[2] oa:m-two\n');

    expect(json.code, json.stderr).toBe(2);
    const out = parseJsonOutput<{ columns: Array<{ target: string; status: string }>; leftOut: Array<{ target: string; reason: string }> }>(json);
    expect(out.columns.map((c) => [c.target, c.status])).toEqual([['oa:m-one', 'ok'], ['oa:m-two', 'ok']]);
    expect(out.leftOut.map((l) => l.target)).toEqual(['nope:m', 'keyless:m']);
    for (const l of out.leftOut) expect(l.reason).not.toContain('\n');

    expect(dry.code, dry.stderr).toBe(2);
    const est = parseJsonOutput<{ columns: Array<{ target: string }>; leftOut: Array<{ target: string }> }>(dry);
    expect(est.columns.map((c) => c.target)).toEqual(['oa:m-one', 'oa:m-two']);
    expect(est.leftOut.map((l) => l.target)).toEqual(['nope:m', 'keyless:m']);
    // Two real runs, two requests each; nothing went to a left-out target.
    expect(mock.requests.filter((r) => r.model === 'm').length).toBe(0);
    expect(mock.requests.filter((r) => r.model === 'm-one' || r.model === 'm-two').length).toBe(4);
  });

  it('with every target servable, --json has no leftOut and exits 0; with none, the first reason is the one-line usage error', async (t) => {
    const { mock, sb } = await setup(t);
    const fine = await sb.run(['compare', 'hi', '-m', 'oa:m-one', '--json']);
    const none = await sb.run(['compare', 'hi', '-m', 'nope:m', '-m', 'keyless:m']);
    expect(fine.code, fine.stderr).toBe(0);
    expect(runJsonOf(fine).columns).toHaveLength(1);
    expect(parseJsonOutput(fine)).not.toHaveProperty('leftOut');
    expectOneLineError(none, 1, /unknown provider "nope" in target "nope:m"/);
    expect(mock.requests.filter((r) => r.model === 'm')).toEqual([]);
  });
});
