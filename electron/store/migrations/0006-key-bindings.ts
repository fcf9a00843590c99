import type { Migration } from './types';

/**
 * Which host each key may be sent to: the origin (scheme, host, port) a key
 * reference was first used with. Keyed by the reference, not by provider, so
 * removing a provider and adding it back elsewhere does not forget the
 * binding. `ref` is `env:NAME` or `secret:ID`; never key material.
 */
export const m0006: Migration = {
  name: '0006-key-bindings',
  up(db) {
    db.exec(`
      CREATE TABLE key_bindings (
        ref TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        bound_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
