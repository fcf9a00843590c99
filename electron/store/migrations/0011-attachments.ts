import type { Migration } from './types';

/**
 * Attachments, stored once by content hash (sha256 of the bytes) however many
 * messages, columns and runs use them. A rowid table on purpose: WITHOUT ROWID
 * keeps whole rows in the key's b-tree, which is wrong for megabyte blobs.
 * width/height/pages are read once at upload for the token estimate.
 * run_attachments says which runs sent which files (runs reference them by hash
 * in their request too); it goes with its run.
 */
export const m0011: Migration = {
  name: '0011-attachments',
  up(db) {
    db.exec(`
      CREATE TABLE attachments (
        hash TEXT PRIMARY KEY,
        mime TEXT NOT NULL,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        width INTEGER,
        height INTEGER,
        pages INTEGER,
        bytes BLOB NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE run_attachments (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        hash TEXT NOT NULL REFERENCES attachments(hash),
        PRIMARY KEY (run_id, hash)
      ) WITHOUT ROWID;
      CREATE INDEX run_attachments_hash ON run_attachments(hash);
    `);
  },
};
