import { describe, expect, it } from 'vitest';
import { MAX_SCRUBBED, keyMarker, registerSecret, scrub, scrubError, scrubText, secretVariants } from '../../electron/engine/scrub';
import { BASE_URL_CREDENTIALS_ERROR, hasUrlCredentials } from '../../shared/base-url';

// Deliberately unlike any real key shape: only the exact-value net can catch it.
const KEY = 'Zq9vW2lmN8pT4xKc';

describe('scrubText: exact values of keys in use', () => {
  it('replaces the key with a marker keeping only its last four', () => {
    expect(scrubText(`401 from proxy: Incorrect API key provided: ${KEY}.`, [KEY])).toBe('401 from proxy: Incorrect API key provided: [redacted key …4xKc].');
    expect(keyMarker(KEY)).toBe('[redacted key …4xKc]');
    expect(keyMarker('shortkey1')).toBe('[redacted key]');
  });

  it('replaces every occurrence and every spelling: URL-encoded, base64, base64url, JSON-escaped', () => {
    const key = 'ab+/cd=ef"gh&ij?kl';
    const text = [key, encodeURIComponent(key), Buffer.from(key).toString('base64'), Buffer.from(key).toString('base64url'), JSON.stringify(key).slice(1, -1), key].join(' | ');
    const out = scrubText(text, [key]);
    for (const v of secretVariants(key)) expect(out).not.toContain(v);
    expect(out).toBe(Array(6).fill('[redacted key …j?kl]').join(' | '));
  });

  it('redacts the start of a key cut off by an earlier cap', () => {
    expect(scrubText(`error: bad key ${KEY.slice(0, 9)}…`, [KEY])).toBe('error: bad key [redacted key …4xKc]…');
    expect(scrubText(`error: bad key ${KEY.slice(0, 7)}`, [KEY])).toBe('error: bad key [redacted key …4xKc]');
    // Five characters say nothing a reader could use.
    expect(scrubText(`ends in ${KEY.slice(0, 5)}`, [KEY])).toBe(`ends in ${KEY.slice(0, 5)}`);
  });

  it('replaces a key that contains another key whole', () => {
    const inner = 'inner-key-123';
    const outer = `${inner}-and-more-456`;
    expect(scrubText(`got ${outer}`, [inner, outer])).toBe(`got ${keyMarker(outer)}`);
  });

  it('ignores values too short to be keys instead of redacting ordinary words', () => {
    expect(scrubText('the model is overloaded', ['model', 'the'])).toBe('the model is overloaded');
  });
});

