/**
 * The catalog as the engine sees it: loaded lazily (most CLI calls never
 * need it), from the user's refreshed/imported copy in the data directory
 * when there is one, else the shipped snapshot; user overrides on top.
 */
import { existsSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Endpoint } from '../../../shared/domain';
import type { Store } from '../../store';
import type { CatalogLike } from '../resolve';
import { Catalog, shippedCatalogPath } from './catalog';
import type { CatalogDocument, CatalogProvider } from './document';

export interface LoadedCatalog extends CatalogLike {
  full(): Catalog;
  providerInfo(id: string): CatalogProvider | null;
  endpointsOfProvider(providerId: string): Endpoint[];
  asOf(): string | null;
  /** Replaces the user's catalog copy (refresh/import) atomically and reloads; overrides survive. */
  replace(doc: CatalogDocument): void;
  reloadOverrides(): void;
  source(): string;
}

export function userCatalogPath(dataDir: string): string {
  return join(dataDir, 'catalog.json');
}

export function loadCatalog(dataDir: string, store: Store): LoadedCatalog {
  let cat: Catalog | null = null;
  const userPath = dataDir === ':memory:' ? null : userCatalogPath(dataDir);
  let from = '';

  const applyOverrides = (c: Catalog) => {
    c.applyOverrides(store.catalog.listOverrides().map((o) => ({ providerId: o.providerId, upstreamModel: o.upstreamModel, modelId: o.modelId ?? undefined, price: o.price })));
  };
  const full = (): Catalog => {
    if (cat) return cat;
    // The user's copy (refreshed/imported) is validated in full; the shipped one is trusted (fast start).
    const own = userPath !== null && existsSync(userPath);
    from = own ? userPath : shippedCatalogPath();
    cat = own ? Catalog.fromFile(from) : Catalog.shipped(from);
    applyOverrides(cat);
    return cat;
  };
  return {
    full,
    overrideFor(providerId, upstreamModel) {
      return store.catalog.listOverrides().find((o) => o.providerId === providerId && o.upstreamModel === upstreamModel)?.price ?? null;
    },
    endpointsFor: (modelId) => full().endpointsFor(modelId),
    findEndpoint: (p, m) => full().findEndpoint(p, m),
    hasModel: (id) => full().getModel(id) !== null,
    providerInfo: (id) => full().getProvider(id),
    endpointsOfProvider: (id) => full().endpointsOfProvider(id),
    asOf: () => full().asOf,
    source: () => (full(), from),
    replace(doc) {
      if (!userPath) throw new Error('no data directory to keep a catalog in');
      const tmp = `${userPath}.tmp`;
      writeFileSync(tmp, JSON.stringify(doc));
      renameSync(tmp, userPath);
      cat = null;
      full();
    },
    reloadOverrides() {
      if (!cat) return;
      applyOverrides(cat);
    },
  };
}
