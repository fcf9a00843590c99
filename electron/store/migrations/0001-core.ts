import type { Migration } from './types';

/** Providers, runs, columns, attempts, encrypted secrets, and full-text search over runs. */
export const m0001: Migration = {
  name: '0001-core',
  up(db) {
    db.exec(`
      CREATE TABLE providers (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        base_url TEXT NOT NULL,
        keys_json TEXT NOT NULL DEFAULT '[]',
        serves_json TEXT NOT NULL DEFAULT '[]',
        catalog_provider TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      -- Ciphertext only (OS keychain via safeStorage); never plaintext.
      CREATE TABLE secrets (
        id TEXT PRIMARY KEY,
        ciphertext BLOB NOT NULL,
        backend TEXT NOT NULL,
        last4 TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        status TEXT NOT NULL CHECK (status IN ('running','done','interrupted')),
        request_json TEXT NOT NULL,
        prompt_preview TEXT NOT NULL,
        pid INTEGER
      );
      CREATE INDEX runs_created ON runs(created_at DESC);
      CREATE TABLE columns (
        id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        target TEXT NOT NULL,
        status TEXT NOT NULL,
        served_provider TEXT,
        served_model TEXT,
        endpoint_id TEXT,
        fell_back INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL DEFAULT '',
        reasoning TEXT NOT NULL DEFAULT '',
        finish_reason TEXT,
        error TEXT,
        input_tokens INTEGER,
        output_tokens INTEGER,
        reasoning_tokens INTEGER,
        cached_tokens INTEGER,
        usage_estimated INTEGER NOT NULL DEFAULT 0,
        queued_at INTEGER,
        sent_at INTEGER,
        ttft_ms REAL,
        total_ms REAL,
        tps REAL,
        cost_usd REAL,
        provider_cost_usd REAL,
        cost_drift REAL,
        price_json TEXT,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX columns_run ON columns(run_id, idx);
      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        column_id TEXT NOT NULL REFERENCES columns(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        endpoint_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        key_index INTEGER,
        status TEXT NOT NULL,
        http_status INTEGER,
        error TEXT,
        error_kind TEXT,
        started_at INTEGER NOT NULL,
        ttft_ms REAL,
        total_ms REAL,
        retry_after_ms REAL,
        output_tokens INTEGER,
        tps REAL,
        finished_at INTEGER
      );
      CREATE INDEX attempts_column ON attempts(column_id, seq);
      CREATE INDEX attempts_endpoint ON attempts(endpoint_id, started_at DESC);
      CREATE VIRTUAL TABLE runs_fts USING fts5(run_id UNINDEXED, prompt, answers, targets, tokenize = 'unicode61');
    `);
  },
};
