/**
 * Conversations through the real engine (issue 14): follow-up turns where each
 * column continues its own conversation, one column alone, forks, per-column
 * parameters and Anthropic cache writes, all asserted on the bodies the
 * loopback mock received and on what SQLite kept.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderType } from '../../shared/domain';
import { type MockProviders, type MockRequestRecord } from '../mocks/provider-server';
import { PROMPT, PROTOCOLS, addProvider, ask, closeWorkbenches, col, expectPersisted, only, openWorkbench, priceEndpoint, recordEvents, requestsFor, waitFor, type Workbench, shareMockProviders } from './helpers';

const PID: Record<ProviderType, string> = { openai: 'oa', anthropic: 'an', gemini: 'ge' };
const ANSWER: Record<ProviderType, string> = { openai: 'first from openai', anthropic: 'first from anthropic', gemini: 'first from gemini' };
const FOLLOW = 'and now in French';

let mock: MockProviders;
let wb: Workbench;

shareMockProviders((m) => (mock = m));
beforeEach(async () => {
  mock.reset();
  wb = openWorkbench();
  for (const type of PROTOCOLS) await addProvider(wb, { id: PID[type], type, baseUrl: mock.baseUrls[type] });
});
afterEach(closeWorkbenches);

/** The conversation part of a body, in each protocol's own shape. */
function turnsSent(r: MockRequestRecord): unknown {
  const b = r.body as Record<string, unknown>;
  if (r.protocol === 'gemini') return b.contents;
  // OpenAI carries the system prompt as a first message; the conversation is what follows it.
  return (b.messages as Array<{ role: string }>).filter((m) => m.role !== 'system');
}

function expectedShape(type: ProviderType, history: Array<[role: 'user' | 'assistant', text: string]>): unknown {
  if (type === 'gemini') return history.map(([role, text]) => ({ role: role === 'assistant' ? 'model' : 'user', parts: [{ text }] }));
  return history.map(([role, content]) => ({ role, content }));
}

