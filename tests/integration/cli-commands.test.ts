/**
 * `switchyard` end to end: the real process on a real SQLite file, talking to
 * the mock providers over loopback. Each test has its own data directory and
 * its own mock, so the tests run concurrently; within a test, commands that do
 * not depend on each other run at the same time (a tsx start is 1-2 s).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { startMockProviders, type MockProviders, type MockProvidersOptions } from '../mocks/provider-server';
import { CliSandbox, closedPort, expectOneLineError, mockChatRequests, parseJsonOutput, runJsonOf } from './cli-helpers';

// Tests run concurrently, so each cleans up its own mock, processes and directory when it finishes.
async function mockProviders(t: TestContext, opts: MockProvidersOptions = {}): Promise<MockProviders> {
  const mock = await startMockProviders(opts);
  t.onTestFinished(() => mock.close());
  return mock;
}

function sandbox(t: TestContext, env: Record<string, string> = {}): CliSandbox {
  const sb = new CliSandbox(env);
  t.onTestFinished(() => sb.cleanup());
  return sb;
}

/** The key the test providers read; the mock accepts any key unless told otherwise. */
const KEY_ENV = { SY_TEST_KEY: 'sk-test-cli-0123456789' };

/** A provider that stands for the catalog's `openai` (so it has prices) but lives on the mock. */
function pricedProviderArgs(mock: MockProviders, id = 'oa'): string[] {
  return ['providers', 'add', id, '--type', 'openai', '--catalog-provider', 'openai', '--base-url', mock.baseUrls.openai, '--api-key-env', 'SY_TEST_KEY'];
}

const GPT_4O_MINI = { inputPerM: 0.15, outputPerM: 0.6 };

interface EndpointJson { providerId: string; upstreamModel: string; modelId: string; price: { inputPerM: number; outputPerM: number } | null; source?: string }

