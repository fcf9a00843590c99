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

describe.concurrent('compare --param N:… and --column-route N:…', { timeout: 180_000 }, () => {
  it("each column sends its own parameters and follows its own routing and first-token timeout; the run's stay for the others", async (t) => {
    const { mock, sb } = await setup(t);
    mock.script('m-one', { fault: 'hang_before_headers' });
    const r = await sb.run(['compare', 'hi', '-m', 'oa:m-one', '-m', 'oa:m-two', '--temperature', '1', '--param', '2:temperature=0.3', '--param', '2:seed=5', '--column-route', '1:first-token-timeout=800', '--json']);
    expect(r.code, r.stderr).toBe(2);
    const [one, two] = runJsonOf(r).columns;
    expect(one!.status).toBe('error');
    expect(one!.error).toMatch(/no first token from .* within 800 ms/);
    expect(two!.status).toBe('ok');
    const body = (m: string) => mock.requests.find((x) => x.model === m)!.body as Record<string, unknown>;
    expect(body('m-two')).toMatchObject({ temperature: 0.3, seed: 5 });
    expect(body('m-one')).toMatchObject({ temperature: 1 });
    expect(body('m-one')).not.toHaveProperty('seed');
    // The stored request keeps them per column, as the window writes them.
    const db = sb.readDb();
    t.onTestFinished(() => void db.close());
    const request = JSON.parse((db.prepare('SELECT request_json FROM runs').pluck().get() as string)) as Record<string, unknown>;
    expect(request.targetParams).toEqual([null, { temperature: 0.3, seed: 5 }]);
    expect(request.columnRouting).toEqual([{ firstTokenMs: 800 }, null]);
  });

  it('--dry-run plans each column under its own routing; a bad value or column is one line naming the flag', async (t) => {
    const { sb } = await setup(t);
    const [dry, bad, past, followUp] = await Promise.all([
      sb.run(['compare', 'hi', '-m', 'oa:m-one', '-m', 'oa:m-two', '--column-route', '2:ignore=oa', '--dry-run', '--json']),
      sb.run(['compare', 'hi', '-m', 'oa:m-one', '--param', '1:temperature=9']),
      sb.run(['compare', 'hi', '-m', 'oa:m-one', '--column-route', '2:zdr']),
      sb.run(['compare', '--follow-up', 'r_x', 'more', '--param', '1:seed=1']),
    ]);
    const est = parseJsonOutput<{ columns: Array<{ plan: { primary: unknown } | null; error: string | null }> }>(dry);
    expect(est.columns[0]!.plan?.primary).toBeTruthy();
    expect(est.columns[1]!.plan?.primary ?? null).toBeNull();
    expect(est.columns[1]!.error).toMatch(/oa/);
    expectOneLineError(bad, 1, /--param <N:key=value>.*'1:temperature=9'.*1:temperature must be a number between 0 and 2/);
    expectOneLineError(past, 1, /--column-route 2:zdr: there is 1 -m target, so no column 2/);
    expectOneLineError(followUp, 1, /--param cannot be used with --follow-up/);
  });
});
