/**
 * The offline model catalog: providers, canonical models and the endpoints
 * that serve them, with curated data policies merged in and the user's price
 * overrides applied on top. Overrides are kept apart from the base document,
 * so a refresh replaces the data and the overrides survive it.
 */
import { readFileSync } from 'node:fs';
import { LIMITS, readBoundedFileSync } from '../limits';
import { fileURLToPath } from 'node:url';
import type { Capabilities, DataPolicy, Endpoint, Price } from '../../../shared/domain';
import {
  PriceOverride,
  assumeShippedDocument,
  parseCatalogDocument,
  type CatalogDocument,
  type CatalogEndpoint,
  type CatalogModel,
  type CatalogProvider,
  type PriceOverrideInput,
} from './document';
import { policyFor } from './provider-facts';
import { spellingAliases } from './aliases';
import { SearchIndex, makeEntry, type CatalogSearchHit, type CatalogSearchQuery, type ModelEntry } from './search';

export type { CatalogSearchHit, CatalogSearchQuery } from './search';

const UNKNOWN_CAPABILITIES: Capabilities = { tools: null, vision: null, json: null, reasoning: null };

const key = (providerId: string, upstreamModel: string) => `${providerId}\u0000${upstreamModel}`;

/** Own copies, so freezing what we hand out never freezes the caller's document. */
const copyPrice = (p: Price | null): Price | null => (p ? { ...p, tiers: p.tiers.map((t) => ({ ...t })) } : null);

/** Deep-freeze once at build time: endpoints are handed out by reference, never copied per call. */
function freezeEndpoint(e: Endpoint): Endpoint {
  if (e.price) {
    for (const t of e.price.tiers) Object.freeze(t);
    Object.freeze(e.price.tiers);
    Object.freeze(e.price);
  }
  Object.freeze(e.capabilities);
  Object.freeze(e.policy.regions);
  Object.freeze(e.policy);
  return Object.freeze(e);
}

/** A bare model record for ids the catalog does not describe (custom endpoints). */
function unknownModel(id: string): CatalogModel {
  return {
    id,
    name: id,
    family: null,
    reasoning: null,
    toolCall: null,
    attachment: null,
    structuredOutput: null,
    inputModalities: [],
    outputModalities: [],
    contextWindow: null,
    maxOutput: null,
    releaseDate: null,
    openWeights: null,
  };
}

export interface CatalogStats {
  providers: number;
  models: number;
  endpoints: number;
  overrides: number;
}

/**
 * @example
 *   const catalog = Catalog.shipped();
 *   catalog.endpointsFor('openai/gpt-4o-mini').map((e) => e.providerId); // ['abacus', …, 'openai', 'openrouter', …]
 */
export class Catalog {
  private base: CatalogDocument;
  private overrides: PriceOverride[];
  private providers: CatalogProvider[] = [];
  private providerById = new Map<string, CatalogProvider>();
  private entries: ModelEntry[] = [];
  private entryById = new Map<string, ModelEntry>();
  private endpointByKey = new Map<string, Endpoint>();
  private index = new SearchIndex([]);

  /** Trusts its input (typed); use `fromJSON` for anything read from outside. */
  constructor(doc: CatalogDocument) {
    this.base = { ...doc, overrides: [] };
    this.overrides = doc.overrides.map((o) => ({ ...o }));
    this.build();
  }

  /** Validates with zod; throws a one-line `CatalogFormatError` on a bad file. Accepts JSON text too. */
  static fromJSON(doc: unknown): Catalog {
    return new Catalog(parseCatalogDocument(doc));
  }

  /** A catalog file from outside (an export, a download): fully validated. */
  static fromFile(path: string): Catalog {
    return Catalog.fromJSON(readBoundedFileSync(path, LIMITS.catalogFile, 'catalog file').toString('utf8'));
  }

