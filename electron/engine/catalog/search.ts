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
  /** USD per million input tokens, inclusive. Endpoints without a price never match; a free tier ($0) does. */
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
  /**
   * The "from" price: the cheapest paid endpoint's input price (USD per million), free
   * tiers left out (they are `freeTier`); null when no endpoint has a paid price.
   */
  minInputPerM: number | null;
  /** That same endpoint's output price, shown beside its input price. */
  minOutputPerM: number | null;
  /** Some endpoint serves it at $0 in and out (a free tier, a `:free` variant, a local server). */
  freeTier: boolean;
}

/** Lower sorts first under `sort: 'price'`: paid prices, then free-tier-only models, then unknown prices. */
const FREE_ONLY = Number.MAX_VALUE;

/**
 * The fields a query tests, copied out of one endpoint into a plain record of
 * one shape. The endpoints themselves are frozen for callers, and V8 reads
 * frozen objects several times slower in a hot loop.
 */
interface ScanEndpoint {
  endpoint: Endpoint;
  providerId: string;
  /** Infinity when the price is unknown or free (a free tier is never the "from" price). */
  inputPerM: number;
  outputPerM: number;
  free: boolean;
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
  /** Over all paid endpoints, for queries without endpoint filters; Infinity when none. */
  minInputPerM: number;
  minOutputPerM: number;
  hasFree: boolean;
  /** Other spellings of the id in the source (`…-4-6` and `…-4.6`), lowercase. */
  aliasesLower: readonly string[];
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
  const aliasesLower = (model.aliases ?? []).map((a) => a.toLowerCase());
  const parts = [idLower, ...aliasesLower, model.name.toLowerCase(), (model.family ?? '').toLowerCase()];
  for (const e of endpoints) parts.push(e.providerId, (providerNames.get(e.providerId) ?? '').toLowerCase(), e.upstreamModel.toLowerCase());
  const scan = endpoints.map(
    (e): ScanEndpoint => ({
      endpoint: e,
      providerId: e.providerId,
      ...priceScan(e),
      context: e.contextWindow ?? model.contextWindow ?? 0,
      jurisdiction: e.policy.jurisdiction ?? '',
      zdr: e.policy.zdrAvailable === true || e.policy.retainsPrompts === false,
      caps: (Object.keys(CAPABILITY_BIT) as CapabilityName[]).reduce((bits, c) => (e.capabilities[c] === true ? bits | CAPABILITY_BIT[c] : bits), 0),
    }),
  );
  const from = cheapest(scan);
  return {
    model,
    endpoints,
    scan,
    minInputPerM: from?.inputPerM ?? Infinity,
    minOutputPerM: from?.outputPerM ?? Infinity,
    hasFree: scan.some((x) => x.free),
    aliasesLower,
    maxContext: scan.reduce((m, x) => Math.max(m, x.context), 0),
    idLower,
    shortLower: idLower.slice(idLower.indexOf('/') + 1),
    nameLower: model.name.toLowerCase(),
    haystack: parts.join(' '),
    inputModalities: model.inputModalities.map((m) => m.toLowerCase()),
    releaseDate: model.releaseDate ?? '',
  };
}

function priceScan(e: Endpoint): { inputPerM: number; outputPerM: number; free: boolean } {
  const free = e.price !== null && e.price.inputPerM === 0 && e.price.outputPerM === 0;
  if (!e.price || free) return { inputPerM: Infinity, outputPerM: Infinity, free };
  return { inputPerM: e.price.inputPerM, outputPerM: e.price.outputPerM, free };
}

/** The paid endpoint with the lowest input price (then output), or null. */
function cheapest(scan: readonly ScanEndpoint[]): ScanEndpoint | null {
  let best: ScanEndpoint | null = null;
  for (const x of scan) if (x.inputPerM !== Infinity && (!best || x.inputPerM < best.inputPerM || (x.inputPerM === best.inputPerM && x.outputPerM < best.outputPerM))) best = x;
  return best;
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
  // An unknown price never passes a price cap; a free one always does.
  if (!e.free && e.inputPerM > f.maxInputPrice) return false;
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
  /** Popularity (endpoint count), then id: the tie-break for every sort. */
  private readonly rank: Int32Array;
  private readonly nameRank: Int32Array;
  private readonly dateRank: Int32Array;

  constructor(private readonly entries: readonly ModelEntry[]) {
    const n = entries.length;
    this.key = new Float64Array(n);
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
    const { entries, order, key, rank } = this;
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
      let free = en.hasFree;
      if (f.active) {
        minPrice = Infinity;
        maxCtx = -1;
        free = false;
        for (const e of en.scan) {
          if (!endpointMatches(e, f)) continue;
          if (e.inputPerM < minPrice) minPrice = e.inputPerM;
          if (e.context > maxCtx) maxCtx = e.context;
          if (e.free) free = true;
        }
        if (maxCtx < 0) continue; // no endpoint passed
      }
      order.push(i);
      key[i] =
        sort === 'price' ? (minPrice === Infinity && free ? FREE_ONLY : minPrice)
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
      const scan = f.active ? en.scan.filter((e) => endpointMatches(e, f)) : en.scan;
      const from = f.active ? cheapest(scan) : en.minInputPerM === Infinity ? null : { inputPerM: en.minInputPerM, outputPerM: en.minOutputPerM };
      hits[k] = {
        model: en.model,
        endpoints: f.active ? scan.map((e) => e.endpoint) : en.endpoints.slice(),
        minInputPerM: from ? from.inputPerM : null,
        minOutputPerM: from ? from.outputPerM : null,
        freeTier: f.active ? scan.some((e) => e.free) : en.hasFree,
      };
    }
    return hits;
  }
}

/** Lower is better: exact id or name, then prefix, then words all in the id or name, then anywhere. */
function relevance(en: ModelEntry, text: string, tokens: readonly string[]): number {
  if (!text) return 0;
  if (en.idLower === text || en.shortLower === text || en.nameLower === text || en.aliasesLower.some((a) => a === text || a.endsWith(`/${text}`))) return 0;
  if (en.shortLower.startsWith(text) || en.nameLower.startsWith(text) || en.idLower.startsWith(text)) return 1;
  for (const t of tokens) if (!en.idLower.includes(t) && !en.nameLower.includes(t)) return 3;
  return 2;
}
