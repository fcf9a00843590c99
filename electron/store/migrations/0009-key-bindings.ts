import type { Migration } from './types';

/**
 * The hosts each key may be sent to: the origin (scheme, host, port) a key
 * reference was first used with, plus any the user added by entering the key
 * again. Keyed by the reference, not by provider, so removing a provider and
 * adding it back elsewhere does not forget them. `ref` is `env:NAME` or
 * `secret:ID`; never key material.
 *
 * Providers configured before this migration keep working: each of their keys
 * is bound to the host it was configured with.
 */
export const m0009: Migration = {
  name: '0009-key-bindings',
  up(db) {
    db.exec(`
      CREATE TABLE key_bindings (
        ref TEXT NOT NULL,
        origin TEXT NOT NULL,
        bound_at INTEGER NOT NULL,
        PRIMARY KEY (ref, origin)
      ) WITHOUT ROWID;
    `);
    const add = db.prepare('INSERT OR IGNORE INTO key_bindings (ref, origin, bound_at) VALUES (?, ?, ?)');
    const rows = db.prepare('SELECT base_url, keys_json, created_at FROM providers ORDER BY created_at, id').all() as Array<{ base_url: string; keys_json: string; created_at: number }>;
    for (const row of rows) {
      let origin: string;
      let keys: unknown;
      try {
        origin = new URL(row.base_url).origin;
        keys = JSON.parse(row.keys_json);
      } catch {
        // A row the app could not load either: its keys are bound on their first use, if it is ever fixed.
        continue;
      }
      if (!Array.isArray(keys)) continue;
      for (const k of keys as Array<{ kind?: unknown; name?: unknown; id?: unknown }>) {
        const ref = k.kind === 'env' && typeof k.name === 'string' ? `env:${k.name}` : k.kind === 'secret' && typeof k.id === 'string' ? `secret:${k.id}` : null;
        if (ref) add.run(ref, origin, row.created_at);
      }
    }
  },
};
