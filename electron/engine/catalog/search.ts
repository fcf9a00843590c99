/**
 * Catalog search over precomputed per-model entries. One query is a single
 * pass over ~2,300 entries with no per-entry allocation: matches go into
 * preallocated typed arrays, and hit objects are built only for the page
 * that is returned.
 */
import type { CapabilityName, Endpoint } from '../../../shared/domain';
import type { CatalogModel } from './document';

/** Filters combine with AND; endpoint filters must all hold on one same endpoint. */
export interface CatalogSearchQuery {
  /** Words matched (all of them, case-insensitive) against id, name, family, providers and upstream ids. */
  query?: string;
  /** Served by this provider (or any of these). */
  provider?: string | readonly string[];
  /** Endpoint states the capability as supported (unknown does not count). */
  capability?: CapabilityName | readonly CapabilityName[];
  /** Model accepts this input modality (`image`, `audio`, `pdf`, `video`, `text`). */
  modality?: string | readonly string[];
  /** USD per million input tokens, inclusive. Endpoints without a price never match. */
  maxInputPrice?: number;
  minContext?: number;
  /** Endpoint retains nothing by default or offers zero data retention. */
  zdr?: boolean;
  /** Provider's jurisdiction is one of these (`US`, `EU`, `LOCAL`, …). */
  jurisdiction?: string | readonly string[];
  sort?: 'relevance' | 'price' | 'context' | 'name' | 'newest';
  /** Default 50. */
  limit?: number;
}

export interface CatalogSearchHit {
  model: CatalogModel;
  /** The model's endpoints that satisfy the endpoint filters (all of them when there are none). */
  endpoints: Endpoint[];
  /** Cheapest input price among those endpoints, USD per million. */
  minInputPerM: number | null;
}

/** Everything a query needs about one model, computed once per catalog build. */
export interface ModelEntry {
  model: CatalogModel;
  endpoints: Endpoint[];
  idLower: string;
  /** The part after the lab, `gpt-4o-mini` of `openai/gpt-4o-mini`. */
  shortLower: string;
  nameLower: string;
  haystack: string;
  inputModalities: readonly string[];
  releaseDate: string;
}

export function makeEntry(model: CatalogModel, endpoints: Endpoint[], providerNames: ReadonlyMap<string, string>): ModelEntry {
  const idLower = model.id.toLowerCase();
  const parts = [idLower, model.name.toLowerCase(), (model.family ?? '').toLowerCase()];
  for (const e of endpoints) parts.push(e.providerId, (providerNames.get(e.providerId) ?? '').toLowerCase(), e.upstreamModel.toLowerCase());
  return {
    model,
    endpoints,
    idLower,
    shortLower: idLower.slice(idLower.indexOf('/') + 1),
    nameLower: model.name.toLowerCase(),
    haystack: parts.join(' '),
    inputModalities: model.inputModalities.map((m) => m.toLowerCase()),
    releaseDate: model.releaseDate ?? '',
  };
}

const asList = <T>(v: T | readonly T[] | undefined): readonly T[] => (v === undefined ? [] : Array.isArray(v) ? (v as readonly T[]) : [v as T]);

interface EndpointFilter {
  providers: ReadonlySet<string> | null;
  capabilities: readonly CapabilityName[];
  maxInputPrice: number;
  minContext: number;
  zdr: boolean;
  jurisdictions: ReadonlySet<string> | null;
  active: boolean;
}

function endpointFilter(q: CatalogSearchQuery): EndpointFilter {
  const providers = asList(q.provider);
  const jurisdictions = asList(q.jurisdiction);
  const f: EndpointFilter = {
    providers: providers.length ? new Set(providers) : null,
    capabilities: asList(q.capability),
    maxInputPrice: q.maxInputPrice ?? Infinity,
    minContext: q.minContext ?? 0,
    zdr: q.zdr === true,
    jurisdictions: jurisdictions.length ? new Set(jurisdictions.map((j) => j.toUpperCase())) : null,
    active: false,
  };
  f.active = !!(f.providers || f.capabilities.length || f.maxInputPrice !== Infinity || f.minContext > 0 || f.zdr || f.jurisdictions);
  return f;
}

function endpointMatches(e: Endpoint, model: CatalogModel, f: EndpointFilter): boolean {
  if (f.providers && !f.providers.has(e.providerId)) return false;
  for (const c of f.capabilities) if (e.capabilities[c] !== true) return false;
  if (f.maxInputPrice !== Infinity && (e.price === null || e.price.inputPerM > f.maxInputPrice)) return false;
  if (f.minContext > 0 && (e.contextWindow ?? model.contextWindow ?? 0) < f.minContext) return false;
  if (f.zdr && !(e.policy.zdrAvailable === true || e.policy.retainsPrompts === false)) return false;
  if (f.jurisdictions && (e.policy.jurisdiction === null || !f.jurisdictions.has(e.policy.jurisdiction))) return false;
  return true;
}

