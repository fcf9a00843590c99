/** The audit log's tables (migrations/0016-audit.ts). Entries are only ever inserted. */
import type { DB } from './db';

export interface AuditRow {
  seq: number;
  created_at: number;
  kind: string;
  entry: string;
  leaf_hash: Buffer;
}

export interface CheckpointRow {
  id: number;
  tree_size: number;
  root_hash: Buffer;
  note: string;
  key_name: string;
  key_hash: string;
  frontier: Buffer;
  created_at: number;
}

export interface AuditKeyRow {
  key_hash: string;
  name: string;
  public_key: Buffer;
  backend: string;
  created_at: number;
}

export function createAuditRepo(db: DB) {
  const s = {
    last: db.prepare('SELECT seq, leaf_hash FROM audit_entries ORDER BY seq DESC LIMIT 1'),
    insert: db.prepare('INSERT INTO audit_entries (seq, created_at, kind, entry, leaf_hash) VALUES (?, ?, ?, ?, ?)'),
    insertSent: db.prepare('INSERT INTO audit_sent (seq, salt, hashes) VALUES (?, ?, ?)'),
    count: db.prepare('SELECT COUNT(*) FROM audit_entries').pluck(),
    all: db.prepare('SELECT seq, created_at, kind, entry, leaf_hash FROM audit_entries ORDER BY seq'),
    leavesFrom: db.prepare('SELECT seq, leaf_hash FROM audit_entries WHERE seq > ? ORDER BY seq'),
    since: db.prepare('SELECT seq, created_at, kind, entry, leaf_hash FROM audit_entries WHERE created_at >= ? ORDER BY seq'),
    recent: db.prepare('SELECT seq, created_at, kind, entry, leaf_hash FROM audit_entries ORDER BY seq DESC LIMIT ?'),
    recentOfKind: db.prepare('SELECT seq, created_at, kind, entry, leaf_hash FROM audit_entries WHERE kind = ? ORDER BY seq DESC LIMIT ?'),
    sentAll: db.prepare('SELECT seq, salt, hashes FROM audit_sent ORDER BY seq'),
    latestCheckpoint: db.prepare('SELECT * FROM audit_checkpoints ORDER BY tree_size DESC, id DESC LIMIT 1'),
    checkpoints: db.prepare('SELECT * FROM audit_checkpoints ORDER BY tree_size, id'),
    insertCheckpoint: db.prepare(`INSERT INTO audit_checkpoints (tree_size, root_hash, note, key_name, key_hash, frontier, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    putKey: db.prepare('INSERT OR IGNORE INTO audit_keys (key_hash, name, public_key, backend, created_at) VALUES (?, ?, ?, ?, ?)'),
    keys: db.prepare('SELECT * FROM audit_keys ORDER BY created_at'),
  };
  /**
   * One entry: the previous leaf hash is read and the row written in one write
   * transaction, so two processes appending at once get consecutive seqs and a
   * correct chain. `build` gets the seq and the previous leaf hash and returns
   * the entry's bytes and leaf hash.
   */
  const append = db.transaction((now: number, kind: string, build: (seq: number, prev: Buffer | null) => { text: string; leaf: Buffer }, sent?: { seq: number; salt: Buffer; hashes: Buffer }) => {
    const last = s.last.get() as { seq: number; leaf_hash: Buffer } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const { text, leaf } = build(seq, last?.leaf_hash ?? null);
    s.insert.run(seq, now, kind, text, leaf);
    if (sent) s.insertSent.run(sent.seq, sent.salt, sent.hashes);
    return seq;
  });
  return {
    /** `sent`: the search-sent row of the send entry `sent.seq`, written with this (its sent-index) entry. */
    append(now: number, kind: string, build: (seq: number, prev: Buffer | null) => { text: string; leaf: Buffer }, sent?: { seq: number; salt: Buffer; hashes: Buffer }): number {
      // Immediate: the read of the last entry and the insert must not interleave with another writer's.
      return db.inTransaction ? append(now, kind, build, sent) : append.immediate(now, kind, build, sent);
    },
    count(): number {
      return s.count.get() as number;
    },
    all(): AuditRow[] {
      return s.all.all() as AuditRow[];
    },
    leavesAfter(seq: number): Array<{ seq: number; leaf_hash: Buffer }> {
      return s.leavesFrom.all(seq) as Array<{ seq: number; leaf_hash: Buffer }>;
    },
    since(ms: number): AuditRow[] {
      return s.since.all(ms) as AuditRow[];
    },
    recent(limit: number, kind?: string): AuditRow[] {
      return (kind ? s.recentOfKind.all(kind, limit) : s.recent.all(limit)) as AuditRow[];
    },
    sent(): Array<{ seq: number; salt: Buffer; hashes: Buffer }> {
      return s.sentAll.all() as Array<{ seq: number; salt: Buffer; hashes: Buffer }>;
    },
    latestCheckpoint(): CheckpointRow | null {
      return (s.latestCheckpoint.get() as CheckpointRow | undefined) ?? null;
    },
    checkpoints(): CheckpointRow[] {
      return s.checkpoints.all() as CheckpointRow[];
    },
    addCheckpoint(c: Omit<CheckpointRow, 'id'>): void {
      s.insertCheckpoint.run(c.tree_size, c.root_hash, c.note, c.key_name, c.key_hash, c.frontier, c.created_at);
    },
    putKey(k: AuditKeyRow): boolean {
      return s.putKey.run(k.key_hash, k.name, k.public_key, k.backend, k.created_at).changes > 0;
    },
    keys(): AuditKeyRow[] {
      return s.keys.all() as AuditKeyRow[];
    },
  };
}
export type AuditRepo = ReturnType<typeof createAuditRepo>;
