import type { Migration } from './types';

/**
 * The prompt library: saved prompts and system prompts, each a template that
 * may hold `{{ variables }}` (shared/template.ts). A name is unique within its
 * kind, so "review" can be both a prompt and a system prompt. `last_used_at`
 * is null until the prompt is first used (picked in the window, or
 * `compare --template`).
 */
export const m0014: Migration = {
  name: '0014-prompts',
  up(db) {
    db.exec(`
      CREATE TABLE prompts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('prompt', 'system')),
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_used_at INTEGER,
        UNIQUE (kind, name)
      );
    `);
  },
};
