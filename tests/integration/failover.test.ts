/**
 * Failover through the real engine: chains, several endpoints for one model,
 * error classes (401, 429, 5xx, network, timeouts), bounded retries, key
 * rotation, the circuit breaker, mid-stream failures and constraint refusals.
 * Real HTTP on loopback and a real SQLite file throughout.
 */
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../shared/domain';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { breakerKey } from '../../electron/engine/router/breaker';
import { addProvider, ask, closeWorkbenches, col, defaultText, expectPersisted, only, openWorkbench, requestsFor, type Workbench, shareMockProviders } from './helpers';

let mock: MockProviders;

shareMockProviders((m) => (mock = m));
beforeEach(() => mock.reset());
afterEach(closeWorkbenches);

/** random() = 0: balanced draws the first, the first key is key 0, backoff jitter is at its floor (d/2). */
function bench(env: Record<string, string> = {}): Workbench {
  return openWorkbench({ random: () => 0, env });
}

const order = (...ids: string[]) => ({ strategy: 'order' as const, order: ids });

/** Milliseconds between the end of one attempt and the start of the next. */
function gaps(attempts: AttemptRecord[]): number[] {
  return attempts.slice(1).map((a, i) => a.startedAt - (attempts[i]!.startedAt + attempts[i]!.totalMs!));
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('chains and endpoints', () => {
  it('a chain a,b falls through to b when a answers 500', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'pa', baseUrl: mock.baseUrls.openai });
    mock.script('chain-a', { fault: 'server_500' });
    mock.script('chain-b', { text: 'b answers instead' });

    const result = await wb.engine.compare(ask(['pa:chain-a,pa:chain-b']));
    const c = col(result);
    expect(c).toMatchObject({ status: 'ok', text: 'b answers instead', fellBack: true, servedBy: { provider: 'pa', model: 'chain-b' }, error: null });
    expect(c.attempts).toMatchObject([
      { provider: 'pa', model: 'chain-a', status: 'error', httpStatus: 500, errorKind: 'server', error: expect.stringContaining('500 from') },
      { provider: 'pa', model: 'chain-b', status: 'ok', httpStatus: 200, error: null },
    ]);
    // 500 with somewhere else to go: no retry of a.
    expect(requestsFor(mock, 'chain-a')).toHaveLength(1);
    expect(requestsFor(mock, 'chain-b')).toHaveLength(1);
    expectPersisted(wb, result);
  });

  it('a model served by two providers fails over between the endpoints (same upstream name, two hosts)', async () => {
    const west = await startMockProviders({ scripts: { 'shared-model': { text: 'answer from the west host' } } });
    try {
      const wb = bench();
      await addProvider(wb, { id: 'east', baseUrl: mock.baseUrls.openai, serves: { 'acme/shared': 'shared-model' } });
      await addProvider(wb, { id: 'west', type: 'anthropic', baseUrl: west.baseUrls.anthropic, serves: { 'acme/shared': 'shared-model' } });
      mock.script('shared-model', { fault: 'server_503' });

      const result = await wb.engine.compare(ask(['acme/shared'], { routing: order('east', 'west') }));
      const c = col(result);
      expect(c).toMatchObject({ status: 'ok', text: 'answer from the west host', fellBack: true, servedBy: { provider: 'west', model: 'shared-model' } });
      expect(c.attempts.map((a) => [a.provider, a.status, a.httpStatus])).toEqual([['east', 'error', 503], ['west', 'ok', 200]]);
      expect(mock.requests).toHaveLength(1);
      expect(west.requests).toHaveLength(1);
      expectPersisted(wb, result);
    } finally {
      await west.close();
    }
  });

  it('a refused connection is a network error and fails over', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'gone', baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, serves: { 'acme/net': 'net-model' } });
    await addProvider(wb, { id: 'here', baseUrl: mock.baseUrls.openai, serves: { 'acme/net': 'net-model' } });
    const result = await wb.engine.compare(ask(['acme/net'], { routing: order('gone', 'here') }));
    const c = col(result);
    expect(c).toMatchObject({ status: 'ok', fellBack: true, servedBy: { provider: 'here', model: 'net-model' }, text: defaultText(5) });
    expect(c.attempts[0]).toMatchObject({ provider: 'gone', status: 'error', errorKind: 'network', httpStatus: null, error: expect.stringContaining('ECONNREFUSED') });
    expect(c.attempts).toHaveLength(2);
  });
});

