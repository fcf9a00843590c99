import type { Migration } from './types';

/**
 * The full-text index of a run's answers, and its filter facets (0013), are written after the run, batched, off
 * the request's path (indexing 16 answers costs about a millisecond). A run whose
 * answers are not indexed yet is marked, in the same statement that finishes it,
 * so a crash before the index is written leaves the mark for the next start.
 * Rows from before are indexed already.
 */
export const m0017: Migration = {
  name: '0017-index-after-run',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN index_pending INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX runs_index_pending ON runs(seq) WHERE index_pending = 1;
    `);
  },
};