  /** The catalog shipped with the app: trusted, so only its outline is checked (fast start-up). */
  static shipped(path: string = shippedCatalogPath()): Catalog {
    return new Catalog(assumeShippedDocument(JSON.parse(readFileSync(path, 'utf8'))));
  }

  get asOf(): string {
    return this.base.asOf;
  }

  get license(): string {
    return this.base.license;
  }

  stats(): CatalogStats {
    return { providers: this.providers.length, models: this.entries.length, endpoints: this.endpointByKey.size, overrides: this.overrides.length };
  }

  listProviders(): CatalogProvider[] {
    return this.providers.slice();
  }

  getProvider(providerId: string): CatalogProvider | null {
    return this.providerById.get(providerId) ?? null;
  }

  /** Model ids are canonical lowercase `lab/model`; lookups ignore case. */
  getModel(modelId: string): CatalogModel | null {
    return this.entryFor(modelId)?.model ?? null;
  }

  hasModel(modelId: string): boolean {
    return this.entryFor(modelId) !== undefined;
  }

  /** Every endpoint serving the model, with its provider's data policy merged in. */
  endpointsFor(modelId: string): Endpoint[] {
    return this.entryFor(modelId)?.endpoints.slice() ?? [];
  }

  /** Everything one provider serves (for a provider's model picker). */
  endpointsOfProvider(providerId: string): Endpoint[] {
    const out: Endpoint[] = [];
    for (const e of this.endpointByKey.values()) if (e.providerId === providerId) out.push(e);
    return out;
  }

  findEndpoint(providerId: string, upstreamModel: string): Endpoint | null {
    return this.endpointByKey.get(key(providerId, upstreamModel)) ?? null;
  }

  /** @example catalog.search({ query: 'claude sonnet', zdr: true, sort: 'price', limit: 10 }) */
  search(query: CatalogSearchQuery = {}): CatalogSearchHit[] {
    return this.index.search(query);
  }

  /**
   * Replace the user's overrides with this list (an empty list clears them).
   * An override matching a catalog endpoint replaces its price; one matching
   * none adds a custom endpoint. Either way the endpoint's source is 'user'.
   */
  applyOverrides(overrides: readonly PriceOverrideInput[]): void {
    this.overrides = overrides.map((o) => PriceOverride.parse(o));
    this.build();
  }

  currentOverrides(): PriceOverride[] {
    return this.overrides.map((o) => ({ ...o }));
  }

  /** Swap in fresh data (an online refresh); the user's overrides are kept and re-applied. */
  replaceDocument(doc: CatalogDocument): void {
    this.base = { ...doc, overrides: [] };
    this.build();
  }

  /** The base data plus the user's overrides, as a document `fromJSON` accepts. */
  toJSON(): CatalogDocument {
    return { ...this.base, overrides: this.currentOverrides() };
  }

  /**
   * Ids of one model spelt two ways (see aliases.ts): alias -> kept id. The kept id's
   * record (or the alias's, when only that has one) is rewritten in `models` to carry its aliases.
   */
  private spellings(models: Map<string, CatalogModel>, byKey: ReadonlyMap<string, Endpoint>): Map<string, string> {
    const providers = new Map<string, string[]>();
    for (const e of byKey.values()) {
      const list = providers.get(e.modelId);
      if (list) list.push(e.providerId);
      else providers.set(e.modelId, [e.providerId]);
    }
    const aliasOf = spellingAliases([...models.keys(), ...providers.keys()], { providersOf: (id) => providers.get(id) ?? [], hasRecord: (id) => models.has(id) });
    const aliasesOf = new Map<string, string[]>();
    for (const [alias, kept] of aliasOf) aliasesOf.set(kept, [...(aliasesOf.get(kept) ?? []), alias]);
    for (const [kept, aliases] of aliasesOf) {
      const record = models.get(kept) ?? aliases.map((a) => models.get(a)).find((m) => m !== undefined) ?? unknownModel(kept);
      models.set(kept, { ...record, id: kept, aliases: aliases.sort() });
    }
    return aliasOf;
  }

