import type { Migration } from './types';

/** Order keys per millisecond of created_at: runs created in the same millisecond keep their insertion order. */
export const SEQ_PER_MS = 1024;

/**
 * History at a researcher's scale (100,000 runs, a million answers).
 *
 * `runs.seq` is one integer that orders runs newest-first the way the list
 * always did (created_at, then insertion order): created_at * 1024 plus the
 * run's place within its millisecond. The full-text index is rebuilt with
 * rowid = seq, so a search walks the index backwards by rowid and stops after
 * a page, instead of joining every match to runs and sorting them by date (a
 * word in most of 100,000 runs took 1.6 s that way). Both the list and the
 * search page by seq (keyset), never by OFFSET.
 *
 * Every word typed is a prefix term, and FTS5 answers a prefix by merging the
 * lists of every word that starts with it before it can return one row: "t"
 * or "tra" (each step of typing a word) read most of the index. Prefix
 * indexes of 1 to 3 characters answer those as one list, walked like a word;
 * longer prefixes match few enough words. They roughly double the index.
 *
 * Also: the start-up recovery looks for runs left `running`; a partial index
 * makes that a lookup instead of a scan of every run.
 */
export const m0010: Migration = {
  name: '0010-history-keyset',
  up(db) {
    db.exec('ALTER TABLE runs ADD COLUMN seq INTEGER');
    // Assigned in JS, not with a window function: a millisecond holding more than 1024 runs must push on
    // into the next slot rather than collide with it (unique index below).
    const rows = db.prepare('SELECT rowid AS rid, created_at FROM runs ORDER BY created_at, rowid').all() as Array<{ rid: number; created_at: number }>;
    const setSeq = db.prepare('UPDATE runs SET seq = ? WHERE rowid = ?');
    let prev = -Infinity;
    for (const r of rows) {
      prev = Math.max(r.created_at * SEQ_PER_MS, prev + 1);
      setSeq.run(prev, r.rid);
    }
    db.exec(`
      CREATE UNIQUE INDEX runs_seq ON runs(seq);
      CREATE INDEX runs_running ON runs(status) WHERE status = 'running';
      CREATE VIRTUAL TABLE runs_fts_keyed USING fts5(run_id UNINDEXED, prompt, answers, targets, tokenize = 'unicode61', prefix = '1 2 3');
      INSERT INTO runs_fts_keyed (rowid, run_id, prompt, answers, targets)
        SELECT r.seq, f.run_id, f.prompt, f.answers, f.targets FROM runs_fts f JOIN runs r ON r.id = f.run_id ORDER BY r.seq;
      DROP TABLE runs_fts;
      ALTER TABLE runs_fts_keyed RENAME TO runs_fts;
    `);
  },
};
