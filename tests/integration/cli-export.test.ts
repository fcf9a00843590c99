/**
 * `switchyard history export`: the real process on a real SQLite file, with
 * runs made by a real compare against the mock providers on loopback.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMockProviders } from '../mocks/provider-server';
import { CliSandbox, expectOneLineError, runJsonOf } from './cli-helpers';
import { parseCsv } from '../unit/export/fixtures';

const KEY = { SY_TEST_KEY: 'sk-test-export-0123456789' };

describe('switchyard history export', { timeout: 180_000 }, () => {
  it('writes md, json, csv and html; JSON equals history show --json; bad input is one line', async (t) => {
    const mock = await startMockProviders({ requireKey: KEY.SY_TEST_KEY, scripts: { 'mock-small': { text: 'a "quoted", <b>bold</b> answer' } } });
    const sb = new CliSandbox(KEY);
    t.onTestFinished(async () => {
      await sb.cleanup();
      await mock.close();
    });
    const added = await sb.run(['providers', 'add', 'mock', '--type', 'openai', '--base-url', mock.baseUrls.openai, '--api-key-env', 'SY_TEST_KEY']);
    expect(added.code, added.stderr).toBe(0);
    const compared = await sb.run(['compare', 'Say hi, "please"', '-m', 'mock:mock-small', '-m', 'mock:mock-large', '--json']);
    expect(compared.code, compared.stderr).toBe(0);
    const runId = runJsonOf(compared).runId;
    const out = (name: string) => join(sb.dataDir, name);

    const [show, json, csv, md, html, twoRuns, unknown, badFormat, noFolder, noFormat, spend, spendJson] = await Promise.all([
      sb.run(['history', 'show', runId, '--json']),
      sb.run(['history', 'export', runId, '--format', 'json']),
      sb.run(['history', 'export', runId, '--format', 'csv', '--out', out('run.csv')]),
      sb.run(['history', 'export', runId, '--out', out('run.md')]),
      sb.run(['history', 'export', runId, '--format', 'html', '--out', out('run.html')]),
      sb.run(['history', 'export', runId, runId, '--format', 'json', '--out', out('two.json')]),
      sb.run(['history', 'export', runId, 'r_nope', '--format', 'md', '--out', out('x.md')]),
      sb.run(['history', 'export', runId, '--format', 'pdf']),
      sb.run(['history', 'export', runId, '--format', 'csv', '--out', out('missing/run.csv')]),
      sb.run(['history', 'export', runId, '--out', out('run.txt')]),
      // The mock provider has no price: its tokens are spend's too, marked unpriced.
      sb.run(['spend', '--by', 'provider']),
      sb.run(['spend', '--by', 'provider', '--json']),
    ]);
    expect(show.code, show.stderr).toBe(0);
    expect(json.code, json.stderr).toBe(0);
    // Round trip: what export writes parses to what history show --json prints.
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(show.stdout));

    for (const r of [csv, md, html, twoRuns]) expect(r.code, r.stderr).toBe(0);
    expect(csv.stdout).toBe(`exported 1 run as csv to ${out('run.csv')}\n`);
    const rows = parseCsv(readFileSync(out('run.csv'), 'utf8'));
    expect(rows).toHaveLength(3);
    expect(rows.slice(1).map((r) => [r[0], r[4], r[5]])).toEqual([[runId, 'mock:mock-small', 'ok'], [runId, 'mock:mock-large', 'ok']]);

    const mdText = readFileSync(out('run.md'), 'utf8');
    expect(mdText).toMatch(new RegExp(`^# Run ${runId}\n`));
    expect(mdText).toContain('a "quoted", <b>bold</b> answer');

    const htmlText = readFileSync(out('run.html'), 'utf8');
    expect(htmlText).toContain('a &quot;quoted&quot;, &lt;b&gt;bold&lt;/b&gt; answer');
    expect(htmlText).not.toContain('<b>bold');

    const two = JSON.parse(readFileSync(out('two.json'), 'utf8')) as unknown[];
    expect(two).toEqual([JSON.parse(show.stdout), JSON.parse(show.stdout)]);

    // No key in anything written.
    for (const f of ['run.csv', 'run.md', 'run.html', 'two.json']) expect(readFileSync(out(f), 'utf8')).not.toContain(KEY.SY_TEST_KEY);
    expect(json.stdout).not.toContain(KEY.SY_TEST_KEY);

    expectOneLineError(unknown, 1, /^switchyard: no run "r_nope" \(see switchyard history list\)$/);
    expect(existsSync(out('x.md'))).toBe(false);
    expectOneLineError(badFormat, 1, /^switchyard: invalid --format "pdf": expected md\|json\|csv\|html$/);
    expectOneLineError(noFolder, 1, /^switchyard: cannot write .*missing\/run\.csv: folder .*missing does not exist/);
    expectOneLineError(noFormat, 1, /^switchyard: give --format md\|json\|csv\|html$/);

    const cols = runJsonOf(compared).columns;
    const tin = cols.reduce((n, c) => n + c.usage.inputTokens!, 0);
    const tout = cols.reduce((n, c) => n + c.usage.outputTokens!, 0);
    expect(spend.code, spend.stderr).toBe(0);
    expect(spend.stdout).toMatch(new RegExp(`^mock\\s+unpriced\\s+0\\s+0\\s+0\\s+2 col, ${tin}/${tout} tok$`, 'm'));
    expect(spend.stdout).toMatch(new RegExp(`total \\$0 \\(plus 2 unpriced columns: ${tin} tokens in, ${tout} out, no price known\\)\n$`));
    expect(JSON.parse(spendJson.stdout)).toMatchObject({ totalUsd: 0, rows: [{ key: 'mock', usd: 0, runs: 0, unpriced: { columns: 2, inputTokens: tin, outputTokens: tout } }] });
  });
});