describe('error classes', () => {
  it('401 is not retried on the same endpoint, and marks it misconfigured with the provider message', async () => {
    mock.setRequireKey('sk-right-0000');
    const wb = bench({ WRONG_KEY: 'sk-wrong-9999', RIGHT_KEY: 'sk-right-0000' });
    await addProvider(wb, { id: 'keyed', baseUrl: mock.baseUrls.openai, keyEnv: ['WRONG_KEY'], serves: { 'acme/locked': 'locked-a' } });
    await addProvider(wb, { id: 'good', baseUrl: mock.baseUrls.openai, keyEnv: ['RIGHT_KEY'], serves: { 'acme/locked': 'locked-b' } });

    // Alone: one request, no retry, even though it is the last endpoint.
    const alone = col(await wb.engine.compare(ask(['keyed:locked-a'])));
    expect(alone.status).toBe('error');
    expect(only(alone.attempts)).toMatchObject({ status: 'error', httpStatus: 401, errorKind: 'auth', error: expect.stringContaining('Incorrect API key provided') });
    expect(requestsFor(mock, 'locked-a')).toHaveLength(1);
    expect(wb.ctx.store.routing.listMisconfigured()).toEqual([
      { endpointId: 'keyed:locked-a', message: expect.stringMatching(/^401 from .*Incorrect API key provided/), at: expect.any(Number) },
    ]);

    // The misconfigured endpoint now goes last, even under an explicit order naming it first.
    const next = await wb.engine.compare(ask(['acme/locked'], { routing: order('keyed', 'good') }));
    expect(col(next)).toMatchObject({ status: 'ok', fellBack: false, servedBy: { provider: 'good', model: 'locked-b' } });
    expect(only(col(next).attempts).provider).toBe('good');
    expect(requestsFor(mock, 'locked-a')).toHaveLength(1);
    expectPersisted(wb, next);
  });

  it('429 with Retry-After on the last endpoint waits at least that long before retrying it', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'busy', baseUrl: mock.baseUrls.openai });
    mock.script('ra-model', { fault: 'rate_limit', failTimes: 1, retryAfterSec: 1, tokens: 3 });

    const result = await wb.engine.compare(ask(['busy:ra-model']));
    const c = col(result);
    expect(c).toMatchObject({ status: 'ok', text: defaultText(3), fellBack: false });
    expect(c.attempts).toMatchObject([
      { status: 'error', httpStatus: 429, errorKind: 'rate_limit', retryAfterMs: 1000 },
      { status: 'ok', httpStatus: 200 },
    ]);
    const [gap] = gaps(c.attempts);
    expect(gap!).toBeGreaterThanOrEqual(999);
    expect(gap!).toBeLessThan(1_800);
    const [r1, r2] = requestsFor(mock, 'ra-model');
    expect(r2!.receivedAt - r1!.receivedAt).toBeGreaterThanOrEqual(1_000);
    expectPersisted(wb, result);
  });

  it('429 with Retry-After is not waited for while another endpoint is left', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'r1', baseUrl: mock.baseUrls.openai, serves: { 'acme/ra': 'ra-first' } });
    await addProvider(wb, { id: 'r2', baseUrl: mock.baseUrls.openai, serves: { 'acme/ra': 'ra-second' } });
    mock.script('ra-first', { fault: 'rate_limit', retryAfterSec: 30 });
    const result = await wb.engine.compare(ask(['acme/ra'], { routing: order('r1', 'r2') }));
    const c = col(result);
    expect(c).toMatchObject({ status: 'ok', fellBack: true, servedBy: { provider: 'r2' } });
    expect(c.attempts[0]).toMatchObject({ httpStatus: 429, retryAfterMs: 30_000 });
    expect(gaps(c.attempts)[0]!).toBeLessThan(500);
  });

  it('429 without Retry-After backs off exponentially before retrying the last endpoint', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'busy', baseUrl: mock.baseUrls.openai });
    mock.script('backoff-model', { fault: 'rate_limit', failTimes: 2, tokens: 2 });

    const c = col(await wb.engine.compare(ask(['busy:backoff-model'])));
    expect(c.status).toBe('ok');
    expect(c.attempts.map((a) => [a.httpStatus, a.retryAfterMs])).toEqual([[429, null], [429, null], [200, null]]);
    // Base 250 ms doubling, equal jitter at random() = 0: 125 ms, then 250 ms.
    const [g1, g2] = gaps(c.attempts);
    expect(g1!).toBeGreaterThanOrEqual(124);
    expect(g2!).toBeGreaterThanOrEqual(249);
    expect(g2!).toBeLessThan(1_500);
  });

  it('cancelling a column while it waits out a long Retry-After ends it at once', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'busy', baseUrl: mock.baseUrls.openai });
    mock.script('ra-long', { fault: 'rate_limit', retryAfterSec: 3600 });
    // The 429 attempt is recorded, then the column waits out the Retry-After: cancel then, not after a guessed delay.
    const waiting = new Promise<void>((resolve) => {
      const stop = wb.engine.onEvent((e) => {
        if (e.type === 'attempt-finished' && e.attempt.httpStatus === 429) {
          stop();
          resolve();
        }
      });
    });
    const { runId, done } = wb.engine.start(ask(['busy:ra-long']));
    await waiting;
    const t = performance.now();
    wb.engine.cancelRun(runId);
    const c = col(await done);
    expect(performance.now() - t).toBeLessThan(500);
    expect(c.status).toBe('cancelled');
    expect(only(c.attempts)).toMatchObject({ httpStatus: 429, retryAfterMs: 3_600_000 });
    expect(requestsFor(mock, 'ra-long')).toHaveLength(1);
  });

  it('the only endpoint recovers after failing twice (bounded retries on the same endpoint)', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'solo', baseUrl: mock.baseUrls.openai });
    mock.script('recovers', { fault: 'server_503', failTimes: 2, tokens: 4 });
    mock.script('never', { fault: 'server_503' });

    const ok = col(await wb.engine.compare(ask(['solo:recovers'])));
    expect(ok).toMatchObject({ status: 'ok', text: defaultText(4), fellBack: false, servedBy: { provider: 'solo', model: 'recovers' } });
    expect(ok.attempts.map((a) => a.httpStatus)).toEqual([503, 503, 200]);

    const failed = await wb.engine.compare(ask(['solo:never']));
    const c = col(failed);
    expect(c.status).toBe('error');
    expect(c.error).toMatch(/^503 from .*overloaded/);
    // One try and two retries, then the column gives up: bounded.
    expect(c.attempts.map((a) => a.httpStatus)).toEqual([503, 503, 503]);
    expect(requestsFor(mock, 'never')).toHaveLength(3);
    expectPersisted(wb, failed);
  });

  it('noFallback pins the column to its first choice', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'first', baseUrl: mock.baseUrls.openai, serves: { 'acme/pinned': 'pin-a' } });
    await addProvider(wb, { id: 'second', baseUrl: mock.baseUrls.openai, serves: { 'acme/pinned': 'pin-b' } });
    mock.script('pin-a', { fault: 'server_500' });

    const free = col(await wb.engine.compare(ask(['acme/pinned'], { routing: order('first', 'second') })));
    expect(free).toMatchObject({ status: 'ok', fellBack: true, servedBy: { provider: 'second' } });
    const before = requestsFor(mock, 'pin-b').length;

    const pinned = col(await wb.engine.compare(ask(['acme/pinned'], { routing: { ...order('first', 'second'), noFallback: true } })));
    expect(pinned.status).toBe('error');
    expect(pinned.fellBack).toBe(false);
    expect(pinned.servedBy).toBeNull();
    expect(pinned.attempts.length).toBeGreaterThan(0);
    expect(pinned.attempts.every((a) => a.provider === 'first' && a.httpStatus === 500)).toBe(true);
    expect(requestsFor(mock, 'pin-b')).toHaveLength(before);
  });
});