/** Reusable scratch space sized to the catalog, so a query allocates almost nothing. */
export class SearchIndex {
  private readonly matched: Int32Array;
  private readonly score: Float64Array;
  private readonly price: Float64Array;
  private readonly context: Float64Array;

  constructor(private readonly entries: readonly ModelEntry[]) {
    const n = entries.length;
    this.matched = new Int32Array(n);
    this.score = new Float64Array(n);
    this.price = new Float64Array(n);
    this.context = new Float64Array(n);
  }

  search(q: CatalogSearchQuery): CatalogSearchHit[] {
    const text = (q.query ?? '').trim().toLowerCase();
    const tokens = text ? text.split(/\s+/) : [];
    const modalities = asList(q.modality).map((m) => m.toLowerCase());
    const f = endpointFilter(q);
    const { entries, matched, score, price, context } = this;
    let n = 0;
    for (let i = 0; i < entries.length; i++) {
      const en = entries[i]!;
      let ok = true;
      for (const t of tokens) if (!en.haystack.includes(t)) { ok = false; break; }
      if (!ok) continue;
      for (const m of modalities) if (!en.inputModalities.includes(m)) { ok = false; break; }
      if (!ok) continue;
      let minPrice = Infinity;
      let maxCtx = 0;
      let any = false;
      for (const e of en.endpoints) {
        if (f.active && !endpointMatches(e, en.model, f)) continue;
        any = true;
        if (e.price !== null && e.price.inputPerM < minPrice) minPrice = e.price.inputPerM;
        const ctx = e.contextWindow ?? en.model.contextWindow ?? 0;
        if (ctx > maxCtx) maxCtx = ctx;
      }
      if (f.active && !any) continue;
      matched[n++] = i;
      price[i] = minPrice;
      context[i] = maxCtx;
      score[i] = relevance(en, text, tokens);
    }
    const order = matched.subarray(0, n);
    order.sort(comparator(q.sort ?? 'relevance', entries, score, price, context));
    const limit = Math.max(0, Math.min(q.limit ?? 50, n));
    const hits: CatalogSearchHit[] = new Array(limit);
    for (let k = 0; k < limit; k++) {
      const i = order[k]!;
      const en = entries[i]!;
      hits[k] = {
        model: en.model,
        endpoints: f.active ? en.endpoints.filter((e) => endpointMatches(e, en.model, f)) : en.endpoints.slice(),
        minInputPerM: price[i] === Infinity ? null : price[i]!,
      };
    }
    return hits;
  }
}

/** Lower is better: exact id or name, then prefix, then words all in the id, then anywhere. */
function relevance(en: ModelEntry, text: string, tokens: readonly string[]): number {
  if (!text) return 0;
  if (en.idLower === text || en.shortLower === text || en.nameLower === text) return 0;
  if (en.shortLower.startsWith(text) || en.nameLower.startsWith(text) || en.idLower.startsWith(text)) return 1;
  for (const t of tokens) if (!en.idLower.includes(t) && !en.nameLower.includes(t)) return 3;
  return 2;
}

type Sort = NonNullable<CatalogSearchQuery['sort']>;

function comparator(sort: Sort, entries: readonly ModelEntry[], score: Float64Array, price: Float64Array, context: Float64Array) {
  // Ties fall back to popularity (endpoint count), then id, so results are stable across runs.
  const tie = (a: number, b: number) =>
    entries[b]!.endpoints.length - entries[a]!.endpoints.length || (entries[a]!.idLower < entries[b]!.idLower ? -1 : 1);
  switch (sort) {
    case 'price':
      return (a: number, b: number) => price[a]! - price[b]! || tie(a, b);
    case 'context':
      return (a: number, b: number) => context[b]! - context[a]! || tie(a, b);
    case 'name':
      return (a: number, b: number) => (entries[a]!.nameLower < entries[b]!.nameLower ? -1 : entries[a]!.nameLower > entries[b]!.nameLower ? 1 : tie(a, b));
    case 'newest':
      return (a: number, b: number) =>
        entries[a]!.releaseDate > entries[b]!.releaseDate ? -1 : entries[a]!.releaseDate < entries[b]!.releaseDate ? 1 : tie(a, b);
    default:
      return (a: number, b: number) => score[a]! - score[b]! || tie(a, b);
  }
}
