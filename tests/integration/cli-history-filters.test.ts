/**
 * `switchyard history tag|note|list --model … --status … --tag …`: the real
 * process on a real SQLite file, runs made by real compares against the mock
 * providers on loopback (one answering, one failing with a 500).
 */
import { describe, expect, it } from 'vitest';
import { startMockProviders } from '../mocks/provider-server';
import { CliSandbox, expectOneLineError, parseJsonOutput, runJsonOf } from './cli-helpers';

const KEY = { SY_TEST_KEY: 'sk-test-filters-0123456789' };

interface Summary { runId: string; tags: string[]; source: string | null; columnStatuses: string[] }

describe('switchyard history filters, tags and notes', { timeout: 180_000 }, () => {
  it('tags, notes, filters by tag, status, model, provider, source and date; bad input is one line', async (t) => {
    const mock = await startMockProviders({ requireKey: KEY.SY_TEST_KEY, scripts: { 'mock-ok': { text: 'fine answer' }, 'mock-bad': { fault: 'server_500' } } });
    const sb = new CliSandbox(KEY);
    t.onTestFinished(async () => {
      await sb.cleanup();
      await mock.close();
    });
    const added = await sb.run(['providers', 'add', 'mock', '--type', 'openai', '--base-url', mock.baseUrls.openai, '--api-key-env', 'SY_TEST_KEY']);
    expect(added.code, added.stderr).toBe(0);
    const ok = await sb.run(['compare', 'first prompt', '-m', 'mock:mock-ok', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await sb.run(['compare', 'second prompt', '-m', 'mock:mock-ok', '-m', 'mock:mock-bad', '--json']);
    expect(bad.code).toBe(2);
    const okId = runJsonOf(ok).runId;
    const badId = runJsonOf(bad).runId;

    const tagged = await sb.run(['history', 'tag', okId, 'Baseline', ' long  context ']);
    expect(tagged.code, tagged.stderr).toBe(0);
    expect(tagged.stdout).toBe(`tags of ${okId}: Baseline, long context\n`);
    expect((await sb.run(['history', 'tag', badId, 'baseline'])).code).toBe(0);
    expect((await sb.run(['history', 'tag', okId, 'BASELINE'])).stdout).toBe(`tags of ${okId}: Baseline, long context\n`);
    const removed = await sb.run(['history', 'tag', okId, 'long context', '--remove']);
    expect(removed.stdout).toBe(`tags of ${okId}: Baseline\n`);
    const noted = await sb.run(['history', 'note', okId, 'steady at temperature 0']);
    expect(noted.stdout).toBe(`note of ${okId} saved (23 characters)\n`);

    const ids = async (args: string[]) => {
      const r = await sb.run(['history', 'list', '--json', ...args]);
      expect(r.code, r.stderr).toBe(0);
      return parseJsonOutput<Summary[]>(r).map((s) => s.runId);
    };
    expect(await ids(['--tag', 'baseline'])).toEqual([badId, okId]);
    expect(await ids(['--tag', 'baseline', '--status', 'failed'])).toEqual([badId]);
    expect(await ids(['--status', 'ok'])).toEqual([okId]);
    expect(await ids(['--model', 'mock:mock-bad'])).toEqual([badId]);
    expect(await ids(['--model', 'MOCK-OK', '--provider', 'mock'])).toEqual([badId, okId]);
    expect(await ids(['--source', 'cli', '--since', '1d'])).toEqual([badId, okId]);
    expect(await ids(['--source', 'window'])).toEqual([]);
    expect(await ids(['--until', '2020-01-01'])).toEqual([]);
    expect(await ids(['--search', 'second', '--tag', 'baseline'])).toEqual([badId]);
    const [listed] = parseJsonOutput<Summary[]>(await sb.run(['history', 'list', '--json', '--tag', 'baseline', '--status', 'ok']));
    expect(listed).toMatchObject({ runId: okId, tags: ['Baseline'], source: 'cli' });

    const none = await sb.run(['history', 'list', '--tag', 'nothing-has-this']);
    expect(none.stdout).toBe('no runs match these filters\n');
    const human = await sb.run(['history', 'list', '--tag', 'baseline']);
    expect(human.stdout).toMatch(/tags/);
    expect(human.stdout).toContain('Baseline');

    const show = await sb.run(['history', 'show', okId]);
    expect(show.stdout).toContain('source: cli\ntags: Baseline\nnote: steady at temperature 0\n');
    const showJson = parseJsonOutput<{ tags?: string[]; note?: string }>(await sb.run(['history', 'show', okId, '--json']));
    expect(showJson).toMatchObject({ tags: ['Baseline'], note: 'steady at temperature 0' });
    const exported = await sb.run(['history', 'export', okId, '--format', 'json']);
    expect(JSON.parse(exported.stdout)).toEqual(showJson);
    const md = await sb.run(['history', 'export', okId, '--format', 'md']);
    expect(md.stdout).toContain('Tags: Baseline');
    expect(md.stdout).toContain('steady at temperature 0');

    const cleared = await sb.run(['history', 'note', okId, '--clear']);
    expect(cleared.stdout).toBe(`note of ${okId} cleared\n`);
    // Only what a run has: without a note (or tags) the JSON is compare --json's, key for key.
    expect(parseJsonOutput<object>(await sb.run(['history', 'show', okId, '--json']))).not.toHaveProperty('note');
    const untagged = await sb.run(['history', 'tag', okId, 'baseline', '--remove']);
    expect(untagged.stdout).toBe(`${okId} has no tags\n`);
    expect(parseJsonOutput<object>(await sb.run(['history', 'show', okId, '--json']))).toEqual(JSON.parse(ok.stdout));

    const [badStatus, badSince, badTag, longTag, noRun, noText, both, longNote] = await Promise.all([
      sb.run(['history', 'list', '--status', 'great']),
      sb.run(['history', 'list', '--since', 'yesterday-ish']),
      sb.run(['history', 'list', '--tag', '   ']),
      sb.run(['history', 'tag', okId, 'x'.repeat(41)]),
      sb.run(['history', 'tag', 'r_nope', 'a']),
      sb.run(['history', 'note', okId]),
      sb.run(['history', 'note', okId, 'text', '--clear']),
      sb.run(['history', 'note', okId, 'n'.repeat(10_001)]),
    ]);
    expectOneLineError(badStatus, 1, /invalid --status "great": expected ok, failed, incomplete, stopped, interrupted/);
    expectOneLineError(badSince, 1, /invalid --since "yesterday-ish": expected a date like 2026-11-01 or 7d/);
    expectOneLineError(badTag, 1, /invalid --tag: a tag cannot be empty/);
    expectOneLineError(longTag, 1, /too long \(40 characters at most\)/);
    expectOneLineError(noRun, 1, /no run "r_nope"/);
    expectOneLineError(noText, 1, /history note needs the text \(or --clear\)/);
    expectOneLineError(both, 1, /give the note text or --clear, not both/);
    expectOneLineError(longNote, 1, /the note is too long \(10,000 characters at most/);
  });
});