describe('mid-stream failures', () => {
  const FIRST = 'alpha beta gamma delta epsilon zeta eta theta';
  const SECOND = 'complete answer from the second endpoint';

  async function setup(): Promise<Workbench> {
    const wb = bench();
    await addProvider(wb, { id: 'flow1', baseUrl: mock.baseUrls.openai, serves: { 'acme/flow': 'drop-a' } });
    await addProvider(wb, { id: 'flow2', type: 'gemini', baseUrl: mock.baseUrls.gemini, serves: { 'acme/flow': 'drop-b' } });
    mock.script('drop-a', { text: FIRST, fault: 'drop_mid_stream', faultAfterTokens: 3 });
    mock.script('drop-b', { text: SECOND });
    return wb;
  }

  it('by default ends incomplete with the partial text and "interrupted after N tokens"', async () => {
    const wb = await setup();
    const result = await wb.engine.compare(ask(['acme/flow'], { routing: order('flow1', 'flow2') }));
    const c = col(result);
    expect(c.status).toBe('incomplete');
    expect(c.text).toBe('alpha beta gamma');
    expect(c.error).toMatch(/^interrupted after \d+ tokens: connection to flow1 \(127\.0\.0\.1:\d+\) lost mid-stream/);
    expect(c.servedBy).toEqual({ provider: 'flow1', model: 'drop-a' });
    expect(only(c.attempts)).toMatchObject({ status: 'error', errorKind: 'network', httpStatus: 200 });
    expect(requestsFor(mock, 'drop-b')).toHaveLength(0);
    expectPersisted(wb, result);
  });

  it('with continueElsewhere restarts on the other endpoint, records both attempts and never splices', async () => {
    const wb = await setup();
    const result = await wb.engine.compare(ask(['acme/flow'], { routing: { ...order('flow1', 'flow2'), continueElsewhere: true } }));
    const c = col(result);
    expect(c.status).toBe('ok');
    expect(c.text).toBe(SECOND);
    expect(c.fellBack).toBe(true);
    expect(c.servedBy).toEqual({ provider: 'flow2', model: 'drop-b' });
    expect(c.attempts.map((a) => [a.provider, a.status, a.errorKind])).toEqual([['flow1', 'error', 'network'], ['flow2', 'ok', null]]);
    // Usage is the serving attempt's, not the sum of both.
    expect(c.usage).toMatchObject({ outputTokens: SECOND.split(' ').length, estimated: false });
    expectPersisted(wb, result);
  });
});

