import type { Migration } from './types';

/** Circuit-breaker state per (provider, key, upstream model), model sets and app settings. */
export const m0002: Migration = {
  name: '0002-routing',
  up(db) {
    db.exec(`
      CREATE TABLE breakers (
        breaker_key TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('closed','open','half-open')),
        failures INTEGER NOT NULL DEFAULT 0,
        opened_at INTEGER,
        updated_at INTEGER NOT NULL,
        last_error TEXT
      );
      CREATE TABLE misconfigured (
        endpoint_id TEXT PRIMARY KEY,
        message TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE TABLE model_sets (
        name TEXT PRIMARY KEY,
        targets_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);
  },
};
