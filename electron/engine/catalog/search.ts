/**
 * Catalog search over precomputed per-model entries. One query is a single
 * pass over ~2,300 entries with no per-entry allocation: matches and sort keys
 * go into reused buffers, and hit objects are built only for the page that is
 * returned.
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

/**
 * The fields a query tests, copied out of one endpoint into a plain record of
 * one shape. The endpoints themselves are frozen for callers, and V8 reads
 * frozen objects several times slower in a hot loop.
 */
interface ScanEndpoint {
  endpoint: Endpoint;
  providerId: string;
  /** Infinity when the price is unknown. */
  inputPerM: number;
  context: number;
  jurisdiction: string;
  zdr: boolean;
  /** Bit set of stated capabilities, see CAPABILITY_BIT. */
  caps: number;
}

const CAPABILITY_BIT: Record<CapabilityName, number> = { tools: 1, vision: 2, json: 4, reasoning: 8 };

/** Everything a query needs about one model, computed once per catalog build. */
export interface ModelEntry {
  model: CatalogModel;
  endpoints: Endpoint[];
  scan: ScanEndpoint[];
  /** Over all endpoints, for queries without endpoint filters. */
  minInputPerM: number;
  maxContext: number;
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
  const scan = endpoints.map(
    (e): ScanEndpoint => ({
      endpoint: e,
      providerId: e.providerId,
      inputPerM: e.price ? e.price.inputPerM : Infinity,
      context: e.contextWindow ?? model.contextWindow ?? 0,
      jurisdiction: e.policy.jurisdiction ?? '',
      zdr: e.policy.zdrAvailable === true || e.policy.retainsPrompts === false,
      caps: (Object.keys(CAPABILITY_BIT) as CapabilityName[]).reduce((bits, c) => (e.capabilities[c] === true ? bits | CAPABILITY_BIT[c] : bits), 0),
    }),
  );
  return {
    model,
    endpoints,
    scan,
    minInputPerM: scan.reduce((m, x) => Math.min(m, x.inputPerM), Infinity),
    maxContext: scan.reduce((m, x) => Math.max(m, x.context), 0),
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
  caps: number;
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
    caps: asList(q.capability).reduce((bits, c) => bits | CAPABILITY_BIT[c], 0),
    maxInputPrice: q.maxInputPrice ?? Infinity,
    minContext: q.minContext ?? 0,
    zdr: q.zdr === true,
    jurisdictions: jurisdictions.length ? new Set(jurisdictions.map((j) => j.toUpperCase())) : null,
    active: false,
  };
  f.active = !!(f.providers || f.caps || f.maxInputPrice !== Infinity || f.minContext > 0 || f.zdr || f.jurisdictions);
  return f;
}

function endpointMatches(e: ScanEndpoint, f: EndpointFilter): boolean {
  if (f.providers && !f.providers.has(e.providerId)) return false;
  if ((e.caps & f.caps) !== f.caps) return false;
  // An unknown price is Infinity, so it never passes a price cap.
  if (e.inputPerM > f.maxInputPrice) return false;
  if (e.context < f.minContext) return false;
  if (f.zdr && !e.zdr) return false;
  if (f.jurisdictions && !f.jurisdictions.has(e.jurisdiction)) return false;
  return true;
}

type Sort = NonNullable<CatalogSearchQuery['sort']>;

/** Positions 0..n-1 of the entries under an ordering, so a sort compares two integers. */
function ranks(entries: readonly ModelEntry[], cmp: (a: ModelEntry, b: ModelEntry) => number): Int32Array {
  const idx = entries.map((_, i) => i).sort((a, b) => cmp(entries[a]!, entries[b]!));
  const rank = new Int32Array(entries.length);
  idx.forEach((entry, pos) => (rank[entry] = pos));
  return rank;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Reusable scratch space and precomputed orderings, so a query allocates
 * almost nothing and its sort compares plain numbers.
 */
export class SearchIndex {
  private readonly order: number[] = [];
  private readonly key: Float64Array;
  private readonly price: Float64Array;
  /** Popularity (endpoint count), then id: the tie-break for every sort. */
  private readonly rank: Int32Array;
  private readonly nameRank: Int32Array;
  private readonly dateRank: Int32Array;

  constructor(private readonly entries: readonly ModelEntry[]) {
    const n = entries.length;
    this.key = new Float64Array(n);
    this.price = new Float64Array(n);
    this.rank = ranks(entries, (a, b) => b.endpoints.length - a.endpoints.length || byString(a.idLower, b.idLower));
    this.nameRank = ranks(entries, (a, b) => byString(a.nameLower, b.nameLower) || byString(a.idLower, b.idLower));
    this.dateRank = ranks(entries, (a, b) => byString(b.releaseDate, a.releaseDate));
  }

  search(q: CatalogSearchQuery): CatalogSearchHit[] {
    const text = (q.query ?? '').trim().toLowerCase();
    const tokens = text ? text.split(/\s+/) : [];
    const modalities = asList(q.modality).map((m) => m.toLowerCase());
    const f = endpointFilter(q);
    const sort: Sort = q.sort ?? 'relevance';
    const { entries, order, key, price, rank } = this;
    order.length = 0;
    for (let i = 0; i < entries.length; i++) {
      const en = entries[i]!;
      let ok = true;
      for (const t of tokens) if (!en.haystack.includes(t)) { ok = false; break; }
      if (!ok) continue;
      for (const m of modalities) if (!en.inputModalities.includes(m)) { ok = false; break; }
      if (!ok) continue;
      let minPrice = en.minInputPerM;
      let maxCtx = en.maxContext;
      if (f.active) {
        minPrice = Infinity;
        maxCtx = -1;
        for (const e of en.scan) {
          if (!endpointMatches(e, f)) continue;
          if (e.inputPerM < minPrice) minPrice = e.inputPerM;
          if (e.context > maxCtx) maxCtx = e.context;
        }
        if (maxCtx < 0) continue; // no endpoint passed
      }
      order.push(i);
      price[i] = minPrice;
      key[i] =
        sort === 'price' ? minPrice
        : sort === 'context' ? -maxCtx
        : sort === 'name' ? this.nameRank[i]!
        : sort === 'newest' ? this.dateRank[i]!
        : relevance(en, text, tokens);
    }
    // Infinity - Infinity is NaN, which falls through to the tie-break like a tie.
    order.sort((a, b) => key[a]! - key[b]! || rank[a]! - rank[b]!);
    const limit = Math.max(0, Math.min(q.limit ?? 50, order.length));
    const hits: CatalogSearchHit[] = new Array(limit);
    for (let k = 0; k < limit; k++) {
      const i = order[k]!;
      const en = entries[i]!;
      hits[k] = {
        model: en.model,
        endpoints: f.active ? en.scan.filter((e) => endpointMatches(e, f)).map((e) => e.endpoint) : en.endpoints.slice(),
        minInputPerM: price[i] === Infinity ? null : price[i]!,
      };
    }
    return hits;
  }
}

/** Lower is better: exact id or name, then prefix, then words all in the id or name, then anywhere. */
function relevance(en: ModelEntry, text: string, tokens: readonly string[]): number {
  if (!text) return 0;
  if (en.idLower === text || en.shortLower === text || en.nameLower === text) return 0;
  if (en.shortLower.startsWith(text) || en.nameLower.startsWith(text) || en.idLower.startsWith(text)) return 1;
  for (const t of tokens) if (!en.idLower.includes(t) && !en.nameLower.includes(t)) return 3;
  return 2;
}