describe('keys', () => {
  it('moves to the next key of the provider on 401', async () => {
    mock.setRequireKey('sk-good-2222');
    const wb = bench({ ROT_KEY_A: 'sk-bad-1111', ROT_KEY_B: 'sk-good-2222' });
    await addProvider(wb, { id: 'rot', baseUrl: mock.baseUrls.openai, keyEnv: ['ROT_KEY_A', 'ROT_KEY_B'] });
    const result = await wb.engine.compare(ask(['rot:rot-model']));
    const c = col(result);
    expect(c).toMatchObject({ status: 'ok', fellBack: false, servedBy: { provider: 'rot', model: 'rot-model' } });
    expect(c.attempts.map((a) => [a.keyIndex, a.httpStatus])).toEqual([[0, 401], [1, 200]]);
    expect(requestsFor(mock, 'rot-model').map((r) => r.keyLast4)).toEqual(['1111', '2222']);
    // The endpoint answered with the other key, so it is not misconfigured after all.
    expect(wb.ctx.store.routing.listMisconfigured()).toEqual([]);
    expectPersisted(wb, result);
  });

  it('moves to the next key on 429 without waiting', async () => {
    const wb = bench({ K1: 'sk-one-1111', K2: 'sk-two-2222' });
    await addProvider(wb, { id: 'rot', baseUrl: mock.baseUrls.openai, keyEnv: ['K1', 'K2'] });
    mock.script('throttled', { fault: 'rate_limit', failTimes: 1, retryAfterSec: 5 });
    const c = col(await wb.engine.compare(ask(['rot:throttled'])));
    expect(c.status).toBe('ok');
    expect(c.attempts.map((a) => [a.keyIndex, a.httpStatus])).toEqual([[0, 429], [1, 200]]);
    expect(gaps(c.attempts)[0]!).toBeLessThan(500);
    expect(requestsFor(mock, 'throttled').map((r) => r.keyLast4)).toEqual(['1111', '2222']);
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures so later runs skip the endpoint, unless it is the last one left', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'cb1', baseUrl: mock.baseUrls.openai, serves: { 'acme/cb': 'cb-bad' } });
    await addProvider(wb, { id: 'cb2', baseUrl: mock.baseUrls.openai, serves: { 'acme/cb': 'cb-good' } });
    mock.script('cb-bad', { fault: 'server_500' });
    const req = ask(['acme/cb'], { routing: order('cb1', 'cb2') });
    const key = breakerKey('cb1', 0, 'cb-bad');

    for (let i = 0; i < 3; i++) {
      const c = col(await wb.engine.compare(req));
      expect(c.attempts.map((a) => [a.provider, a.status])).toEqual([['cb1', 'error'], ['cb2', 'ok']]);
    }
    expect(wb.engine.breakers.state(key)).toBe('open');
    expect(requestsFor(mock, 'cb-bad')).toHaveLength(3);

    // Open: planned behind cb2 (the plan says so), so nothing is sent to it and cb2 is the first choice.
    const skippedRun = await wb.engine.compare(req);
    const skipped = col(skippedRun);
    expect(skipped).toMatchObject({ status: 'ok', fellBack: false, servedBy: { provider: 'cb2' } });
    expect(skipped.plan).toMatchObject({ primary: { provider: 'cb2', upstream: 'cb-good' }, fallbacks: [{ provider: 'cb1', upstream: 'cb-bad', circuitOpen: true }] });
    expect(skipped.attempts.map((a) => a.provider)).toEqual(['cb2']);
    expect(requestsFor(mock, 'cb-bad')).toHaveLength(3);
    expectPersisted(wb, skippedRun);

    // The last remaining endpoint is always tried: its call is the probe, and a success closes the circuit.
    mock.script('cb-bad', { tokens: 2 });
    const probe = col(await wb.engine.compare(ask(['cb1:cb-bad'])));
    expect(probe).toMatchObject({ status: 'ok', text: defaultText(2) });
    expect(requestsFor(mock, 'cb-bad')).toHaveLength(4);
    expect(wb.engine.breakers.state(key)).toBe('closed');
    const after = col(await wb.engine.compare(req));
    expect(after).toMatchObject({ status: 'ok', fellBack: false, servedBy: { provider: 'cb1' } });
  });
});

