/** Configured providers. Keys are references (env var names, keychain ids), never key material. */
import { ProviderConfig, type KeyRef, type ServeMapping } from '../../shared/domain';
import type { DB } from './db';

interface Row { id: string; type: string; base_url: string; keys_json: string; serves_json: string; catalog_provider: string | null; created_at: number }

function fromRow(r: Row): ProviderConfig {
  return ProviderConfig.parse({
    id: r.id, type: r.type, baseUrl: r.base_url, keys: JSON.parse(r.keys_json) as KeyRef[], serves: JSON.parse(r.serves_json) as ServeMapping[],
    catalogProvider: r.catalog_provider, createdAt: r.created_at,
  });
}

export function createProvidersRepo(db: DB) {
  const s = {
    upsert: db.prepare(`INSERT INTO providers (id, type, base_url, keys_json, serves_json, catalog_provider, created_at, updated_at)
      VALUES (@id, @type, @baseUrl, @keys, @serves, @catalogProvider, @now, @now)
      ON CONFLICT(id) DO UPDATE SET type = excluded.type, base_url = excluded.base_url, keys_json = excluded.keys_json,
        serves_json = excluded.serves_json, catalog_provider = excluded.catalog_provider, updated_at = excluded.updated_at`),
    get: db.prepare('SELECT * FROM providers WHERE id = ?'),
    list: db.prepare('SELECT * FROM providers ORDER BY id'),
    remove: db.prepare('DELETE FROM providers WHERE id = ?'),
    clearModels: db.prepare('DELETE FROM provider_models WHERE provider_id = ?'),
    addModel: db.prepare('INSERT OR IGNORE INTO provider_models (provider_id, model, listed_at) VALUES (?, ?, ?)'),
    allModels: db.prepare('SELECT provider_id AS providerId, model FROM provider_models ORDER BY provider_id, model'),
  };
  return {
    save(p: ProviderConfig, now: number): ProviderConfig {
      s.upsert.run({
        id: p.id, type: p.type, baseUrl: p.baseUrl.replace(/\/+$/, ''), keys: JSON.stringify(p.keys), serves: JSON.stringify(p.serves),
        catalogProvider: p.catalogProvider, now,
      });
      return fromRow(s.get.get(p.id) as Row);
    },
    get(id: string): ProviderConfig | null {
      const r = s.get.get(id) as Row | undefined;
      return r ? fromRow(r) : null;
    },
    list(): ProviderConfig[] {
      return (s.list.all() as Row[]).map(fromRow);
    },
    remove(id: string): boolean {
      return s.remove.run(id).changes > 0;
    },
    /** Replaces what the provider last listed (a test's model list). */
    setListedModels(id: string, models: readonly string[], at: number): void {
      db.transaction(() => {
        s.clearModels.run(id);
        for (const m of models) s.addModel.run(id, m, at);
      })();
    },
    clearListedModels(id: string): void {
      s.clearModels.run(id);
    },
    /** Every provider's listed models, by provider id, sorted. */
    listedModels(): Map<string, string[]> {
      const out = new Map<string, string[]>();
      for (const r of s.allModels.all() as Array<{ providerId: string; model: string }>) {
        const list = out.get(r.providerId) ?? [];
        list.push(r.model);
        out.set(r.providerId, list);
      }
      return out;
    },
  };
}
export type ProvidersRepo = ReturnType<typeof createProvidersRepo>;
