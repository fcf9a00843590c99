/** The origin each key reference is bound to (see migrations/0006-key-bindings.ts). */
import type { DB } from './db';

export function createKeyBindingsRepo(db: DB) {
  const s = {
    get: db.prepare('SELECT origin FROM key_bindings WHERE ref = ?').pluck(),
    put: db.prepare(`INSERT INTO key_bindings (ref, origin, bound_at) VALUES (?, ?, ?)
      ON CONFLICT(ref) DO UPDATE SET origin = excluded.origin, bound_at = excluded.bound_at`),
    // First use wins: two processes binding at once keep the first one's origin.
    bindIfAbsent: db.prepare('INSERT OR IGNORE INTO key_bindings (ref, origin, bound_at) VALUES (?, ?, ?)'),
    remove: db.prepare('DELETE FROM key_bindings WHERE ref = ?'),
  };
  return {
    get(ref: string): string | null {
      return (s.get.get(ref) as string | undefined) ?? null;
    },
    /** Binds (or re-binds) `ref` to `origin`. */
    put(ref: string, origin: string, now: number) {
      s.put.run(ref, origin, now);
    },
    /** Binds `ref` to `origin` unless it is bound already; returns the origin in force. */
    bindIfAbsent(ref: string, origin: string, now: number): string {
      if (s.bindIfAbsent.run(ref, origin, now).changes > 0) return origin;
      return this.get(ref) ?? origin;
    },
    remove(ref: string) {
      s.remove.run(ref);
    },
  };
}
export type KeyBindingsRepo = ReturnType<typeof createKeyBindingsRepo>;
