import type { Migration } from './types';

/** User price overrides and custom endpoints: kept apart from the catalog so every refresh keeps them. */
export const m0003: Migration = {
  name: '0003-catalog',
  up(db) {
    db.exec(`
      CREATE TABLE catalog_overrides (
        provider_id TEXT NOT NULL,
        upstream_model TEXT NOT NULL,
        model_id TEXT,
        price_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (provider_id, upstream_model)
      );
    `);
  },
};