describe('timeouts', () => {
  it('a first token slower than timeouts.firstTokenMs fails over', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'ft1', baseUrl: mock.baseUrls.openai, serves: { 'acme/ft': 'slow-first' } });
    await addProvider(wb, { id: 'ft2', type: 'anthropic', baseUrl: mock.baseUrls.anthropic, serves: { 'acme/ft': 'fast-first' } });
    mock.script('slow-first', { tokens: 3, firstTokenDelayMs: 3_000 });
    mock.script('fast-first', { text: 'quick reply' });

    const result = await wb.engine.compare(ask(['acme/ft'], { routing: order('ft1', 'ft2'), timeouts: { firstTokenMs: 300 } }));
    const c = col(result);
    expect(c).toMatchObject({ status: 'ok', text: 'quick reply', fellBack: true, servedBy: { provider: 'ft2' } });
    const [slow] = c.attempts;
    expect(slow).toMatchObject({
      provider: 'ft1', status: 'error', errorKind: 'timeout_first_token', httpStatus: 200, ttftMs: null,
      error: expect.stringMatching(/^no first token from 127\.0\.0\.1:\d+ within 300 ms$/),
    });
    expect(slow!.totalMs!).toBeGreaterThanOrEqual(300);
    expect(slow!.totalMs!).toBeLessThan(1_000);
    expect((await mock.ended(only(requestsFor(mock, 'slow-first')))).endedBy).toBe('client');
    expectPersisted(wb, result);
  });

  it('a first-token timeout longer than the idle gap is honoured: waiting for the first token is not a stall', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'thinker', baseUrl: mock.baseUrls.openai });
    mock.script('deliberate', { tokens: 3, emptyFramesFirst: 1, firstTokenDelayMs: 600 });
    const c = col(await wb.engine.compare(ask(['thinker:deliberate'], { timeouts: { firstTokenMs: 2_000, idleMs: 200 } })));
    expect(c).toMatchObject({ status: 'ok', text: defaultText(3) });
    expect(only(c.attempts).ttftMs!).toBeGreaterThanOrEqual(595);
  });

  it('the idle gap still applies between chunks once text is flowing', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'staller', baseUrl: mock.baseUrls.openai });
    mock.script('stalls', { tokens: 6, fault: 'stall_mid_stream', faultAfterTokens: 2 });
    const c = col(await wb.engine.compare(ask(['staller:stalls'], { timeouts: { firstTokenMs: 5_000, idleMs: 200 } })));
    expect(c).toMatchObject({ status: 'incomplete', text: 'tok1 tok2' });
    expect(only(c.attempts)).toMatchObject({ errorKind: 'timeout_idle', error: expect.stringMatching(/stalled for 200 ms$/) });
    expect(only(c.attempts).totalMs!).toBeLessThan(1_500);
  });
});

