import type { Migration } from './types';

/**
 * The models each provider said it serves, the last time it was tested: the
 * model picker offers them offline, without a network call per keystroke.
 * Gone with the provider (cascade); replaced whole on every successful test.
 */
export const m0005: Migration = {
  name: '0005-provider-models',
  up(db) {
    db.exec(`
      CREATE TABLE provider_models (
        provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        listed_at INTEGER NOT NULL,
        PRIMARY KEY (provider_id, model)
      ) WITHOUT ROWID;
    `);
  },
};
