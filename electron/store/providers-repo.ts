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

/** A provider as parsed, frozen so that the one parse can be handed to every caller. */
function frozen(p: ProviderConfig): ProviderConfig {
  for (const k of p.keys) Object.freeze(k);
  for (const m of p.serves) Object.freeze(m);
  Object.freeze(p.keys);
  Object.freeze(p.serves);
  return Object.freeze(p);
}

export function createProvidersRepo(db: DB) {
  /**
   * Every run reads the providers; each row is validated once per content it has (any process may
   * change a row, so the rows are read each time, and a row that differs is parsed again).
   */
  const parsed = new Map<string, { key: string; config: ProviderConfig }>();
  const cached = (r: Row): ProviderConfig => {
    const key = `${r.type}\u0000${r.base_url}\u0000${r.keys_json}\u0000${r.serves_json}\u0000${r.catalog_provider ?? ''}\u0000${r.created_at}`;
    const hit = parsed.get(r.id);
    if (hit && hit.key === key) return hit.config;
    const config = frozen(fromRow(r));
    parsed.set(r.id, { key, config });
    return config;
  };
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
      const rows = s.list.all() as Row[];
      if (parsed.size > rows.length) for (const id of parsed.keys()) if (!rows.some((r) => r.id === id)) parsed.delete(id);
      return rows.map(cached);
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