describe('constraints', () => {
  it('a request no endpoint satisfies fails before anything is sent, naming each endpoint and rule', async () => {
    const wb = bench();
    await addProvider(wb, { id: 'z1', baseUrl: mock.baseUrls.openai, serves: { 'acme/private': 'zdr-1' } });
    await addProvider(wb, { id: 'z2', type: 'gemini', baseUrl: mock.baseUrls.gemini, serves: { 'acme/private': 'zdr-2' } });

    const result = await wb.engine.compare(ask(['acme/private'], { routing: { zdr: true, ignore: ['z1'] } }));
    const c = col(result);
    expect(c.status).toBe('error');
    expect(c.error).toBe('no endpoint of acme/private satisfies the request: z1:zdr-1 (ignore: z1 is ignored), z2:zdr-2 (zdr: zero data retention unknown)');
    expect(c.attempts).toEqual([]);
    expect(c.servedBy).toBeNull();
    expect(mock.requests).toEqual([]);
    expectPersisted(wb, result);

    // The same endpoints serve once the constraint allows one of them.
    const allowed = col(await wb.engine.compare(ask(['acme/private'], { routing: { only: ['z2'] } })));
    expect(allowed).toMatchObject({ status: 'ok', fellBack: false, servedBy: { provider: 'z2', model: 'zdr-2' } });
    expect(mock.requests.map((r) => r.model)).toEqual(['zdr-2']);
  });
});