describe('follow-up turns', () => {
  it('sends every column its own earlier answer, in each protocol\'s shape, as a turn of the same run', async () => {
    for (const type of PROTOCOLS) mock.script(`${type}-chat`, { text: ANSWER[type] });
    const first = await wb.engine.compare(ask(PROTOCOLS.map((t) => `${PID[t]}:${t}-chat`), { system: 'be brief' }));
    expect(first.columns.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);

    for (const type of PROTOCOLS) mock.script(`${type}-chat`, { text: `second from ${type}` });
    const { turn, columns, done } = wb.engine.followUp(first.runId, FOLLOW);
    expect(turn).toBe(1);
    expect(columns.map((c) => c.index)).toEqual([0, 1, 2]);
    const result = await done;

    PROTOCOLS.forEach((type) => {
      const [, second] = requestsFor(mock, `${type}-chat`);
      expect(turnsSent(second!)).toEqual(expectedShape(type, [['user', PROMPT], ['assistant', ANSWER[type]], ['user', FOLLOW]]));
    });
    // The system prompt still goes where each protocol takes it.
    const bodies = PROTOCOLS.map((t) => requestsFor(mock, `${t}-chat`)[1]!.body as Record<string, unknown>);
    expect((bodies[0]!.messages as unknown[])[0]).toEqual({ role: 'system', content: 'be brief' });
    expect(bodies[1]!.system).toBe('be brief');
    expect(bodies[2]!.systemInstruction).toEqual({ parts: [{ text: 'be brief' }] });

    expect(result.runId).toBe(first.runId);
    expect(result.turns?.map((t) => [t.turn, t.prompt, t.columns])).toEqual([[0, PROMPT, [0, 1, 2]], [1, FOLLOW, [0, 1, 2]]]);
    PROTOCOLS.forEach((type, i) => {
      const c = col(result, i);
      // The column is its latest turn; its turns keep both answers, each with its own attempts.
      expect(c.text).toBe(`second from ${type}`);
      expect(c.turns?.map((t) => [t.turn, t.prompt, t.text])).toEqual([[0, PROMPT, ANSWER[type]], [1, FOLLOW, `second from ${type}`]]);
      expect(c.turns?.map((t) => t.attempts.length)).toEqual([1, 1]);
      expect(c.turns![0]!.columnId).toBe(first.columns[i]!.columnId);
      expect(c.columnId).not.toBe(first.columns[i]!.columnId);
    });
    expectPersisted(wb, result);
    expect(wb.ctx.store.runs.listRuns({ limit: 5, offset: 0 })).toHaveLength(1);
  });

  it('--column continues one column only; the next follow-up to all sends each column the turns it answered', async () => {
    mock.script('a-model', { text: 'alpha one' });
    mock.script('b-model', { text: 'beta one' });
    const first = await wb.engine.compare(ask(['oa:a-model', 'an:b-model']));

    mock.script('b-model', { text: 'beta two' });
    const second = await wb.engine.followUp(first.runId, 'only you', { column: 1 }).done;
    expect(requestsFor(mock, 'a-model')).toHaveLength(1);
    expect(second.turns?.map((t) => t.columns)).toEqual([[0, 1], [1]]);
    expect(col(second, 0).turns?.map((t) => t.turn)).toEqual([0]);
    expect(col(second, 1).turns?.map((t) => t.turn)).toEqual([0, 1]);

    mock.script('a-model', { text: 'alpha three' });
    mock.script('b-model', { text: 'beta three' });
    await wb.engine.followUp(first.runId, 'both of you').done;
    expect(turnsSent(requestsFor(mock, 'a-model')[1]!)).toEqual(expectedShape('openai', [['user', PROMPT], ['assistant', 'alpha one'], ['user', 'both of you']]));
    expect(turnsSent(requestsFor(mock, 'b-model')[2]!)).toEqual(
      expectedShape('anthropic', [['user', PROMPT], ['assistant', 'beta one'], ['user', 'only you'], ['assistant', 'beta two'], ['user', 'both of you']]),
    );
  });

  it('a window reloaded mid-turn gets the whole run: the other columns as they were, the continuing one with its earlier turn', async () => {
    mock.script('still', { text: 'stays' });
    mock.script('moving', { text: 'first' });
    const first = await wb.engine.compare(ask(['oa:still', 'oa:moving']));
    mock.script('moving', { text: 'a b c d e f', tokenDelayMs: 30 });
    const ev = recordEvents(wb.engine);
    const { columns, done } = wb.engine.followUp(first.runId, 'more', { column: 1 });
    await waitFor('the follow-up to stream', () => ev.words(columns[0]!.columnId) > 0);
    const [live] = wb.engine.listActive().runs;
    expect(live!.columns.map((c) => [c.columnId, c.status])).toEqual([[first.columns[0]!.columnId, 'ok'], [columns[0]!.columnId, 'running']]);
    expect(live!.columns[1]!.turns?.map((t) => [t.turn, t.text])).toEqual([[0, 'first']]);
    ev.stop();
    await done;
  });

  it('per-turn costs sum to the column\'s and the run\'s totals', async () => {
    mock.script('priced', { text: 'one two three' });
    priceEndpoint(wb, 'oa', 'priced', 'oa/priced', { inputPerM: 1_000, outputPerM: 2_000 });
    priceEndpoint(wb, 'an', 'priced', 'an/priced', { inputPerM: 3_000, outputPerM: 1_000 });
    const first = await wb.engine.compare(ask(['oa:priced', 'an:priced']));
    const result = await wb.engine.followUp(first.runId, 'more please').done;
    let runTotal = 0;
    for (const c of result.columns) {
      const costs = c.turns!.map((t) => t.costUsd!);
      expect(costs.every((x) => x > 0)).toBe(true);
      const sum = costs.reduce((a, b) => a + b, 0);
      expect(c.totals!.costUsd).toBeCloseTo(sum, 10);
      expect(c.totals!.outputTokens).toBe(c.turns!.reduce((n, t) => n + t.usage.outputTokens!, 0));
      runTotal += sum;
    }
    expect(result.totals!.costUsd).toBeCloseTo(runTotal, 10);
    // The history list bills the run for every turn, and the ledger has one row per turn of each column.
    expect(wb.ctx.store.runs.listRuns({ limit: 1, offset: 0 })[0]!.costUsd).toBeCloseTo(runTotal, 10);
    expect(wb.ctx.store.spend.entriesSince(0)).toHaveLength(4);
  });

  it('a column whose last answer failed is not continued; asked for alone it is refused and nothing is recorded', async () => {
    mock.script('good', { text: 'fine' });
    mock.script('bad', { fault: 'bad_request' });
    const first = await wb.engine.compare(ask(['oa:good', 'oa:bad']));
    expect(first.columns.map((c) => c.status)).toEqual(['ok', 'error']);

    expect(() => wb.engine.followUp(first.runId, 'again', { column: 1 })).toThrow(/^column 2 \(oa:bad\) is not continued: its last answer is error \(400 from oa.*\); retry it first$/);
    expect(() => wb.engine.followUp(first.runId, '  ')).toThrow('the follow-up prompt is empty');
    expect(() => wb.engine.followUp(first.runId, 'x', { column: 5 })).toThrow(`run ${first.runId} has no column 6 (it has 2)`);
    expect(wb.ctx.store.runs.getRun(first.runId)!.turns).toBeUndefined();

    const started = wb.engine.followUp(first.runId, 'again');
    expect(started.columns.map((c) => c.index)).toEqual([0]);
    expect(started.warnings).toEqual([expect.stringMatching(/^column 2 \(oa:bad\) is not continued/)]);
    const result = await started.done;
    expect(result.turns?.[1]?.columns).toEqual([0]);
    expect(requestsFor(mock, 'bad')).toHaveLength(1);
  });

  it('a failed follow-up turn retried in place is sent the same conversation; only the latest turn can be retried', async () => {
    mock.script('flaky', { text: 'first answer' });
    const first = await wb.engine.compare(ask(['an:flaky']));
    mock.script('flaky', { fault: 'bad_request' });
    const failed = await wb.engine.followUp(first.runId, 'second?').done;
    expect(col(failed).status).toBe('error');
    expect(() => wb.engine.followUp(first.runId, 'third?')).toThrow(/^column 1 \(an:flaky\) is not continued: its last answer is error/);

    mock.script('flaky', { text: 'second answer' });
    const retried = await wb.engine.retryColumn(first.runId, col(failed).columnId);
    expect(retried.status).toBe('ok');
    const [, failedSend, retrySend] = requestsFor(mock, 'flaky');
    const history = expectedShape('anthropic', [['user', PROMPT], ['assistant', 'first answer'], ['user', 'second?']]);
    expect(turnsSent(failedSend!)).toEqual(history);
    expect(turnsSent(retrySend!)).toEqual(history);
    const saved = wb.ctx.store.runs.getRun(first.runId)!;
    expect(col(saved).turns?.map((t) => [t.turn, t.status, t.text])).toEqual([[0, 'ok', 'first answer'], [1, 'ok', 'second answer']]);
    await expect(wb.engine.retryColumn(first.runId, first.columns[0]!.columnId)).rejects.toThrow(/is an earlier turn of its conversation; only a column's latest turn can be retried$/);
  });

  it('tries the endpoint that served the last answer first, even when another ranks first now', async () => {
    await addProvider(wb, { id: 'east', type: 'openai', baseUrl: mock.baseUrls.openai, serves: { 'acme/m': 'm-east' } });
    await addProvider(wb, { id: 'west', type: 'openai', baseUrl: mock.baseUrls.openai, serves: { 'acme/m': 'm-west' } });
    mock.script('m-east', { fault: 'server_503', failTimes: 1 });
    const first = await wb.engine.compare(ask(['acme/m'], { routing: { strategy: 'order', order: ['east', 'west'] } }));
    expect(col(first).servedBy).toEqual({ provider: 'west', model: 'm-west' });

    const result = await wb.engine.followUp(first.runId, 'go on').done;
    expect(col(result).servedBy).toEqual({ provider: 'west', model: 'm-west' });
    expect(col(result).fellBack).toBe(false);
    expect(col(result).plan?.primary?.provider).toBe('west');
    expect(requestsFor(mock, 'm-east')).toHaveLength(1);
  });
});

describe('per-column routing in a conversation', () => {
  it('a column\'s own routing still applies to its follow-up, though the follow-up is a one-column request', async () => {
    await addProvider(wb, { id: 'east', type: 'openai', baseUrl: mock.baseUrls.openai, serves: { 'acme/m': 'm-east' } });
    await addProvider(wb, { id: 'west', type: 'openai', baseUrl: mock.baseUrls.openai, serves: { 'acme/m': 'm-west' } });
    // Column 2 may only use west; the run's order prefers east.
    const first = await wb.engine.compare(ask(['acme/m', 'acme/m'], { routing: { strategy: 'order', order: ['east', 'west'] }, columnRouting: [null, { only: ['west'] }] }));
    expect(first.columns.map((c) => c.servedBy?.provider)).toEqual(['east', 'west']);
    // Pinned to west either way; the only-west rule is what keeps east out of its fallbacks.
    const result = await wb.engine.followUp(first.runId, 'again', { column: 1 }).done;
    expect(col(result, 1).plan?.fallbacks).toEqual([]);
    expect(col(result, 1).servedBy?.provider).toBe('west');
    expect(requestsFor(mock, 'm-east')).toHaveLength(1);
  });
});

describe('fork', () => {
  it('sends the same history to each new target, as a new run', async () => {
    mock.script('origin', { text: 'origin one' });
    const first = await wb.engine.compare(ask(['oa:origin']));
    mock.script('origin', { text: 'origin two' });
    await wb.engine.followUp(first.runId, 'second question').done;

    for (const type of PROTOCOLS) mock.script(`${type}-fork`, { text: 'forked' });
    const request = wb.engine.forkRequest(first.runId, 0, PROTOCOLS.map((t) => `${PID[t]}:${t}-fork`), 'third question');
    const forked = await wb.engine.compare(request);
    expect(forked.runId).not.toBe(first.runId);
    expect(forked.request?.forkedFrom).toEqual({ runId: first.runId, index: 0 });
    const history: Array<['user' | 'assistant', string]> = [['user', PROMPT], ['assistant', 'origin one'], ['user', 'second question'], ['assistant', 'origin two'], ['user', 'third question']];
    for (const type of PROTOCOLS) expect(turnsSent(only(requestsFor(mock, `${type}-fork`)))).toEqual(expectedShape(type, history));

    // Without a prompt the new models answer the column's last prompt, with the same history before it.
    mock.reset();
    mock.script('again', { text: 'x' });
    await wb.engine.compare(wb.engine.forkRequest(first.runId, 0, ['an:again']));
    expect(turnsSent(only(requestsFor(mock, 'again')))).toEqual(expectedShape('anthropic', history.slice(0, 3)));
  });

  it('refuses a column with nothing to fork from, in one line', async () => {
    mock.script('bad', { fault: 'bad_request' });
    const first = await wb.engine.compare(ask(['oa:bad']));
    expect(() => wb.engine.forkRequest(first.runId, 0, ['oa:x'])).toThrow(/^column 1 \(oa:bad\) has no answer to fork from: its last answer is error/);
    expect(() => wb.engine.forkRequest(first.runId, 3, ['oa:x'])).toThrow(`run ${first.runId} has no column 4 (it has 1)`);
  });
});

describe('per-column parameters', () => {
  it('reach each column\'s body over the shared ones, in each protocol\'s spelling', async () => {
    for (const type of PROTOCOLS) mock.script(`${type}-p`, { text: 'ok' });
    await wb.engine.compare(ask(PROTOCOLS.map((t) => `${PID[t]}:${t}-p`), {
      params: { temperature: 0.5, maxTokens: 300 },
      targetParams: [{ temperature: 0, reasoningEffort: 'high' }, { thinkingBudget: 2048 }, { maxTokens: 77, thinkingBudget: 0 }],
    }));
    const body = (t: ProviderType) => only(requestsFor(mock, `${t}-p`)).body as Record<string, unknown>;
    expect(body('openai')).toMatchObject({ temperature: 0, max_tokens: 300, reasoning_effort: 'high' });
    expect(body('anthropic')).toMatchObject({ temperature: 0.5, max_tokens: 300, thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(body('gemini').generationConfig).toMatchObject({ temperature: 0.5, maxOutputTokens: 77, thinkingConfig: { thinkingBudget: 0 } });
    expect(body('openai')).not.toHaveProperty('thinking');
  });

  it('carry over to the column\'s follow-ups, and a thinking budget without max tokens leaves the answer room', async () => {
    mock.script('think', { text: 'ok' });
    const first = await wb.engine.compare(ask(['an:think', 'an:think'], { targetParams: [null, { thinkingBudget: 1024 }] }));
    await wb.engine.followUp(first.runId, 'more').done;
    const bodies = requestsFor(mock, 'think').map((r) => r.body as Record<string, unknown>);
    expect(bodies.map((b) => b.thinking ?? null)).toEqual(expect.arrayContaining([null, null, { type: 'enabled', budget_tokens: 1024 }, { type: 'enabled', budget_tokens: 1024 }]));
    expect(bodies.filter((b) => b.thinking).map((b) => b.max_tokens)).toEqual([1024 + 4096, 1024 + 4096]);
  });

  it('more entries than targets is one clear line', async () => {
    expect(() => wb.engine.start(ask(['oa:x'], { targetParams: [null, null] }))).toThrow('targetParams has 2 entries for 1 targets (one per target, null for none)');
  });
});

describe('Anthropic cache writes', () => {
  it('are kept apart from the other input tokens and priced at the catalog\'s cache-write price, else 1.25 x input (marked)', async () => {
    mock.script('cached', { text: 'one two', usage: { inputTokens: 1_000, cacheWriteTokens: 600, cachedInputTokens: 100 } });
    const price = { inputPerM: 3, outputPerM: 15, cacheReadPerM: 0.3, cacheWritePerM: 3.75, reasoningPerM: null, tiers: [] };
    wb.ctx.store.catalog.putOverride({ providerId: 'an', upstreamModel: 'cached', modelId: 'an/cached', price }, Date.now());
    wb.ctx.catalog.reloadOverrides();
    const priced = col(await wb.engine.compare(ask(['an:cached'])));
    expect(priced.usage).toMatchObject({ inputTokens: 1_000, cachedInputTokens: 100, cacheWriteTokens: 600, outputTokens: 2 });
    // 300 plain input at 3, 100 cache reads at 0.3, 600 cache writes at 3.75, 2 output at 15 (per million).
    expect(priced.costUsd).toBeCloseTo((300 * 3 + 100 * 0.3 + 600 * 3.75 + 2 * 15) / 1e6, 12);
    expect(priced.cacheWritePriceFallback).toBeUndefined();

    wb.ctx.store.catalog.putOverride({ providerId: 'an', upstreamModel: 'cached', modelId: 'an/cached', price: { ...price, cacheWritePerM: null } }, Date.now());
    wb.ctx.catalog.reloadOverrides();
    const result = await wb.engine.compare(ask(['an:cached']));
    const fallback = col(result);
    expect(fallback.costUsd).toBeCloseTo((300 * 3 + 100 * 0.3 + 600 * 3 * 1.25 + 2 * 15) / 1e6, 12);
    expect(fallback.cacheWritePriceFallback).toBe(true);
    expectPersisted(wb, result);
  });
});
