/**
 * The adapters scrub at the source: an upstream that echoes the request's key
 * (error body, status line, in-band event) yields an AdapterError without it,
 * even for a key no resolver registered (the request's own credential headers
 * are the net here), in every protocol.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAdapter, ProviderRequestError } from '../../../electron/engine/providers';
import { credentialsOf } from '../../../electron/engine/providers/sse';
import { startMockProviders, type MockProviders } from '../../mocks/provider-server';
import { PROTOCOLS, recorder, request } from './harness';

// No recognisable shape: only the request's own credential can tell the scrubber what to remove.
const KEY = 'Unshaped+Direct/Adapter=Key7781';
const MARKER = '[redacted key …7781]';
const variants = [KEY, encodeURIComponent(KEY), Buffer.from(KEY).toString('base64')];

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders({
    reflectKey: true,
    scripts: { 'reflect-http': { fault: 'reflect_key' }, 'reflect-status': { fault: 'reflect_key_status' }, 'reflect-event': { fault: 'reflect_key_event' } },
  });
});
afterAll(() => mock.close());

describe.each(PROTOCOLS)('%s adapter, key echoed back', (type) => {
  it.each(['reflect-http', 'reflect-status', 'reflect-event'])('%s: the outcome carries the marker, not the key', async (model) => {
    const outcome = await getAdapter(type).stream(request(mock, type, model, { apiKey: KEY, providerId: 'p' }), recorder());
    expect(outcome.status).toBe('error');
    const text = JSON.stringify(outcome);
    expect(outcome.error!.message).toContain(MARKER);
    for (const v of variants) expect(text).not.toContain(v);
  });

  it('listModels rejects a refused key without repeating it', async () => {
    mock.setRequireKey('another-key-entirely');
    try {
      const err = await getAdapter(type).listModels({ baseUrl: mock.baseUrls[type], apiKey: KEY, providerId: 'p', signal: AbortSignal.timeout(5_000) }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderRequestError);
      const e = err as ProviderRequestError;
      expect(e.message).toMatch(new RegExp(`^${type === 'gemini' ? 400 : 401} from p: `));
      expect(e.message).toContain(MARKER);
      for (const v of variants) expect(JSON.stringify({ m: e.message, info: e.info })).not.toContain(v);
    } finally {
      mock.setRequireKey(null);
    }
  });
});

describe('credentialsOf', () => {
  it('takes the key out of each protocol credential header, without its auth scheme', () => {
    expect(credentialsOf({ authorization: 'Bearer abc123', 'x-api-key': 'k2', 'X-Goog-Api-Key': 'k3', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' })).toEqual(['abc123', 'k2', 'k3']);
    expect(credentialsOf({})).toEqual([]);
  });
});
