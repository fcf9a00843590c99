import { describe, expect, it } from 'vitest';
import { draftToRequest, emptyDraft, requestToDraft } from '../../renderer/store/draft';

describe('draft <-> request', () => {
  it('converts typed parameters and omits blank ones', () => {
    const r = draftToRequest({ ...emptyDraft, prompt: 'p', targets: ['a:b'], temperature: '0.7', seed: '42', topP: ' ' });
    expect(r).toEqual({ ok: true, request: { messages: [{ role: 'user', content: 'p' }], params: { temperature: 0.7, seed: 42 }, targets: ['a:b'] } });
  });

  it('explains each invalid parameter', () => {
    const base = { ...emptyDraft, prompt: 'p', targets: ['a:b'] };
    expect(draftToRequest({ ...base, maxTokens: '1.5' })).toEqual({ ok: false, error: 'max tokens must be a whole number from 1 to 10000000' });
    expect(draftToRequest({ ...base, topP: '2' })).toEqual({ ok: false, error: 'top_p must be a number from 0 to 1' });
    expect(draftToRequest({ ...base, seed: 'abc' })).toEqual({ ok: false, error: 'seed must be a whole number from -2147483648 to 2147483647' });
    // Decimal only, within what the protocols take: Number() alone reads these as 16, 1000 and a 32-bit overflow.
    expect(draftToRequest({ ...base, maxTokens: '0x10' })).toMatchObject({ ok: false, error: /^max tokens must be/ });
    expect(draftToRequest({ ...base, maxTokens: '1e3' })).toMatchObject({ ok: false, error: /^max tokens must be/ });
    expect(draftToRequest({ ...base, seed: '2147483648' })).toMatchObject({ ok: false, error: /^seed must be/ });
    expect(draftToRequest({ ...base, seed: '-2147483648' })).toMatchObject({ ok: true });
    expect(draftToRequest({ ...base, targets: [] })).toEqual({ ok: false, error: 'pick at least one model' });
  });

  it('a first-token timeout becomes timeouts.firstTokenMs, within the CLI flag\'s bounds', () => {
    const base = { ...emptyDraft, prompt: 'p', targets: ['a:b'] };
    expect(draftToRequest({ ...base, firstTokenTimeout: '1500' })).toMatchObject({ ok: true, request: { timeouts: { firstTokenMs: 1500 } } });
    expect(draftToRequest({ ...base, firstTokenTimeout: ' ' })).toEqual({ ok: true, request: { messages: [{ role: 'user', content: 'p' }], params: {}, targets: ['a:b'] } });
    for (const bad of ['0', '1.5', '3600001', 'soon']) {
      expect(draftToRequest({ ...base, firstTokenTimeout: bad })).toEqual({ ok: false, error: 'first-token timeout must be a whole number of ms from 1 to 3600000' });
    }
    expect(requestToDraft({ messages: [{ role: 'user', content: 'q' }], targets: ['x:y'], timeouts: { firstTokenMs: 2500 } }).firstTokenTimeout).toBe('2500');
  });

  it('round-trips a stored request (rerun)', () => {
    const d = requestToDraft({ system: 's', messages: [{ role: 'user', content: 'q' }], params: { maxTokens: 10 }, targets: ['x:y', 'z/w'] });
    expect(d).toEqual({ ...emptyDraft, system: 's', prompt: 'q', maxTokens: '10', targets: ['x:y', 'z/w'] });
  });
});
