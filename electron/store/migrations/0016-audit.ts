import type { Migration } from './types';

/**
 * The tamper-evident audit log (electron/audit). `audit_entries` is append-only:
 * each row is one entry's RFC 8785 canonical JSON and its RFC 9162 leaf hash,
 * and triggers refuse UPDATE and DELETE (they stop accidents, not someone who
 * edits the file: that is what the Merkle tree and the signed checkpoints are for).
 * `audit_checkpoints` holds signed notes of the tree head, with the compact
 * range (right-edge subtree hashes) at that size so the next head is computed
 * from the new leaves only. `audit_sent` holds, per send (keyed by the send
 * entry's seq), salted hashes of what the request's text contained (for
 * `audit search-sent`), never the text.
 * `audit_keys` lists the public keys that signed checkpoints here.
 */
export const m0016: Migration = {
  name: '0016-audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit_entries (
        seq INTEGER PRIMARY KEY,
        created_at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        entry TEXT NOT NULL,
        leaf_hash BLOB NOT NULL
      );
      CREATE INDEX audit_entries_kind ON audit_entries(kind, seq);
      CREATE INDEX audit_entries_created ON audit_entries(created_at);
      CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
      CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
      CREATE TABLE audit_checkpoints (
        id INTEGER PRIMARY KEY,
        tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
        root_hash BLOB NOT NULL,
        note TEXT NOT NULL,
        key_name TEXT NOT NULL,
        key_hash TEXT NOT NULL,
        frontier BLOB NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX audit_checkpoints_size ON audit_checkpoints(tree_size);
      CREATE TABLE audit_sent (
        seq INTEGER PRIMARY KEY,
        salt BLOB NOT NULL,
        hashes BLOB NOT NULL
      );
      CREATE TABLE audit_keys (
        key_hash TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        public_key BLOB NOT NULL,
        backend TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `);
  },
};
