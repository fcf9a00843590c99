import type { Migration } from './types';

/**
 * Budgets and the spend ledger. One ledger row per column (primary key), written
 * in the same transaction that finishes the column, so a crash can neither lose
 * nor double-count spend.
 */
export const m0004: Migration = {
  name: '0004-spend',
  up(db) {
    db.exec(`
      CREATE TABLE budgets (
        id TEXT PRIMARY KEY,
        scope TEXT NOT NULL CHECK (scope IN ('all','provider','key')),
        scope_value TEXT NOT NULL DEFAULT '',
        period TEXT NOT NULL CHECK (period IN ('day','week','month')),
        usd REAL NOT NULL CHECK (usd >= 0),
        warn_pct REAL NOT NULL DEFAULT 80,
        hard INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX budgets_scope ON budgets(scope, scope_value, period);
      CREATE TABLE spend_ledger (
        column_id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        provider TEXT NOT NULL,
        key_ref TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL,
        model_id TEXT,
        input_tokens INTEGER,
        output_tokens INTEGER,
        cost_usd REAL NOT NULL,
        estimated INTEGER NOT NULL DEFAULT 0,
        ttft_ms REAL,
        total_ms REAL
      );
      CREATE INDEX spend_at ON spend_ledger(at);
      CREATE INDEX spend_provider ON spend_ledger(provider, at);
    `);
  },
};
