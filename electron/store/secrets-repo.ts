/** Ciphertexts produced by the desktop keychain (Electron safeStorage). This module never sees plaintext. */
import type { DB } from './db';

export function createSecretsRepo(db: DB) {
  const s = {
    put: db.prepare(`INSERT INTO secrets (id, ciphertext, backend, last4, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET ciphertext = excluded.ciphertext, backend = excluded.backend, last4 = excluded.last4`),
    get: db.prepare('SELECT ciphertext, backend, last4 FROM secrets WHERE id = ?'),
    remove: db.prepare('DELETE FROM secrets WHERE id = ?'),
  };
  return {
    put(id: string, ciphertext: Buffer, backend: string, last4: string, now: number) {
      s.put.run(id, ciphertext, backend, last4, now);
    },
    get(id: string): { ciphertext: Buffer; backend: string; last4: string } | null {
      return (s.get.get(id) as { ciphertext: Buffer; backend: string; last4: string } | undefined) ?? null;
    },
    remove(id: string) {
      s.remove.run(id);
    },
  };
}
export type SecretsRepo = ReturnType<typeof createSecretsRepo>;
