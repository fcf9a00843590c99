/** Attachment bytes by content hash, and which runs sent them (see migrations/0011-attachments.ts). */
import type { AttachmentFacts, AttachmentMime, AttachmentRef } from '../../shared/attachments';
import type { DB } from './db';

export interface StoredAttachment extends AttachmentRef, AttachmentFacts {}

interface Row {
  hash: string;
  mime: AttachmentMime;
  name: string;
  size: number;
  width: number | null;
  height: number | null;
  pages: number | null;
}

export function createAttachmentsRepo(db: DB) {
  const s = {
    put: db.prepare(`INSERT OR IGNORE INTO attachments (hash, mime, name, size, width, height, pages, bytes, created_at)
      VALUES (@hash, @mime, @name, @size, @width, @height, @pages, @bytes, @now)`),
    meta: db.prepare('SELECT hash, mime, name, size, width, height, pages FROM attachments WHERE hash = ?'),
    bytes: db.prepare('SELECT bytes FROM attachments WHERE hash = ?').pluck(),
    count: db.prepare('SELECT COUNT(*) FROM attachments').pluck(),
    link: db.prepare('INSERT OR IGNORE INTO run_attachments (run_id, hash) VALUES (?, ?)'),
    ofRun: db.prepare('SELECT hash FROM run_attachments WHERE run_id = ? ORDER BY hash').pluck(),
    touch: db.prepare('UPDATE attachments SET created_at = ? WHERE hash = ? AND created_at < ?'),
    orphans: db.prepare('SELECT hash FROM attachments a WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM run_attachments r WHERE r.hash = a.hash)').pluck(),
    remove: db.prepare('DELETE FROM attachments WHERE hash = ? AND created_at < ? AND NOT EXISTS (SELECT 1 FROM run_attachments WHERE hash = ?)'),
  };
  const removeAll = db.transaction((hashes: readonly string[], storedBefore: number) => {
    let n = 0;
    for (const h of hashes) n += s.remove.run(h, storedBefore, h).changes;
    return n;
  });
  const linkAll = db.transaction((runId: string, hashes: readonly string[]) => {
    for (const h of hashes) s.link.run(runId, h);
  });
  return {
    /**
     * Stores the bytes unless that hash is already stored (then the first name is kept); true when it was new.
     * Stored again, its time moves to `now`: collection (`collect`) reads it as "last attached".
     */
    put(a: StoredAttachment, bytes: Uint8Array, now: number): boolean {
      const added = s.put.run({ ...a, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), now }).changes > 0;
      if (!added) s.touch.run(now, a.hash, now);
      return added;
    },
    /**
     * Removes stored files no run refers to, last attached before `storedBefore`,
     * except those in `keep` (the saved draft's): `hashes` (a deleted run's), or
     * every such orphan. Returns how many were removed.
     */
    collect(opts: { hashes?: readonly string[]; storedBefore: number; keep: ReadonlySet<string> }): number {
      const candidates = opts.hashes ?? (s.orphans.all(opts.storedBefore) as string[]);
      return removeAll(candidates.filter((h) => !opts.keep.has(h)), opts.storedBefore);
    },
    meta(hash: string): StoredAttachment | null {
      return (s.meta.get(hash) as Row | undefined) ?? null;
    },
    bytes(hash: string): Buffer | null {
      return (s.bytes.get(hash) as Buffer | undefined) ?? null;
    },
    count(): number {
      return s.count.get() as number;
    },
    linkRun(runId: string, hashes: readonly string[]) {
      if (hashes.length) linkAll(runId, hashes);
    },
    ofRun(runId: string): string[] {
      return s.ofRun.all(runId) as string[];
    },
  };
}
