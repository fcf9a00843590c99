import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../electron/store';
import { KEYLESS, KeyRotation } from '../../../electron/engine/router/keys';
import { addAttempt, seedColumn } from './helpers';

describe('KeyRotation', () => {
  it('starts requests round-robin per provider', () => {
    const r = new KeyRotation();
    expect([r.start('openai', 3), r.start('openai', 3), r.start('openai', 3), r.start('openai', 3)]).toEqual([0, 1, 2, 0]);
    expect(r.start('groq', 2)).toBe(0);
    expect(r.start('openai', 3)).toBe(1);
  });

  it('follows a change in the number of keys', () => {
    const r = new KeyRotation();
    r.start('openai', 3);
    r.start('openai', 3);
    expect(r.start('openai', 2)).toBe(0); // cursor 2 wraps on two keys
  });

  it('reports keyless providers as KEYLESS', () => {
    const r = new KeyRotation();
    expect(r.start('ollama', 0)).toBe(KEYLESS);
    expect(r.nextKey(KEYLESS, new Set(), 0)).toBeNull();
  });

  it('nextKey moves to the next untried key, wrapping, and gives up when all were tried', () => {
    const r = new KeyRotation();
    expect(r.nextKey(0, new Set([0]), 3)).toBe(1);
    expect(r.nextKey(2, new Set([2]), 3)).toBe(0);
    expect(r.nextKey(1, new Set([1, 2]), 3)).toBe(0);
    expect(r.nextKey(1, new Set([0, 1, 2]), 3)).toBeNull();
    expect(r.nextKey(0, new Set([0]), 1)).toBeNull();
  });

  it('nextKey does not move the starting cursor', () => {
    const r = new KeyRotation();
    r.start('openai', 3);
    r.nextKey(0, new Set([0]), 3);
    expect(r.start('openai', 3)).toBe(1);
  });

  describe('continuing from the attempts table in a fresh process', () => {
    let store: Store;
    beforeEach(() => {
      store = openStore(':memory:');
    });
    afterEach(() => store.close());

    it('starts after the key the provider last used', () => {
      const col = seedColumn(store);
      addAttempt(store, col, { endpointId: 'openai:gpt-4o-mini', status: 'ok', startedAt: 1, keyIndex: 0 });
      addAttempt(store, col, { endpointId: 'openai:gpt-4o', status: 'error', startedAt: 2, keyIndex: 1 });
      addAttempt(store, col, { endpointId: 'groq:llama', status: 'ok', startedAt: 3, keyIndex: 0 });
      expect(store.routing.lastKeyIndex('openai')).toBe(1);
      expect(store.routing.lastKeyIndex('mistral')).toBeNull();
      const r = new KeyRotation({ lastUsed: (p) => store.routing.lastKeyIndex(p) });
      expect(r.start('openai', 3)).toBe(2);
      expect(r.start('openai', 3)).toBe(0);
      expect(r.start('groq', 2)).toBe(1);
      expect(r.start('mistral', 2)).toBe(0);
    });
  });
});
