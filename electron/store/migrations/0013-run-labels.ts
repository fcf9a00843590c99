import type { Migration } from './types';

/**
 * Tags, notes and where a run came from, and what History filters on, kept so
 * that a filter at a million answers walks one index backwards by `seq` and
 * stops after a page, like the plain list.
 *
 * - `runs.source`: window, cli, rerun, fork… (NULL: from before this, shown as
 *   "unknown"; a run with `forkedFrom` in its request was a fork whatever made it).
 * - `runs.note`: free text, one per run.
 * - `run_tags`: the tag as typed, its case-folded key (unique per run) and the
 *   run's `seq`, so a tag's runs come newest first from one index.
 * - `run_facets`: one row per (kind, value, run) for the filters that depend on
 *   the columns: `model` (each column's target and served model, lower case),
 *   `provider` (each serving provider) and `status` (the run summary's kinds:
 *   `ok` when every column answered, else each failure kind present). Rebuilt
 *   by the runs repository whenever a run finishes; filled here for old runs.
 */
export const m0013: Migration = {
  name: '0013-run-labels',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN source TEXT;
      ALTER TABLE runs ADD COLUMN note TEXT;
      UPDATE runs SET source = 'fork' WHERE json_extract(request_json, '$.forkedFrom') IS NOT NULL;
      CREATE INDEX runs_source ON runs(source, seq);
      CREATE TABLE run_tags (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        tag_key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (run_id, tag_key)
      ) WITHOUT ROWID;
      CREATE INDEX run_tags_tag ON run_tags(tag_key, seq);
      CREATE TABLE run_facets (
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        seq INTEGER NOT NULL REFERENCES runs(seq) ON DELETE CASCADE,
        PRIMARY KEY (kind, value, seq)
      ) WITHOUT ROWID;
      CREATE INDEX run_facets_seq ON run_facets(seq);

      INSERT OR IGNORE INTO run_facets (kind, value, seq)
        SELECT 'model', lower(c.target), r.seq FROM columns c JOIN runs r ON r.id = c.run_id;
      INSERT OR IGNORE INTO run_facets (kind, value, seq)
        SELECT 'model', lower(c.served_model), r.seq FROM columns c JOIN runs r ON r.id = c.run_id WHERE c.served_model IS NOT NULL;
      INSERT OR IGNORE INTO run_facets (kind, value, seq)
        SELECT 'provider', lower(c.served_provider), r.seq FROM columns c JOIN runs r ON r.id = c.run_id WHERE c.served_provider IS NOT NULL;
      CREATE TEMP TABLE latest_status AS
        SELECT r.seq AS seq, c.status AS status FROM columns c JOIN runs r ON r.id = c.run_id
        WHERE c.turn = (SELECT MAX(x.turn) FROM columns x WHERE x.run_id = c.run_id AND x.idx = c.idx);
      INSERT OR IGNORE INTO run_facets (kind, value, seq)
        SELECT 'status', CASE status WHEN 'error' THEN 'failed' WHEN 'cancelled' THEN 'stopped' ELSE status END, seq
        FROM latest_status WHERE status IN ('error', 'incomplete', 'cancelled', 'interrupted');
      INSERT OR IGNORE INTO run_facets (kind, value, seq)
        SELECT 'status', 'ok', seq FROM latest_status GROUP BY seq HAVING SUM(status <> 'ok') = 0;
      DROP TABLE latest_status;
    `);
  },
};
