/**
 * `switchyard` commands around the ledger and the catalog that had no test:
 * the idle timeout flag against a stalling stream, `catalog refresh` against
 * the loopback OpenRouter mock, `spend --since`, `history list --search` and
 * `catalog override --cached`. The real process on a real SQLite file; each
 * test has its own data directory and mock, so they run concurrently.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it, type TestContext } from 'vitest';
import { openStore } from '../../electron/store';
import { userCatalogPath } from '../../electron/engine/catalog/load';
import { startMockProviders, type MockProviders, type MockProvidersOptions } from '../mocks/provider-server';
import { startOpenRouterMock, type OpenRouterMock } from '../mocks/openrouter-mock';
import { CliSandbox, expectOneLineError, parseJsonOutput, runJsonOf } from './cli-helpers';

async function mockProviders(t: TestContext, opts: MockProvidersOptions = {}): Promise<MockProviders> {
  const mock = await startMockProviders(opts);
  t.onTestFinished(() => mock.close());
  return mock;
}

async function openRouter(t: TestContext): Promise<OpenRouterMock> {
  const mock = await startOpenRouterMock();
  t.onTestFinished(() => mock.close());
  return mock;
}

function sandbox(t: TestContext): CliSandbox {
  const sb = new CliSandbox({ SY_TEST_KEY: 'sk-test-ledger-0000' });
  t.onTestFinished(() => sb.cleanup());
  return sb;
}

async function addMock(sb: CliSandbox, mock: MockProviders, id = 'm', extra: string[] = []) {
  const r = await sb.run(['providers', 'add', id, '--type', 'openai', '--base-url', mock.baseUrls.openai, ...extra]);
  expect(r.code, r.stderr).toBe(0);
}

interface EndpointRow { endpointId: string; samples: number; errorRate: number; lastErrorKind: string | null }
interface CatalogShow { model: { id: string }; endpoints: Array<{ providerId: string; upstreamModel: string; price: { inputPerM: number; outputPerM: number } | null }> }
interface SpendJson { since: string | null; totalUsd: number; rows: Array<{ key: string; usd: number; runs: number }> }

describe.concurrent('switchyard ledger and catalog commands', { timeout: 180_000 }, () => {
  it('compare --idle-timeout: a stream that stalls ends (or fails over) on that limit, as timeout_idle, and endpoints counts it', async (t) => {
    const mock = await mockProviders(t, { scripts: { stall: { tokens: 50, fault: 'stall_mid_stream', faultAfterTokens: 3 }, good: { tokens: 4 } } });
    const sb = sandbox(t);
    await addMock(sb, mock);

    const help = await sb.run(['compare', '--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/--idle-timeout <ms> .*stalls this long between chunks \(default 30000\)/);

    // One column stalls with nowhere to go; the other is allowed to continue on the next step of its chain.
    const r = await sb.run(['compare', 'stall please', '-m', 'm:stall', '-m', 'm:stall,m:good', '--continue-elsewhere', '--idle-timeout', '300', '--json']);
    expect(r.code, r.stderr).toBe(2);
    const run = runJsonOf(r);
    const [stuck, moved] = run.columns;
    // errorKind is one of the extra fields the contract schema leaves out: read it from the raw output.
    const kinds = parseJsonOutput<{ columns: Array<{ attempts: Array<{ model: string; status: string; errorKind: string | null }> }> }>(r).columns
      .map((c) => c.attempts.map((a) => [a.model, a.status, a.errorKind]));
    expect(stuck).toMatchObject({ status: 'incomplete', text: 'tok1 tok2 tok3' });
    expect(stuck!.error).toMatch(/^interrupted after \d+ tokens: stream from 127\.0\.0\.1:\d+ stalled for 300 ms$/);
    expect(kinds).toEqual([[['stall', 'error', 'timeout_idle']], [['stall', 'error', 'timeout_idle'], ['good', 'ok', null]]]);
    expect(moved).toMatchObject({ status: 'ok', fellBack: true, servedBy: { provider: 'm', model: 'good' }, text: 'tok1 tok2 tok3 tok4' });
    // The limit went out with the request and is kept with it.
    const db = sb.readDb();
    const req = JSON.parse((db.prepare('SELECT request_json FROM runs WHERE id = ?').get(run.runId) as { request_json: string }).request_json) as { timeouts: unknown };
    db.close();
    expect(req.timeouts).toMatchObject({ idleMs: 300 });

    const health = parseJsonOutput<EndpointRow[]>(await sb.run(['endpoints', '--json']));
    expect(health.find((h) => h.endpointId === 'm:stall')).toMatchObject({ samples: 2, errorRate: 1, lastErrorKind: 'timeout_idle' });
    expect(health.find((h) => h.endpointId === 'm:good')).toMatchObject({ samples: 1, errorRate: 0 });

    expectOneLineError(await sb.run(['compare', 'x', '-m', 'm:good', '--idle-timeout', '0']), 1, /--idle-timeout must be an integer between 1 and 3600000/);
  });

  it('catalog refresh from the loopback OpenRouter mock: new models and prices, overrides kept; a failed refresh changes nothing', async (t) => {
    const or = await openRouter(t);
    const sb = sandbox(t);
    const override = await sb.run(['catalog', 'override', 'openai/gpt-4o-mini@openrouter', '--input', '0.01', '--output', '0.02']);
    expect(override.code, override.stderr).toBe(0);
    expect(existsSync(userCatalogPath(sb.dataDir))).toBe(false);

    const refreshed = await sb.run(['catalog', 'refresh', '--url', or.baseUrl]);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(refreshed.stdout.startsWith(`catalog refreshed from ${or.baseUrl}: 4 listed, `)).toBe(true);
    expect(refreshed.stdout).toMatch(/: 4 listed, \d+ added, \d+ updated\n$/);
    expect(or.requests).toContain('/api/v1/models');
    expect(existsSync(userCatalogPath(sb.dataDir))).toBe(true);

    const [fresh, kept] = await Promise.all([
      sb.json<CatalogShow>(['catalog', 'show', 'newlab/brand-new-model', '--json']),
      sb.json<CatalogShow>(['catalog', 'show', 'openai/gpt-4o-mini', '--json']),
    ]);
    expect(fresh.endpoints).toEqual([expect.objectContaining({ providerId: 'openrouter', upstreamModel: 'newlab/brand-new-model', price: expect.objectContaining({ inputPerM: 0.2, outputPerM: 0.8 }) })]);
    expect(kept.endpoints.find((e) => e.providerId === 'openrouter')?.price).toMatchObject({ inputPerM: 0.01, outputPerM: 0.02 });

    // The environment variable points it too; a failing upstream leaves the catalog as it was.
    or.set('/api/v1/models', { status: 503 });
    const failed = await sb.run(['catalog', 'refresh'], { env: { SWITCHYARD_OPENROUTER_URL: or.baseUrl } });
    expectOneLineError(failed, 2, /^switchyard: catalog refresh failed: .*503.* \(the offline catalog is unchanged\)$/);
    expect(or.requests.filter((p) => p === '/api/v1/models')).toHaveLength(2);
    expect((await sb.json<CatalogShow>(['catalog', 'show', 'newlab/brand-new-model', '--json'])).endpoints).toHaveLength(1);
  });

  it('spend --since 7d and --since DATE count only the ledger rows since then; a bad date is one line', async (t) => {
    const sb = sandbox(t);
    const now = Date.now();
    const DAY = 86_400_000;
    const store = openStore(sb.dataDir);
    for (const [id, daysAgo, usd] of [['old', 10, 4], ['week', 5, 2], ['today', 0, 1]] as const) {
      store.spend.record({
        columnId: id, runId: id, at: now - daysAgo * DAY, provider: 'p', keyRef: '', model: id, modelId: `lab/${id}`,
        inputTokens: 1, outputTokens: 1, costUsd: usd, estimated: false, ttftMs: null, totalMs: null,
      });
    }
    store.close();
    const sixDaysAgo = new Date(now - 6 * DAY).toISOString().slice(0, 10);
    const [all, week, sinceDate, human, bad] = await Promise.all([
      sb.json<SpendJson>(['spend', '--json', '--by', 'model']),
      sb.json<SpendJson>(['spend', '--since', '7d', '--json', '--by', 'model']),
      sb.json<SpendJson>(['spend', '--since', sixDaysAgo, '--json', '--by', 'model']),
      sb.run(['spend', '--since', '7d', '--by', 'provider']),
      sb.run(['spend', '--since', 'last tuesday']),
    ]);
    expect(all).toMatchObject({ since: null, totalUsd: 7 });
    expect(week.totalUsd).toBe(3);
    expect(week.rows.map((r) => r.key).sort()).toEqual(['lab/today', 'lab/week']);
    expect(Date.parse(week.since!)).toBeGreaterThan(now - 7 * DAY - 60_000);
    expect(sinceDate).toMatchObject({ since: `${sixDaysAgo}T00:00:00.000Z`, totalUsd: 3 });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^p\s+\$3\.0+\s+2\s/m);
    expect(human.stdout).toMatch(/total \$3\.0+\n$/);
    expectOneLineError(bad, 1, /^switchyard: invalid --since "last tuesday": expected a date like 2026-11-01 or 7d$/);
  });

  it('history list --search finds runs by prompt and answer words, and says when nothing matches', async (t) => {
    const mock = await mockProviders(t, { scripts: { good: { text: 'photosynthesis converts light' } } });
    const sb = sandbox(t);
    await addMock(sb, mock);
    const first = runJsonOf(await sb.run(['compare', 'why is the sky blue', '-m', 'm:good', '--json']));
    const second = runJsonOf(await sb.run(['compare', 'explain tides briefly', '-m', 'm:good', '--json']));
    type Summary = { runId: string; promptPreview: string };
    const [sky, tides, answer, prefix, none, noneHuman] = await Promise.all([
      sb.json<Summary[]>(['history', 'list', '--search', 'sky', '--json']),
      sb.json<Summary[]>(['history', 'list', '--search', 'TIDES', '--json']),
      sb.json<Summary[]>(['history', 'list', '--search', 'photosynthesis', '--json']),
      sb.json<Summary[]>(['history', 'list', '--search', 'expl', '--json']),
      sb.json<Summary[]>(['history', 'list', '--search', 'volcano', '--json']),
      sb.run(['history', 'list', '--search', 'volcano']),
    ]);
    expect(sky.map((r) => r.runId)).toEqual([first.runId]);
    expect(tides.map((r) => [r.runId, r.promptPreview])).toEqual([[second.runId, 'explain tides briefly']]);
    // Answers are indexed too, newest first.
    expect(answer.map((r) => r.runId)).toEqual([second.runId, first.runId]);
    expect(prefix.map((r) => r.runId)).toEqual([second.runId]);
    expect(none).toEqual([]);
    expect(noneHuman.code, noneHuman.stderr).toBe(0);
    expect(noneHuman.stdout).toBe('no runs match "volcano"\n');
  });

  it('catalog override --cached: the cached-input price is stored and bills the cached tokens', async (t) => {
    const usage = { inputTokens: 1_000, cachedInputTokens: 400, outputTokens: 100 };
    const mock = await mockProviders(t, { scripts: { 'gpt-4o-mini': { usage } } });
    const sb = sandbox(t);
    await addMock(sb, mock, 'oa', ['--catalog-provider', 'openai', '--api-key-env', 'SY_TEST_KEY']);
    const set = await sb.run(['catalog', 'override', 'oa:gpt-4o-mini', '--input', '1', '--output', '2', '--cached', '0.5']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^override saved: oa:gpt-4o-mini input \$1\.0+\/M, output \$2\.0+\/M, cached input \$0\.50+\/M\n$/);
    const db = sb.readDb();
    const stored = db.prepare(`SELECT price_json FROM catalog_overrides WHERE provider_id = 'oa' AND upstream_model = 'gpt-4o-mini'`).get() as { price_json: string };
    db.close();
    expect(JSON.parse(stored.price_json)).toMatchObject({ inputPerM: 1, outputPerM: 2, cacheReadPerM: 0.5 });

    // The same endpoint named directly and as the catalog model this provider stands for.
    const run = runJsonOf(await sb.run(['compare', 'cache me', '-m', 'oa:gpt-4o-mini', '-m', 'openai/gpt-4o-mini', '--json']));
    for (const c of run.columns) {
      expect(c).toMatchObject({ status: 'ok', servedBy: { provider: 'oa', model: 'gpt-4o-mini' }, usage: { inputTokens: 1_000, outputTokens: 100, estimated: false } });
      // 600 uncached at $1, 400 cached at $0.50, 100 out at $2 (per million).
      expect(c.costUsd).toBeCloseTo((600 * 1 + 400 * 0.5 + 100 * 2) / 1e6, 15);
    }
    const spend = await sb.json<SpendJson>(['spend', '--json']);
    expect(spend.totalUsd).toBeCloseTo(2 * run.columns[0]!.costUsd!, 15);
  });
});