describe('scrubText: recognisable shapes', () => {
  it.each([
    ['OpenAI', 'sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHwxyz'],
    ['OpenAI project', 'sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56wxyz'],
    ['Anthropic', 'sk-ant-api03-Ab12Cd34Ef56Gh78Ij90Kl12Mn34_-wxyz'],
    ['OpenRouter', 'sk-or-v1-0123456789abcdef0123456789abcdef0123wxyz'],
    ['Google', 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5wxyz'],
    ['Groq', 'gsk_Ab12Cd34Ef56Gh78Ij90Kl12Mn34wxyz'],
    ['xAI', 'xai-Ab12Cd34Ef56Gh78Ij90Kl12Mn34wxyz'],
    ['Hugging Face', 'hf_Ab12Cd34Ef56Gh78Ij90Kl12Mn34wxyz'],
  ])('%s keys become a marker with the last four', (_name, key) => {
    expect(scrubText(`Incorrect API key provided: ${key}. See docs.`, [])).toBe('Incorrect API key provided: [redacted key …wxyz]. See docs.');
  });

  it('leaves short look-alikes and prose alone', () => {
    const prose = 'sk-short, task-force, AIza, the Bearer token is missing, Basic authentication failed, key=';
    expect(scrubText(prose)).toBe(prose);
  });

  it('redacts credentials by position: echoed auth headers, key headers, key query parameters, URL userinfo', () => {
    expect(scrubText('received Authorization: Bearer abc.DEF-123_456~789')).toBe('received Authorization: Bearer [redacted]');
    expect(scrubText('proxy saw authorization: Basic dXNlcjpwYXNzd29yZDEyMw==')).toBe('proxy saw authorization: Basic [redacted]');
    expect(scrubText('headers: {"x-api-key": "plainvalue42", "x-goog-api-key":"Qw3rtyQw3rty"}')).toBe('headers: {"x-api-key": "[redacted]", "x-goog-api-key":"[redacted]"}');
    expect(scrubText('GET /v1beta/models?key=Zq9vW2lm&alt=sse failed')).toBe('GET /v1beta/models?key=[redacted]&alt=sse failed');
    expect(scrubText('cannot reach http://admin:hunter2@10.0.0.5:8000/v1 (ECONNREFUSED)')).toBe('cannot reach http://[redacted]@10.0.0.5:8000/v1 (ECONNREFUSED)');
    expect(scrubText('see https://user@example.com/x')).toBe('see https://[redacted]@example.com/x');
  });

  it('redacts JWTs', () => {
    expect(scrubText('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpM rejected')).toBe('token [redacted key …fwpM] rejected');
  });
});

describe('scrubText: length and idempotence', () => {
  it('caps the length after redacting, so a cap never splits a key into view', () => {
    const long = `${'x'.repeat(MAX_SCRUBBED - 10)} ${KEY} tail`;
    const out = scrubText(long, [KEY]);
    expect(out).toHaveLength(MAX_SCRUBBED);
    expect(out.endsWith('…')).toBe(true);
    expect(out).not.toContain(KEY.slice(0, 6));
    expect(scrubText('abcdef', [], 4)).toBe('abc…');
  });

  it('changes nothing the second time', () => {
    const once = scrubText(`key ${KEY}, Bearer sk-abcdefghijklmnopqrstuvwx, http://u:p@h/v1, ?key=abc`, [KEY]);
    expect(scrubText(once, [KEY])).toBe(once);
    expect(once).toBe('key [redacted key …4xKc], Bearer [redacted key …uvwx], http://[redacted]@h/v1, ?key=[redacted]');
  });
});

describe('the registry of keys in use', () => {
  it('scrub() removes every registered key, and scrubError both texts of an AdapterError', () => {
    const registered = 'Registered-Key-Value-7781';
    const extra = 'Extra-Key-Value-1234';
    expect(scrub(`echo ${registered}`)).toBe(`echo ${registered}`);
    registerSecret(registered);
    registerSecret('short');
    registerSecret(null);
    expect(scrub(`echo ${registered} and ${extra}`, [extra])).toBe('echo [redacted key …7781] and [redacted key …1234]');
    const e = scrubError({ kind: 'auth', message: `401 from x: bad ${registered}`, httpStatus: 401, retryAfterMs: null, providerMessage: `bad ${registered}` });
    expect(e).toEqual({ kind: 'auth', message: '401 from x: bad [redacted key …7781]', httpStatus: 401, retryAfterMs: null, providerMessage: 'bad [redacted key …7781]' });
    expect(scrubError({ message: 'm', providerMessage: null })).toEqual({ message: 'm', providerMessage: null });
  });
});

describe('base URLs with credentials', () => {
  it.each([
    ['http://user:pw@host/v1', true],
    ['http://user@host', true],
    ['https://:secret@api.example.com', true],
    ['  HTTPS://u:p@h ', true],
    ['http://host/v1', false],
    ['http://host/v1?email=a@b.c', false],
    ['http://host/path@x', false],
    ['http://127.0.0.1:8080/v1', false],
  ])('%s → %s', (url, expected) => {
    expect(hasUrlCredentials(url)).toBe(expected);
  });

  it('gives a reason that cannot contain the password', () => {
    expect(BASE_URL_CREDENTIALS_ERROR).not.toMatch(/:\/\//);
  });
});

describe('the defensive pass at the sinks', () => {
  it('oneLine and the CLI error line scrub registered keys and credential shapes, without capping a long CLI line', async () => {
    const { oneLine, UserError } = await import('../../electron/engine/errors');
    const { CliExit, describeError } = await import('../../electron/cli/errors');
    const key = 'Sink-Registered-Key-0042';
    registerSecret(key);
    expect(oneLine(new Error(`boom ${key}\nsecond line`))).toBe('boom [redacted key …0042]');
    expect(describeError(new CliExit(`p: 401 from p: bad ${key}`, 2))).toEqual({ message: 'p: 401 from p: bad [redacted key …0042]', code: 2 });
    expect(describeError(new UserError(`cannot reach http://u:pw1234@h/v1 ${'x'.repeat(600)}`)).message).toBe(`cannot reach http://[redacted]@h/v1 ${'x'.repeat(600)}`);
    expect(describeError(new TypeError(`fetch failed: Bearer ${key}`)).message).toBe('unexpected error: fetch failed: Bearer [redacted key …0042]');
  });
});