describe.concurrent('switchyard commands', { timeout: 180_000 }, () => {
  it('providers add, list --json, test (ok and unreachable) and remove', async (t) => {
    const mock = await mockProviders(t, { requireKey: KEY_ENV.SY_TEST_KEY });
    const sb = sandbox(t, KEY_ENV);
    const port = await closedPort();

    // Two first starts at once on a fresh data directory: both open and migrate the same new file.
    const added = await Promise.all([
      sb.run(['providers', 'add', 'mock', '--type', 'openai', '--base-url', mock.baseUrls.openai, '--api-key-env', 'SY_TEST_KEY']),
      sb.run(['providers', 'add', 'gone', '--type', 'anthropic', '--base-url', `http://127.0.0.1:${port}/v1`, '--api-key-env', 'SY_TEST_KEY', '--serve', 'anthropic/claude-3-5-haiku=claude-3-5-haiku-latest']),
    ]);
    for (const r of added) expect(r.code, r.stderr).toBe(0);
    expect(added[0].stdout).toBe(`saved provider mock (openai, ${mock.baseUrls.openai}, key: $SY_TEST_KEY)\n`);
    expect(added[1].stdout).toMatch(/^saved provider gone \(anthropic, .*, serves 1 model\(s\)\)\n$/);

    const [list, ok, down] = await Promise.all([
      sb.run(['providers', 'list', '--json']),
      sb.run(['providers', 'test', 'mock']),
      sb.run(['providers', 'test', 'gone']),
    ]);
    expect(list.code, list.stderr).toBe(0);
    const views = parseJsonOutput<Array<{ id: string; type: string; baseUrl: string; keys: Array<{ label: string; set: boolean }>; serves: unknown[] }>>(list);
    expect(views.map((v) => [v.id, v.type, v.baseUrl]).sort()).toEqual([
      ['gone', 'anthropic', `http://127.0.0.1:${port}/v1`],
      ['mock', 'openai', mock.baseUrls.openai],
    ]);
    expect(views.find((v) => v.id === 'mock')!.keys).toEqual([expect.objectContaining({ set: true })]);
    expect(views.find((v) => v.id === 'gone')!.serves).toEqual([{ modelId: 'anthropic/claude-3-5-haiku', upstreamModel: 'claude-3-5-haiku-latest' }]);
    // Keys are referenced, never stored or printed.
    expect(list.stdout).not.toContain(KEY_ENV.SY_TEST_KEY);
    expect(readFileSync(sb.dbFile).includes(KEY_ENV.SY_TEST_KEY)).toBe(false);

    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok: mock answered in \d+ ms with 2 model\(s\): mock-small, mock-large\n$/);
    expect(mock.requests.filter((r) => r.path === '/v1/models').map((r) => r.keyLast4)).toEqual(['6789']);

    expectOneLineError(down, 2, /^switchyard: gone: cannot reach .*127\.0\.0\.1:\d+/);
    expect(down.stdout).toBe('');

    const removed = await sb.run(['providers', 'remove', 'gone']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe('removed provider gone\n');
    const db = sb.readDb();
    expect(db.prepare('SELECT id FROM providers').all()).toEqual([{ id: 'mock' }]);
    db.close();
  });

  it('compare: streamed columns and the final table, --json contract, history, endpoints, routing flags, dry run', async (t) => {
    const mock = await mockProviders(t, { scripts: { 'bad-key': { fault: 'auth' } } });
    const sb = sandbox(t, KEY_ENV);
    const setup = await Promise.all([sb.run(['providers', 'add', 'mock', '--type', 'openai', '--base-url', mock.baseUrls.openai]), sb.run(pricedProviderArgs(mock))]);
    for (const r of setup) expect(r.code, r.stderr).toBe(0);

    const [human, json, routed] = await Promise.all([
      sb.run(['compare', 'Say hello', '-m', 'mock:mock-small', '-m', 'mock:bad-key', '-m', 'mock:mock-large']),
      sb.run(['compare', 'Say hello twice', '-m', 'mock:mock-small', '-m', 'openai/gpt-4o-mini', '--json', '--system', 'be brief', '--temperature', '0.5', '--max-tokens', '3']),
      // The first-token clock starts at the send (headers included): generous, as four CLIs share this machine's cores.
      sb.run(['compare', 'Say hello thrice', '-m', 'mock:mock-small', '-m', 'openai/gpt-4o-mini', '--json',
        '--route', 'price', '--only', 'mock,oa', '--zdr', '--max-price', '1,2', '--first-token-timeout', '5000', '--no-fallback']),
    ]);

    // Human output: each column streams tagged with its number, then one table, then the run id.
    expect(human.code, human.stderr).toBe(2);
    expect(human.stderr).toBe('[1] mock:mock-small\n[2] mock:bad-key\n[3] mock:mock-large\n');
    expect(human.stdout).toContain('[1] tok1 tok2 tok3 tok4 tok5\n');
    expect(human.stdout).toMatch(/^\[2\] = error: 401 .*Incorrect API key provided$/m);
    const lines = human.stdout.split('\n');
    const header = lines.findIndex((l) => /^target\s/.test(l));
    expect(lines[header]!.split(/\s{2,}/)).toEqual(['target', 'served by', 'TTFT', 'total', 'tok/s', 'tokens in/out', 'cost', 'status']);
    expect(lines[header + 1]).toMatch(/^-+( +-+)+$/);
    const rows = lines.slice(header + 2, header + 5).map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => [r[0], r[1], r.at(-1)])).toEqual([
      ['mock:mock-small', 'mock:mock-small', 'ok'],
      ['mock:bad-key', '-', 'error'],
      ['mock:mock-large', 'mock:mock-large', 'ok'],
    ]);
    expect(rows[0]![2]).toMatch(/^\d+ ms$|^\d+\.\d\d s$/);
    // The mock counts the prompt's words as input tokens and streams five.
    expect(rows[0]![5]).toBe('2/5');
    expect(lines[header + 5]).toMatch(/^run r_\w+$/);

    // --json: exactly one object of the documented shape; exit 0 when every column is ok.
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toBe('');
    const run = runJsonOf(json);
    expect(run.columns.map((c) => [c.target, c.status, c.servedBy, c.fellBack, c.text, c.error])).toEqual([
      ['mock:mock-small', 'ok', { provider: 'mock', model: 'mock-small' }, false, 'tok1 tok2 tok3', null],
      ['openai/gpt-4o-mini', 'ok', { provider: 'oa', model: 'gpt-4o-mini' }, false, 'tok1 tok2 tok3', null],
    ]);
    for (const c of run.columns) {
      expect(c.attempts).toEqual([expect.objectContaining({ status: 'ok', httpStatus: 200, error: null })]);
      // The mock reports the words of system + prompt (2 + 3) as input; --max-tokens 3 cut the output.
      expect(c.usage).toEqual(expect.objectContaining({ inputTokens: 5, outputTokens: 3, estimated: false }));
      expect(c.metrics.ttftMs).toBeGreaterThan(0);
      expect(c.metrics.totalMs).toBeGreaterThanOrEqual(c.metrics.ttftMs!);
    }
    // Unpriced endpoint: no cost; catalog-priced one: usage at the catalog price.
    expect(run.columns[0]!.costUsd).toBeNull();
    expect(run.columns[1]!.costUsd).toBeCloseTo((5 * GPT_4O_MINI.inputPerM + 3 * GPT_4O_MINI.outputPerM) / 1e6, 15);
    // The flags reached the wire.
    const sent = mock.requests.find((r) => r.model === 'gpt-4o-mini' && (r.body as { messages: Array<{ content: string }> }).messages.some((m) => m.content === 'Say hello twice'));
    expect(sent?.body).toMatchObject({ temperature: 0.5, messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'Say hello twice' }] });

    // Routing flags are accepted and applied: --zdr refuses the endpoint whose policy is unknown, with the reason.
    expect(routed.code, routed.stderr).toBe(2);
    const r3 = runJsonOf(routed);
    expect(r3.columns[0]).toMatchObject({ status: 'error', servedBy: null, attempts: [] });
    expect(r3.columns[0]!.error).toMatch(/zdr: zero data retention unknown/);
    expect(r3.columns[1]).toMatchObject({ status: 'ok', servedBy: { provider: 'oa', model: 'gpt-4o-mini' } });

    // Reading commands and the dry run: nothing may reach the mock from here on.
    const chatBefore = (await mockChatRequests(mock.url)).length;
    const [list, show, endpoints, dry] = await Promise.all([
      sb.run(['history', 'list', '--json']),
      sb.run(['history', 'show', run.runId, '--json']),
      sb.run(['endpoints', '--json']),
      sb.run(['compare', 'Price this', '-m', 'openai/gpt-4o-mini', '-m', 'mock:mock-small', '--dry-run', '--json', '--max-tokens', '100']),
    ]);
    expect((await mockChatRequests(mock.url)).length).toBe(chatBefore);

    expect(list.code, list.stderr).toBe(0);
    const summaries = parseJsonOutput<Array<{ runId: string; status: string; targets: string[]; columnStatuses: string[]; costUsd: number | null }>>(list);
    expect(summaries).toHaveLength(3);
    expect(summaries.find((s) => s.runId === run.runId)).toMatchObject({ status: 'done', targets: ['mock:mock-small', 'openai/gpt-4o-mini'], columnStatuses: ['ok', 'ok'] });

    // history show --json is the same object compare --json printed.
    expect(show.code, show.stderr).toBe(0);
    expect(runJsonOf(show)).toEqual(run);
    expect(JSON.parse(show.stdout)).toEqual(JSON.parse(json.stdout));

    expect(endpoints.code, endpoints.stderr).toBe(0);
    const health = parseJsonOutput<Array<{ endpointId: string; samples: number; errorRate: number; breaker: string }>>(endpoints);
    const ep = (id: string) => health.find((h) => h.endpointId === id);
    // Two attempts each (the --zdr run refused mock:mock-small before sending).
    expect(ep('mock:mock-small')).toMatchObject({ samples: 2, errorRate: 0, breaker: 'closed' });
    expect(ep('oa:gpt-4o-mini')).toMatchObject({ samples: 2, errorRate: 0 });
    expect(ep('mock:bad-key')?.errorRate).toBe(1);

    expect(dry.code, dry.stderr).toBe(0);
    const estimate = parseJsonOutput<{ columns: Array<{ target: string; endpointId: string; inputTokens: number; inputCostUsd: number | null; maxOutputTokens: number; maxOutputCostUsd: number | null; jurisdiction: string | null }>; totalMinUsd: number; totalMaxUsd: number; blockedBy: string | null }>(dry);
    const [priced, unpriced] = estimate.columns;
    expect(priced).toMatchObject({ target: 'openai/gpt-4o-mini', endpointId: 'oa:gpt-4o-mini', maxOutputTokens: 100, jurisdiction: 'US' });
    expect(priced!.inputCostUsd).toBeCloseTo((priced!.inputTokens * GPT_4O_MINI.inputPerM) / 1e6, 15);
    expect(priced!.maxOutputCostUsd).toBeCloseTo((100 * GPT_4O_MINI.outputPerM) / 1e6, 15);
    expect(unpriced).toMatchObject({ endpointId: 'mock:mock-small', inputCostUsd: null, maxOutputCostUsd: null });
    expect(estimate.totalMaxUsd).toBeCloseTo(priced!.inputCostUsd! + priced!.maxOutputCostUsd!, 15);
    expect(estimate.blockedBy).toBeNull();
  });

  it('catalog list, show, export/import round trip, malformed import, override', async (t) => {
    const sb = sandbox(t);
    const exported = join(sb.dataDir, 'export.json');
    const [list, show, exp] = await Promise.all([
      sb.run(['catalog', 'list', '--json']),
      sb.run(['catalog', 'show', 'openai/gpt-4o-mini', '--json']),
      sb.run(['catalog', 'export', exported]),
    ]);

    expect(list.code, list.stderr).toBe(0);
    const all = parseJsonOutput<{ asOf: string; providers: unknown[]; models: unknown[]; endpoints: unknown[] }>(list);
    expect(all.asOf).toBe('2026-07-02');
    expect(all.providers.length).toBeGreaterThanOrEqual(100);
    expect(all.endpoints.length).toBeGreaterThanOrEqual(3000);

    expect(show.code, show.stderr).toBe(0);
    const before = parseJsonOutput<{ model: { id: string }; endpoints: EndpointJson[] }>(show);
    expect(before.model.id).toBe('openai/gpt-4o-mini');
    const byProvider = (eps: EndpointJson[], p: string) => eps.find((e) => e.providerId === p);
    expect(byProvider(before.endpoints, 'openai')).toMatchObject({ upstreamModel: 'gpt-4o-mini', price: GPT_4O_MINI });
    expect(byProvider(before.endpoints, 'openrouter')).toMatchObject({ upstreamModel: 'openai/gpt-4o-mini', price: GPT_4O_MINI });

    expect(exp.code, exp.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(exported, 'utf8')) as { providers: unknown[]; endpoints: unknown[] };
    expect(exp.stdout).toBe(`exported ${doc.providers.length} providers, ${doc.endpoints.length} endpoints to ${exported}\n`);
    expect(doc.endpoints).toHaveLength(all.endpoints.length);

    const notJson = join(sb.dataDir, 'not-json.json');
    const wrongShape = join(sb.dataDir, 'wrong-shape.json');
    writeFileSync(notJson, 'not json\nat all\n');
    writeFileSync(wrongShape, JSON.stringify({ asOf: 3, providers: 'none' }));
    const [imported, bad1, bad2, missing, override] = await Promise.all([
      sb.run(['catalog', 'import', exported]),
      sb.run(['catalog', 'import', notJson]),
      sb.run(['catalog', 'import', wrongShape]),
      sb.run(['catalog', 'import', join(sb.dataDir, 'nowhere.json')]),
      sb.run(['catalog', 'override', 'openai:gpt-4o-mini', '--input', '1', '--output', '2']),
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toBe(`imported ${doc.providers.length} providers, ${doc.endpoints.length} endpoints (as of 2026-07-02)\n`);
    expectOneLineError(bad1, 1, /not-json\.json: not a catalog file: invalid JSON/);
    expectOneLineError(bad2, 1, /wrong-shape\.json: not a catalog file: /);
    expectOneLineError(missing, 1, /cannot read .*nowhere\.json: no such file or folder$/);
    expect(override.code, override.stderr).toBe(0);
    expect(override.stdout).toMatch(/^override saved: openai:gpt-4o-mini input \$1\.0+\/M, output \$2\.0+\/M\n$/);

    // The import keeps the file whole as the user's copy, which now wins over the shipped snapshot.
    expect(JSON.parse(readFileSync(join(sb.dataDir, 'catalog.json'), 'utf8'))).toEqual(doc);

    // From the imported copy: the same model and endpoints, except the overridden price.
    const after = await sb.run(['catalog', 'show', 'openai/gpt-4o-mini', '--json']);
    expect(after.code, after.stderr).toBe(0);
    const shown = parseJsonOutput<{ model: unknown; endpoints: EndpointJson[] }>(after);
    expect(shown.model).toEqual(before.model);
    expect(byProvider(shown.endpoints, 'openai')).toMatchObject({ price: { inputPerM: 1, outputPerM: 2 }, source: 'user' });
    expect(byProvider(shown.endpoints, 'openrouter')!.price).toMatchObject(GPT_4O_MINI);
    const untouched = (eps: EndpointJson[]) => eps.filter((e) => e.providerId !== 'openai');
    expect(untouched(shown.endpoints)).toEqual(untouched(before.endpoints));
  });

  it('budgets: a hard cap refuses a priced compare before any request; budgets list/remove; spend --json', async (t) => {
    const mock = await mockProviders(t);
    const sb = sandbox(t, KEY_ENV);
    expect((await sb.run(pricedProviderArgs(mock))).code).toBe(0);

    const first = await sb.run(['compare', 'Spend a little', '-m', 'openai/gpt-4o-mini', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const cost = runJsonOf(first).columns[0]!.costUsd!;
    expect(cost).toBeGreaterThan(0);

    const set = await sb.run(['budgets', 'set', '--period', 'day', '--usd', '0.000001']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^budget set: daily overall budget/);

    const chatBefore = (await mockChatRequests(mock.url)).length;
    expect(chatBefore).toBe(1);
    const [refused, budgets, spend] = await Promise.all([
      sb.run(['compare', 'Spend more', '-m', 'openai/gpt-4o-mini', '--json']),
      sb.run(['budgets', 'list', '--json']),
      sb.run(['spend', '--json', '--by', 'provider']),
    ]);
    expectOneLineError(refused, 1, /refused by the daily overall budget/);
    expect(refused.stdout).toBe('');
    expect(await mockChatRequests(mock.url)).toHaveLength(chatBefore);

    expect(budgets.code, budgets.stderr).toBe(0);
    expect(parseJsonOutput(budgets)).toEqual([
      { id: expect.any(String), scope: 'all', scopeValue: '', period: 'day', usd: 0.000001, warnPct: 80, hard: true, spentUsd: cost },
    ]);
    expect(spend.code, spend.stderr).toBe(0);
    expect(parseJsonOutput(spend)).toEqual({ since: null, by: 'provider', totalUsd: cost, rows: [{ key: 'oa', usd: cost, runs: 1, inputTokens: expect.any(Number), outputTokens: 5 }] });

    const removed = await sb.run(['budgets', 'remove', '--period', 'day']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe('budget removed\n');
    expect(await sb.json(['budgets', 'list', '--json'])).toEqual([]);
  });
});
