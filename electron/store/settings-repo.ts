/** Named model sets and small key/value settings. */
import type { DB } from './db';

export function createSettingsRepo(db: DB) {
  const s = {
    putSet: db.prepare(`INSERT INTO model_sets (name, targets_json, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(name) DO UPDATE SET targets_json = excluded.targets_json, updated_at = excluded.updated_at`),
    listSets: db.prepare('SELECT name, targets_json FROM model_sets ORDER BY name'),
    deleteSet: db.prepare('DELETE FROM model_sets WHERE name = ?'),
    get: db.prepare('SELECT value FROM settings WHERE key = ?'),
    put: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
  };
  return {
    saveModelSet(name: string, targets: string[], now: number) {
      s.putSet.run(name, JSON.stringify(targets), now);
    },
    listModelSets(): Array<{ name: string; targets: string[] }> {
      return (s.listSets.all() as Array<{ name: string; targets_json: string }>).map((r) => ({ name: r.name, targets: JSON.parse(r.targets_json) as string[] }));
    },
    deleteModelSet(name: string): boolean {
      return s.deleteSet.run(name).changes > 0;
    },
    get(key: string): string | null {
      return (s.get.get(key) as { value: string } | undefined)?.value ?? null;
    },
    put(key: string, value: string) {
      s.put.run(key, value);
    },
  };
}
export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
