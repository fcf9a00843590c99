import type { Migration } from './types';

/**
 * Conversations. A follow-up turn of a column is a row of `columns` of its own
 * (same run, same `idx`, the next `turn`), so each turn keeps its own attempts,
 * streamed text, usage, cost and ledger entry, and crash recovery treats it like
 * any column. `run_turns` holds the prompt of each follow-up (turn 0's is in the
 * run's request). Rows from before are turn 0 of a one-turn run.
 * Cache-write tokens (Anthropic) are kept apart from the other input tokens,
 * with a flag when their price fell back to 1.25 x the input price.
 */
export const m0012: Migration = {
  name: '0012-conversation-turns',
  up(db) {
    db.exec(`
      ALTER TABLE columns ADD COLUMN turn INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE columns ADD COLUMN cache_write_tokens INTEGER;
      ALTER TABLE columns ADD COLUMN cache_write_fallback INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX columns_run_turn ON columns(run_id, idx, turn);
      CREATE TABLE run_turns (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        turn INTEGER NOT NULL CHECK (turn > 0),
        prompt TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, turn)
      );
    `);
  },
};