  private entryFor(modelId: string): ModelEntry | undefined {
    return this.entryById.get(modelId) ?? this.entryById.get(modelId.toLowerCase());
  }

  private build(): void {
    const doc = this.base;
    this.providers = doc.providers.slice();
    this.providerById = new Map(doc.providers.map((p) => [p.id, p]));
    const policies = new Map<string, DataPolicy>();
    const policyOf = (providerId: string): DataPolicy => {
      let p = policies.get(providerId);
      if (!p) policies.set(providerId, (p = Object.freeze(policyFor(providerId)) as DataPolicy));
      return p;
    };
    const models = new Map<string, CatalogModel>(doc.models.map((m) => [m.id, m]));
    const modalitiesOf = (modelId: string): string[] | null => {
      const m = models.get(modelId) ?? models.get(modelId.toLowerCase());
      return m && m.inputModalities.length ? m.inputModalities.map((x) => x.toLowerCase()) : null;
    };
    const toEndpoint = (e: CatalogEndpoint, source: Endpoint['source']): Endpoint => ({
      id: `${e.providerId}:${e.upstreamModel}`,
      providerId: e.providerId,
      upstreamModel: e.upstreamModel,
      modelId: e.modelId,
      price: copyPrice(e.price),
      contextWindow: e.contextWindow,
      maxOutput: e.maxOutput,
      capabilities: { ...e.capabilities },
      inputModalities: modalitiesOf(e.modelId),
      policy: policyOf(e.providerId),
      source,
    });

    const byKey = new Map<string, Endpoint>();
    for (const e of doc.endpoints) byKey.set(key(e.providerId, e.upstreamModel), toEndpoint(e, 'catalog'));
    for (const o of this.overrides) {
      const k = key(o.providerId, o.upstreamModel);
      const existing = byKey.get(k);
      const price = copyPrice(o.price);
      byKey.set(
        k,
        existing
          ? { ...existing, modelId: o.modelId ?? existing.modelId, price, source: 'user' }
          : toEndpoint(
              { providerId: o.providerId, upstreamModel: o.upstreamModel, modelId: o.modelId ?? o.upstreamModel, price, contextWindow: null, maxOutput: null, capabilities: { ...UNKNOWN_CAPABILITIES } },
              'user',
            ),
      );
    }

    const aliasOf = this.spellings(models, byKey);
    const grouped = new Map<string, Endpoint[]>();
    for (const e of byKey.values()) {
      e.modelId = aliasOf.get(e.modelId) ?? e.modelId;
      freezeEndpoint(e);
      const list = grouped.get(e.modelId);
      if (list) list.push(e);
      else grouped.set(e.modelId, [e]);
    }
    const names = new Map(doc.providers.map((p) => [p.id, p.name]));
    const entries: ModelEntry[] = [];
    const entryById = new Map<string, ModelEntry>();
    for (const [modelId, model] of models) {
      if (aliasOf.has(modelId)) continue;
      const entry = makeEntry(model, grouped.get(modelId) ?? [], names);
      entries.push(entry);
      entryById.set(modelId, entry);
    }
    for (const [modelId, eps] of grouped) {
      if (entryById.has(modelId)) continue;
      const entry = makeEntry(unknownModel(modelId), eps, names);
      entries.push(entry);
      entryById.set(modelId, entry);
    }
    for (const [alias, kept] of aliasOf) {
      const entry = entryById.get(kept);
      if (entry) entryById.set(alias, entry);
    }
    // A model with no way to reach it is noise in search; it stays reachable via getModel.
    this.entries = entries;
    this.entryById = entryById;
    this.endpointByKey = byKey;
    this.index = new SearchIndex(entries.filter((e) => e.endpoints.length > 0));
  }
}

/** Path of the catalog shipped with the app (built by `scripts/build-catalog.mjs`). */
export function shippedCatalogPath(): string {
  return fileURLToPath(new URL('./data/catalog.json', import.meta.url));
}
