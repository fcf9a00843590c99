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
  };
  const linkAll = db.transaction((runId: string, hashes: readonly string[]) => {
    for (const h of hashes) s.link.run(runId, h);
  });
  return {
    /** Stores the bytes unless that hash is already stored (then the first name is kept); true when it was new. */
    put(a: StoredAttachment, bytes: Uint8Array, now: number): boolean {
      return s.put.run({ ...a, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), now }).changes > 0;
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
