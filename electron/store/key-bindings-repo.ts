/** The origins each key reference may be sent to (see migrations/0009-key-bindings.ts). */
import type { DB } from './db';

export function createKeyBindingsRepo(db: DB) {
  const s = {
    has: db.prepare('SELECT 1 FROM key_bindings WHERE ref = ? AND origin = ?').pluck(),
    origins: db.prepare('SELECT origin FROM key_bindings WHERE ref = ? ORDER BY bound_at, origin').pluck(),
    add: db.prepare('INSERT OR IGNORE INTO key_bindings (ref, origin, bound_at) VALUES (?, ?, ?)'),
    // One statement, so two processes using a key for the first time at once cannot both win.
    bindFirst: db.prepare('INSERT INTO key_bindings (ref, origin, bound_at) SELECT @ref, @origin, @now WHERE NOT EXISTS (SELECT 1 FROM key_bindings WHERE ref = @ref)'),
    remove: db.prepare('DELETE FROM key_bindings WHERE ref = ?'),
  };
  const replace = db.transaction((ref: string, origin: string, now: number) => {
    s.remove.run(ref);
    s.add.run(ref, origin, now);
  });
  return {
    has(ref: string, origin: string): boolean {
      return s.has.get(ref, origin) !== undefined;
    },
    /** Oldest first: the first is the one the key was first used with. */
    origins(ref: string): string[] {
      return s.origins.all(ref) as string[];
    },
    /** Lets `ref` go to `origin` as well (the user entered the key again for it). */
    add(ref: string, origin: string, now: number) {
      s.add.run(ref, origin, now);
    },
    /** `origin` becomes the only host for `ref` (new key material). */
    replace(ref: string, origin: string, now: number) {
      replace(ref, origin, now);
    },
    /** Binds `ref` to `origin` if it has no binding yet; true when it did. */
    bindFirst(ref: string, origin: string, now: number): boolean {
      return s.bindFirst.run({ ref, origin, now }).changes > 0;
    },
    remove(ref: string) {
      s.remove.run(ref);
    },
  };
}
export type KeyBindingsRepo = ReturnType<typeof createKeyBindingsRepo>;
