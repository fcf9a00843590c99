/** The pure parts of error normalisation. */
import { describe, expect, it } from 'vitest';
import { abortOutcome, errorKindForStatus, extractProviderMessage, parseRetryAfter } from '../../../electron/engine/providers/sse';

describe('errorKindForStatus', () => {
  it.each([
    [429, 'rate_limit'],
    [500, 'server'],
    [502, 'server'],
    [503, 'server'],
    [529, 'server'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not_found'],
    [400, 'bad_request'],
    [422, 'bad_request'],
  ] as const)('%i is %s', (status, kind) => {
    expect(errorKindForStatus(status)).toBe(kind);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delay-seconds, including fractions', () => {
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1_500);
    expect(parseRetryAfter('0', now)).toBe(0);
  });
  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:42 GMT', now)).toBe(42_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});

describe('extractProviderMessage', () => {
  it('reads each provider error shape', () => {
    expect(extractProviderMessage('{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}')).toBe('Incorrect API key provided');
    expect(extractProviderMessage('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}')).toBe('Overloaded');
    expect(extractProviderMessage('{"error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED"}}')).toBe('Resource exhausted');
    expect(extractProviderMessage('[{"error":{"code":400,"message":"API key not valid","status":"INVALID_ARGUMENT"}}]')).toBe('API key not valid');
    expect(extractProviderMessage('{"detail":"Model not loaded"}')).toBe('Model not loaded');
    expect(extractProviderMessage('{"error":"plain string error"}')).toBe('plain string error');
  });
  it('falls back to an HTML title or the first line of text', () => {
    expect(extractProviderMessage('<html><head><title>502 Bad Gateway</title></head></html>')).toBe('502 Bad Gateway');
    expect(extractProviderMessage('upstream connect error\nmore detail')).toBe('upstream connect error');
    expect(extractProviderMessage('   ')).toBeNull();
    expect(extractProviderMessage('{"unrelated":true}')).toBeNull();
  });
});

describe('abortOutcome', () => {
  const abortedWith = (reason?: unknown): AbortSignal => {
    const ctl = new AbortController();
    ctl.abort(reason);
    return ctl.signal;
  };
  it('is cancelled for a plain abort', () => {
    expect(abortOutcome(abortedWith(), 200)).toMatchObject({ status: 'cancelled', error: { kind: 'cancelled', httpStatus: 200 } });
  });
  it('carries an engine reason with a known kind', () => {
    const out = abortOutcome(abortedWith({ kind: 'budget', message: 'hard budget reached' }), null);
    expect(out).toEqual({
      status: 'error',
      error: { kind: 'budget', message: 'hard budget reached', httpStatus: null, retryAfterMs: null, providerMessage: null },
    });
  });
  it('treats an unknown kind as a plain cancel', () => {
    expect(abortOutcome(abortedWith({ kind: 'whatever' }), null).status).toBe('cancelled');
  });
  it('maps AbortSignal.timeout to a total timeout', async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
    expect(abortOutcome(signal, null).error.kind).toBe('timeout_total');
  });
});
