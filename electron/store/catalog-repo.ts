/** User price overrides and custom endpoints (survive catalog refreshes). */
import type { Price } from '../../shared/domain';
import type { DB } from './db';

export interface OverrideRow {
  providerId: string;
  upstreamModel: string;
  modelId: string | null;
  price: Price;
  updatedAt: number;
}

export function createCatalogRepo(db: DB) {
  const s = {
    put: db.prepare(`INSERT INTO catalog_overrides (provider_id, upstream_model, model_id, price_json, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(provider_id, upstream_model) DO UPDATE SET model_id = excluded.model_id, price_json = excluded.price_json, updated_at = excluded.updated_at`),
    list: db.prepare('SELECT provider_id, upstream_model, model_id, price_json, updated_at FROM catalog_overrides ORDER BY provider_id, upstream_model'),
    remove: db.prepare('DELETE FROM catalog_overrides WHERE provider_id = ? AND upstream_model = ?'),
  };
  return {
    putOverride(o: Omit<OverrideRow, 'updatedAt'>, now: number) {
      s.put.run(o.providerId, o.upstreamModel, o.modelId, JSON.stringify(o.price), now);
    },
    listOverrides(): OverrideRow[] {
      return (s.list.all() as Array<{ provider_id: string; upstream_model: string; model_id: string | null; price_json: string; updated_at: number }>).map((r) => ({
        providerId: r.provider_id, upstreamModel: r.upstream_model, modelId: r.model_id, price: JSON.parse(r.price_json) as Price, updatedAt: r.updated_at,
      }));
    },
    removeOverride(providerId: string, upstreamModel: string): boolean {
      return s.remove.run(providerId, upstreamModel).changes > 0;
    },
  };
}
export type CatalogRepo = ReturnType<typeof createCatalogRepo>;
