/**
 * Fan-out through the real engine: one prompt to several targets over real
 * HTTP on loopback, each column on its own path, everything in a real SQLite
 * file. Covers issue 2's "Done when": each adapter, concurrency, cancellation,
 * truncation and in-band errors, persistence and the JSON contract.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderType } from '../../shared/domain';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import {
  PROMPT_WORDS, PROTOCOLS, addProvider, ask, closeWorkbenches, col, defaultText, expectPersisted, only, openWorkbench,
  recordEvents, requestsFor, waitFor, type Workbench,
} from './helpers';

const KEYS: Record<ProviderType, string> = { openai: 'sk-oa-0001', anthropic: 'sk-an-0002', gemini: 'sk-ge-0003' };
const PID: Record<ProviderType, string> = { openai: 'oa', anthropic: 'an', gemini: 'ge' };
const FINISH: Record<ProviderType, string> = { openai: 'stop', anthropic: 'end_turn', gemini: 'STOP' };

let mock: MockProviders;
let wb: Workbench;

/**
 * fetch's own account of its requests (undici's diagnostics channels): one is
 * done once its response has been read to the end (`trailers`, when undici
 * hands the connection back to its pool) or it failed or was cancelled (`error`).
 */
function fetchTracker() {
  let open = 0;
  let waiters: Array<() => void> = [];
  const created = () => void open++;
  const done = () => {
    open = Math.max(0, open - 1);
    if (open === 0) for (const w of waiters.splice(0)) w();
  };
  subscribe('undici:request:create', created);
  subscribe('undici:request:trailers', done);
  subscribe('undici:request:error', done);
  return {
    /** Resolves when no request is in flight, bodies read out in the background included. */
    idle: (): Promise<void> => (open === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    stop() {
      unsubscribe('undici:request:create', created);
      unsubscribe('undici:request:trailers', done);
      unsubscribe('undici:request:error', done);
      waiters = [];
    },
  };
}
const fetches = fetchTracker();
afterAll(() => fetches.stop());

beforeAll(async () => {
  // Every request must carry its provider's key: proves the key reached the wire.
  mock = await startMockProviders({ requireKey: Object.values(KEYS) });
});
afterAll(async () => {
  await closeWorkbenches();
  await mock.close();
});
beforeEach(async () => {
  mock.reset();
  wb = openWorkbench({ env: { OA_KEY: KEYS.openai, AN_KEY: KEYS.anthropic, GE_KEY: KEYS.gemini } });
  for (const type of PROTOCOLS) {
    await addProvider(wb, { id: PID[type], type, baseUrl: mock.baseUrls[type], keyEnv: [`${PID[type].toUpperCase()}_KEY`] });
  }
});
afterEach(closeWorkbenches);

describe('fan-out over the three wire protocols', () => {
  it('streams text, usage and finish reason from openai, anthropic and gemini concurrently', async () => {
    const texts: Record<ProviderType, string> = { openai: 'Hello from the openai side', anthropic: 'Greetings via anthropic messages', gemini: 'Gemini says hi' };
    for (const type of PROTOCOLS) mock.script(`${type}-fan`, { text: texts[type], tokenDelayMs: 40 });

    const result = await wb.engine.compare(ask(PROTOCOLS.map((t) => `${PID[t]}:${t}-fan`)));

    expect(result.columns.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
    PROTOCOLS.forEach((type, i) => {
      const c = col(result, i);
      const words = texts[type].split(' ').length;
      expect(c.text).toBe(texts[type]);
      expect(c.finishReason).toBe(FINISH[type]);
      expect(c.usage).toMatchObject({ inputTokens: PROMPT_WORDS, outputTokens: words, estimated: false });
      expect(c.servedBy).toEqual({ provider: PID[type], model: `${type}-fan` });
      expect(c.fellBack).toBe(false);
      expect(c.error).toBeNull();
      const a = only(c.attempts);
      expect(a).toMatchObject({ provider: PID[type], model: `${type}-fan`, status: 'ok', httpStatus: 200, error: null, keyIndex: 0 });
      expect(c.metrics.ttftMs).toBeGreaterThan(0);
      expect(c.metrics.totalMs!).toBeGreaterThanOrEqual(c.metrics.ttftMs!);
      // Each request went out on its own protocol with its own key.
      const r = only(requestsFor(mock, `${type}-fan`));
      expect(r.protocol).toBe(type);
      expect(r.keyLast4).toBe(KEYS[type].slice(-4));
    });
    // The three paced streams were open at the same time: the columns ran concurrently.
    expect(mock.peakOpenStreams).toBe(3);
    expectPersisted(wb, result);
  });

  it('a column hanging before headers does not delay the others', async () => {
    for (const m of ['quick-a', 'quick-b', 'quick-c']) mock.script(m, { tokens: 5 });
    mock.script('hangs', { fault: 'hang_before_headers' });
    const ev = recordEvents(wb.engine);
    const t0 = performance.now();
    const { runId, columns, done } = wb.engine.start(
      ask(['oa:quick-a', 'an:quick-b', 'ge:quick-c', 'oa:hangs'], { timeouts: { connectMs: 20_000 } }),
    );

    await waitFor('the three healthy columns', () => ev.finished().length === 3);
    const finishedAt = performance.now();
    // The hung column is still waiting for headers, well inside its 20 s connect timeout.
    expect(wb.engine.isActive(runId)).toBe(true);
    const live = wb.ctx.store.runs.getRun(runId)!;
    expect(live.columns.map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'running']);
    expect(live.columns[3]!.attempts.map((a) => a.status)).toEqual(['running']);
    expect(finishedAt - t0).toBeLessThan(3_000);

    const cancelledAt = performance.now();
    expect(wb.engine.cancelRun(runId)).toBe(true);
    const result = await done;
    expect(performance.now() - cancelledAt).toBeLessThan(1_000);

    for (const i of [0, 1, 2]) {
      const c = col(result, i);
      expect(c.status).toBe('ok');
      expect(c.text).toBe(defaultText(5));
      expect(c.metrics.totalMs!).toBeLessThan(2_000);
      const at = ev.finished().find((f) => f.column.columnId === columns[i]!.columnId)!.at;
      expect(at).toBeLessThan(cancelledAt);
    }
    const hung = col(result, 3);
    expect(hung.status).toBe('cancelled');
    expect(hung.text).toBe('');
    expect(hung.servedBy).toBeNull();
    expect(only(hung.attempts)).toMatchObject({ status: 'cancelled', httpStatus: null });
    // The abort reached the socket: the client closed the hung connection.
    const r = await mock.ended(only(requestsFor(mock, 'hangs')));
    expect(r.endedBy).toBe('client');
    expect(r.status).toBeNull();
    expectPersisted(wb, result);
  });
});

describe('cancellation', () => {
  it('cancelRun stops every column, keeps and records the partial text', async () => {
    mock.script('long-a', { tokens: 200, tokenDelayMs: 10 });
    mock.script('long-b', { tokens: 200, tokenDelayMs: 10 });
    const ev = recordEvents(wb.engine);
    const { runId, columns, done } = wb.engine.start(ask(['oa:long-a', 'an:long-b']));
    await waitFor('a few deltas in both columns', () => columns.every((c) => ev.words(c.columnId) >= 3));
    expect(wb.engine.cancelRun(runId)).toBe(true);
    const result = await done;

    const full = defaultText(200);
    for (const [i, c] of result.columns.entries()) {
      expect(c.status).toBe('cancelled');
      expect(c.error).toBe('cancelled');
      // Exactly what was streamed to the UI, and a strict prefix of the answer.
      expect(c.text).toBe(ev.textOf(columns[i]!.columnId));
      expect(c.text.length).toBeGreaterThan(0);
      expect(c.text.length).toBeLessThan(full.length);
      expect(full.startsWith(c.text)).toBe(true);
      expect(c.servedBy).toEqual({ provider: ['oa', 'an'][i], model: ['long-a', 'long-b'][i] });
      // Counted locally from the text that arrived (a provider's interim count is not the answer's).
      expect(c.usage.estimated).toBe(true);
      expect(c.usage.outputTokens!).toBeGreaterThanOrEqual(c.text.split(' ').length);
      expect(only(c.attempts)).toMatchObject({ status: 'cancelled', errorKind: 'cancelled', httpStatus: 200 });
    }
    for (const m of ['long-a', 'long-b']) expect((await mock.ended(only(requestsFor(mock, m)))).endedBy).toBe('client');
    expectPersisted(wb, result);
    expect(wb.engine.cancelRun(runId)).toBe(false);
  });

  it('cancelColumn cancels one column and leaves the others streaming', async () => {
    mock.script('victim', { tokens: 200, tokenDelayMs: 10 });
    mock.script('survivor', { tokens: 30, tokenDelayMs: 10 });
    const ev = recordEvents(wb.engine);
    const { runId, columns, done } = wb.engine.start(ask(['oa:victim', 'ge:survivor']));
    await waitFor('the victim streaming', () => ev.words(columns[0]!.columnId) >= 3);
    const survivorWordsAtCancel = ev.words(columns[1]!.columnId);
    expect(wb.engine.cancelColumn(runId, columns[0]!.columnId)).toBe(true);
    const result = await done;

    const victim = col(result, 0);
    expect(victim.status).toBe('cancelled');
    expect(victim.text).toBe(ev.textOf(columns[0]!.columnId));
    expect(defaultText(200).startsWith(victim.text) && victim.text.length > 0).toBe(true);
    const survivor = col(result, 1);
    expect(survivor.status).toBe('ok');
    expect(survivor.text).toBe(defaultText(30));
    expect(survivor.error).toBeNull();
    // It kept receiving after its neighbour was cancelled.
    expect(ev.words(columns[1]!.columnId)).toBeGreaterThan(survivorWordsAtCancel);
    expect(only(requestsFor(mock, 'survivor')).endedBy).toBe('server');
    expectPersisted(wb, result);
    expect(wb.engine.cancelColumn(runId, columns[1]!.columnId)).toBe(false);
  });
});

/**
 * "interrupted after N tokens": N is the attempt's recorded count, and at least the
 * words that arrived (a provider's interim count, like Anthropic's 1 at message_start, is not it).
 */
function expectInterruptedCount(error: string, recorded: number | null, wordsStreamed: number) {
  const n = Number(/^interrupted after (\d+) tokens/.exec(error)?.[1]);
  expect(n).toBe(recorded);
  expect(n).toBeGreaterThanOrEqual(wordsStreamed);
}

describe.each(PROTOCOLS)('broken streams on %s', (type) => {
  const target = (m: string) => `${PID[type]}:${m}`;

  it('a stream without its terminal event is incomplete, with its partial text and the reason', async () => {
    mock.script('cut', { tokens: 6, fault: 'missing_terminal', faultAfterTokens: 3 });
    const result = await wb.engine.compare(ask([target('cut')]));
    const c = col(result, 0);
    expect(c.status).toBe('incomplete');
    expect(c.text).toBe('tok1 tok2 tok3');
    expect(c.error).toMatch(/^interrupted after \d+ tokens: stream from .+ ended without its terminal event$/);
    expect(c.finishReason).toBeNull();
    expect(c.servedBy).toEqual({ provider: PID[type], model: 'cut' });
    const a = only(c.attempts);
    expect(a).toMatchObject({ status: 'incomplete', errorKind: 'truncated', httpStatus: 200 });
    expectInterruptedCount(c.error!, a.outputTokens, 3);
    expect(c.usage).toMatchObject({ outputTokens: expect.any(Number), estimated: true });
    expect(c.usage.outputTokens!).toBeGreaterThanOrEqual(3);
    expect(requestsFor(mock, 'cut')).toHaveLength(1);
    expectPersisted(wb, result);
  });

  it('an error event after HTTP 200 is not ok, and the partial text is kept', async () => {
    mock.script('inband', { tokens: 6, fault: 'error_event', faultAfterTokens: 2 });
    const result = await wb.engine.compare(ask([target('inband')]));
    const c = col(result, 0);
    expect(c.status).toBe('incomplete');
    expect(c.text).toBe('tok1 tok2');
    expect(c.error).toMatch(/^interrupted after \d+ tokens: .*Overloaded: the model stopped mid-stream/);
    // The attempt failed; the column is incomplete because text had already reached the user.
    const a = only(c.attempts);
    expect(a).toMatchObject({ status: 'error', errorKind: 'stream_error', httpStatus: 200 });
    expectInterruptedCount(c.error!, a.outputTokens, 2);
    expectPersisted(wb, result);
  });

  it('a malformed event ends the column with its partial text and a clear error', async () => {
    mock.script('garbled', { tokens: 6, fault: 'malformed_event', faultAfterTokens: 2 });
    const result = await wb.engine.compare(ask([target('garbled')]));
    const c = col(result, 0);
    expect(c.status).toBe('incomplete');
    expect(c.text).toBe('tok1 tok2');
    expect(c.error).toMatch(/^interrupted after \d+ tokens: malformed event from /);
    const a = only(c.attempts);
    expect(a).toMatchObject({ status: 'error', errorKind: 'malformed', httpStatus: 200 });
    expectInterruptedCount(c.error!, a.outputTokens, 2);
    expectPersisted(wb, result);
  });

  it('time to first token ignores the empty frames sent before the first text', async () => {
    mock.script('primed', { tokens: 3, emptyFramesFirst: 5, firstTokenDelayMs: 300 });
    const result = await wb.engine.compare(ask([target('primed')]));
    const c = col(result, 0);
    expect(c.status).toBe('ok');
    expect(c.text).toBe(defaultText(3));
    // The empty frames arrive within a few ms; the first text only after 300 ms.
    expect(c.metrics.ttftMs!).toBeGreaterThanOrEqual(295);
    expect(c.metrics.ttftMs!).toBeLessThan(1_000);
    expect(only(c.attempts).ttftMs).toBe(c.metrics.ttftMs);
  });
});

describe('errors before any text', () => {
  it('an error event with no text first is an error after bounded retries of the only endpoint', async () => {
    mock.script('refuses', { fault: 'error_event', faultAfterTokens: 0 });
    const result = await wb.engine.compare(ask(['oa:refuses']));
    const c = col(result, 0);
    expect(c.status).toBe('error');
    expect(c.text).toBe('');
    expect(c.servedBy).toBeNull();
    expect(c.error).toContain('Overloaded: the model stopped mid-stream');
    // The first try plus two retries of the same (only) endpoint: bounded, every one recorded.
    expect(c.attempts.map((a) => [a.status, a.errorKind])).toEqual([['error', 'stream_error'], ['error', 'stream_error'], ['error', 'stream_error']]);
    expect(requestsFor(mock, 'refuses')).toHaveLength(3);
    expectPersisted(wb, result);
  });
});

describe('metrics', () => {
  it('tokens per second is measured from the first token, not from the request', async () => {
    mock.script('paced', { tokens: 11, firstTokenDelayMs: 600, tokenDelayMs: 10 });
    const result = await wb.engine.compare(ask(['oa:paced']));
    const c = col(result, 0);
    const a = only(c.attempts);
    expect(c.usage.outputTokens).toBe(11);
    const streamingSec = (a.totalMs! - a.ttftMs!) / 1000;
    expect(c.metrics.tokensPerSecond).toBeCloseTo(11 / streamingSec, 6);
    // Counting the 600 ms wait would give several times less.
    expect(c.metrics.tokensPerSecond!).toBeGreaterThan((1.5 * 11) / (a.totalMs! / 1000));
    expect(a.ttftMs!).toBeGreaterThanOrEqual(595);
  });
});

describe('connections', () => {
  it.each(PROTOCOLS)('%s: runs one after another reuse the keep-alive connection (no new handshake inside the next TTFT)', async (type) => {
    // The body ends a moment after the terminal event, in its own packet, as it often does over the internet.
    mock.script(`${type}-again`, { tokens: 5, endDelayMs: 15 });
    // Let whatever earlier tests left streaming or draining finish, then count from here.
    await fetches.idle();
    const before = mock.connections;
    for (let i = 0; i < 5; i++) {
      const r = await wb.engine.compare(ask([`${PID[type]}:${type}-again`]));
      expect(col(r, 0).status).toBe('ok');
      // The rest of a finished body is read out in the background; a person's next run comes after that.
      await fetches.idle();
    }
    expect(mock.connections - before).toBeLessThanOrEqual(1);
  });
});

describe('a body that runs on after its terminal event', () => {
  it('does not hold the column: it finishes at [DONE], and the connection is given up after a bound', async () => {
    mock.script('never-ends', { tokens: 3, endDelayMs: 30_000 });
    const t0 = performance.now();
    const r = await wb.engine.compare(ask(['oa:never-ends']));
    expect(col(r, 0)).toMatchObject({ status: 'ok', text: 'tok1 tok2 tok3' });
    expect(performance.now() - t0).toBeLessThan(1_500);
    const [record] = requestsFor(mock, 'never-ends');
    // Released within DRAIN_AFTER_TERMINAL_MS (2 s), long before the server would have ended it.
    await mock.ended(record!, 4_000);
    expect(performance.now() - t0).toBeLessThan(4_500);
  });
});

describe('the JSON result and its record', () => {
  it('has the shape of the compare --json contract, and history returns the same', async () => {
    mock.script('shape-ok', { text: 'three word answer' });
    mock.script('shape-bad', { fault: 'bad_request' });
    const result = await wb.engine.compare(ask(['oa:shape-ok', 'an:shape-bad']));
    const json = JSON.parse(JSON.stringify(result)) as typeof result;

    expect(json.runId).toMatch(/^r_/);
    const attemptShape = {
      provider: expect.any(String), model: expect.any(String), status: expect.any(String), startedAt: expect.any(Number),
    };
    expect(json.columns[0]).toMatchObject({
      target: 'oa:shape-ok', status: 'ok', servedBy: { provider: 'oa', model: 'shape-ok' }, fellBack: false, text: 'three word answer', error: null,
      attempts: [{ ...attemptShape, provider: 'oa', model: 'shape-ok', status: 'ok', httpStatus: 200, error: null, ttftMs: expect.any(Number), totalMs: expect.any(Number) }],
      usage: { inputTokens: PROMPT_WORDS, outputTokens: 3, estimated: false },
      metrics: { ttftMs: expect.any(Number), totalMs: expect.any(Number), tokensPerSecond: expect.any(Number) },
      costUsd: null,
    });
    expect(json.columns[1]).toMatchObject({
      target: 'an:shape-bad', status: 'error', servedBy: null, fellBack: false, text: '',
      error: expect.stringContaining('400 from'),
      attempts: [{ ...attemptShape, provider: 'an', model: 'shape-bad', status: 'error', httpStatus: 400, error: expect.stringContaining('messages must not be empty'), ttftMs: null }],
      usage: { inputTokens: null, outputTokens: null, estimated: false },
      metrics: { ttftMs: null, tokensPerSecond: null },
      costUsd: null,
    });
    for (const c of json.columns) {
      for (const k of ['target', 'status', 'servedBy', 'fellBack', 'text', 'error', 'attempts', 'usage', 'metrics', 'costUsd']) expect(c).toHaveProperty(k);
      for (const a of c.attempts) for (const k of ['provider', 'model', 'status', 'httpStatus', 'error', 'startedAt', 'ttftMs', 'totalMs']) expect(a).toHaveProperty(k);
    }
    // 400 is not retried: one request for the bad column.
    expect(requestsFor(mock, 'shape-bad')).toHaveLength(1);
    const saved = expectPersisted(wb, result);
    expect(JSON.parse(JSON.stringify(saved.columns))).toEqual(json.columns);
    expect(wb.ctx.store.runs.listRuns({ limit: 5, offset: 0 })).toEqual([
      expect.objectContaining({ runId: result.runId, status: 'done', targets: ['oa:shape-ok', 'an:shape-bad'], columnStatuses: ['ok', 'error'] }),
    ]);
  });
});

describe('retryColumn', () => {
  it('re-runs one column in place and leaves the others untouched', async () => {
    mock.script('steady', { tokens: 4 });
    mock.script('flaky', { tokens: 4, fault: 'server_500', failTimes: 3 });
    const first = await wb.engine.compare(ask(['oa:steady', 'oa:flaky']));
    expect(first.columns.map((c) => c.status)).toEqual(['ok', 'error']);
    expect(col(first, 1).attempts.map((a) => a.httpStatus)).toEqual([500, 500, 500]);
    const [steady, flaky] = first.columns;

    const retried = await wb.engine.retryColumn(first.runId, flaky!.columnId);
    expect(retried).toMatchObject({ columnId: flaky!.columnId, index: 1, target: 'oa:flaky', status: 'ok', text: defaultText(4), error: null });
    expect(only(retried.attempts)).toMatchObject({ status: 'ok', httpStatus: 200 });
    expect(requestsFor(mock, 'flaky')).toHaveLength(4);

    const saved = wb.ctx.store.runs.getRun(first.runId)!;
    expect(saved.status).toBe('done');
    expect(saved.columns).toHaveLength(2);
    expect(saved.columns[0]).toEqual(steady);
    expect(saved.columns[1]).toEqual(retried);
    expect(requestsFor(mock, 'steady')).toHaveLength(1);
  });
});
