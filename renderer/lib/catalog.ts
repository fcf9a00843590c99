/**
 * The catalog view's filters as typed (strings, so "0." stays editable), their
 * conversion to a `catalog:search-models` query, and the display of prices,
 * limits and data-policy facts. Unknown is always shown as "unknown", never as
 * "no": a missing fact must not read as a reassuring one.
 */
import type { CatalogQuery } from '../../shared/contract';
import type { CapabilityName, DataPolicy, Price } from '../../shared/domain';
import { DASH } from './format';

export type CatalogSort = NonNullable<CatalogQuery['sort']>;

export interface CatalogFilters {
  query: string;
  /** USD per million input tokens, as typed. */
  maxInputPrice: string;
  /** Tokens, '' for any. */
  minContext: string;
  capabilities: CapabilityName[];
  /** Input modality, '' for any. */
  modality: string;
  zdr: boolean;
  jurisdiction: string;
  provider: string;
  sort: CatalogSort;
}

export const emptyCatalogFilters: CatalogFilters = {
  query: '',
  maxInputPrice: '',
  minContext: '',
  capabilities: [],
  modality: '',
  zdr: false,
  jurisdiction: '',
  provider: '',
  sort: 'relevance',
};

export const CAPABILITIES: CapabilityName[] = ['tools', 'vision', 'json', 'reasoning'];
export const MODALITIES = ['text', 'image', 'audio', 'video', 'pdf'];
export const CONTEXT_STEPS = [8_000, 32_000, 128_000, 200_000, 1_000_000];
export const SORTS: Array<{ value: CatalogSort; label: string }> = [
  { value: 'relevance', label: 'Relevance' },
  { value: 'price', label: 'Price (cheapest first)' },
  { value: 'context', label: 'Context (largest first)' },
  { value: 'name', label: 'Name' },
  { value: 'newest', label: 'Newest' },
];

/** Results per search: the table is virtualised, the payload (every endpoint of every hit) is not. */
export const CATALOG_LIMIT = 200;

/** The price cap as typed, or an error sentence; '' means no cap. */
export function parseMaxPrice(raw: string): { ok: true; value: number | undefined } | { ok: false; error: string } {
  const s = raw.trim();
  if (!s) return { ok: true, value: undefined };
  const n = Number(s);
  if (!Number.isFinite(n) || n < 0) return { ok: false, error: 'max price must be a number of dollars, 0 or more' };
  return { ok: true, value: n };
}

/**
 * Only the filters that are set go into the query; an invalid price cap is left
 * out (the field shows the error) rather than blanking the results.
 */
export function buildCatalogQuery(f: CatalogFilters, limit = CATALOG_LIMIT): CatalogQuery {
  const q: CatalogQuery = { limit, sort: f.sort };
  const text = f.query.trim();
  if (text) q.query = text.slice(0, 200);
  const price = parseMaxPrice(f.maxInputPrice);
  if (price.ok && price.value !== undefined) q.maxInputPrice = price.value;
  const ctx = Number(f.minContext);
  if (f.minContext && Number.isInteger(ctx) && ctx > 0) q.minContext = ctx;
  if (f.capabilities.length) q.capability = [...f.capabilities];
  if (f.modality) q.modality = [f.modality];
  if (f.zdr) q.zdr = true;
  if (f.jurisdiction) q.jurisdiction = [f.jurisdiction];
  if (f.provider) q.provider = [f.provider];
  return q;
}

export function activeFilterCount(f: CatalogFilters): number {
  return [f.maxInputPrice.trim(), f.minContext, f.modality, f.jurisdiction, f.provider].filter(Boolean).length + f.capabilities.length + (f.zdr ? 1 : 0);
}

/** USD per million tokens: $0.15, $2.50, $0.075; null is unknown. */
export function formatPerM(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'unknown';
  if (v === 0) return '$0';
  if (v >= 1) return `$${v.toFixed(2)}`;
  // Cents keep two places ($0.60); smaller prices keep three significant digits ($0.075).
  const short = Number(v.toPrecision(3));
  return `$${short >= 0.01 && Math.round(short * 100) === short * 100 ? short.toFixed(2) : short}`;
}

/** 128000 → 128K, 1048576 → 1.05M. */
export function formatTokens(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toFixed(2))}M`;
  if (n >= 1000) return `${Math.round(n / 1000)}K`;
  return String(n);
}

export type Fact = 'yes' | 'no' | 'unknown';
export const fact = (v: boolean | null | undefined): Fact => (v === true ? 'yes' : v === false ? 'no' : 'unknown');

export function retentionText(p: Pick<DataPolicy, 'retainsPrompts' | 'retentionDays'>): string {
  if (p.retainsPrompts === true) return p.retentionDays ? `yes (${p.retentionDays} days)` : 'yes';
  return fact(p.retainsPrompts);
}

export function cachedPrice(price: Price | null): number | null {
  return price?.cacheReadPerM ?? null;
}

/** The largest context any endpoint offers, falling back to the model's own figure. */
export function contextOf(model: { contextWindow: number | null }, endpoints: Array<{ contextWindow: number | null }>): number | null {
  const best = endpoints.reduce<number | null>((m, e) => (e.contextWindow !== null && (m === null || e.contextWindow > m) ? e.contextWindow : m), null);
  return best ?? model.contextWindow;
}

/** A link is only ever an http(s) URL from the catalog; anything else is shown as text. */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}
