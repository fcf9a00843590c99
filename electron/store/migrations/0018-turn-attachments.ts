import type { Migration } from './types';

/**
 * A follow-up turn's own attachments: the references (hash, type, name, size)
 * its prompt carried, as JSON, so every later turn of the column sends them
 * again with that prompt (turn 0's are in the run's request). NULL: none.
 * The bytes stay in `attachments`, linked to the run by `run_attachments`.
 */
export const m0018: Migration = {
  name: '0018-turn-attachments',
  up(db) {
    db.exec('ALTER TABLE run_turns ADD COLUMN attachments_json TEXT');
  },
};
