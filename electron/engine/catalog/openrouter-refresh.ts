/**
 * Online refresh of the catalog from OpenRouter's public model list. The
 * OpenRouter endpoints are replaced by what OpenRouter lists today; every
 * other provider's data is kept. Optional per-model `/endpoints` calls return
 * the providers behind each OpenRouter model ("offers") and fill gaps (never
 * overwrite) in matching direct endpoints.
 *
 * No retries here: a refresh is a user action, and a failure is reported.
 */
import { z } from 'zod';
import type { Capabilities, Price } from '../../../shared/domain';
import type { CatalogDocument, CatalogEndpoint, CatalogModel, CatalogProvider } from './document';

export interface RefreshOptions {
  /** Document to merge into, usually `catalog.toJSON()`. */
  base: CatalogDocument;
  baseUrl?: string;
  fetchImpl?: typeof fetch;
  signal?: AbortSignal;
  /** OpenRouter model ids whose per-provider endpoints to fetch too. */
  endpointsFor?: readonly string[];
  /** Parallel `/endpoints` requests. Default 4. */
  concurrency?: number;
  /** Stamped as the document's `asOf`; default today (UTC). */
  asOf?: string;
}

/** One provider behind an OpenRouter model, from `/models/{id}/endpoints`. */
export interface ProviderOffer {
  openrouterModel: string;
  modelId: string;
  providerName: string;
  /** Catalog provider id, when the name maps to one. */
  providerId: string | null;
  price: Price | null;
  contextWindow: number | null;
  maxOutput: number | null;
  quantization: string | null;
  status: number | null;
  uptimeLast30m: number | null;
}

export interface RefreshResult {
  document: CatalogDocument;
  offers: ProviderOffer[];
  stats: { listed: number; skipped: number; added: number; updated: number; removed: number; filled: number };
  /** Per-model `/endpoints` failures; the refresh itself still succeeded. */
  errors: string[];
}

export class RefreshError extends Error {
  override name = 'RefreshError';
}

// Keep in sync with LAB_ALIASES in scripts/build-catalog.mjs.
const LAB_ALIASES: Record<string, string> = {
  'x-ai': 'xai', mistralai: 'mistral', 'z-ai': 'zhipuai', 'zai-org': 'zhipuai', thudm: 'zhipuai', 'meta-llama': 'meta',
  qwen: 'alibaba', 'deepseek-ai': 'deepseek', minimaxai: 'minimax', moonshot: 'moonshotai', 'stepfun-ai': 'stepfun', xiaomimimo: 'xiaomi',
};

/** `x-ai/grok-4:free` -> `xai/grok-4`: same canonical rules as the build script, minus OpenRouter's variant suffix. */
export function canonicalFromOpenRouter(id: string): string {
  const [lab = '', ...rest] = id
    .toLowerCase()
    .replace(/:[a-z0-9-]+$/, '')
    .split('/')
    .map((seg) => seg.replace(/[^a-z0-9._:+-]/g, '-').replace(/^[^a-z0-9]+/, ''))
    .filter(Boolean);
  return [LAB_ALIASES[lab] ?? lab, ...rest].join('/');
}

const Money = z.union([z.string(), z.number()]).nullish();
const OrPricing = z.object({ prompt: Money, completion: Money, input_cache_read: Money, input_cache_write: Money, internal_reasoning: Money });
const OrModel = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  created: z.number().nullish(),
  context_length: z.number().nullish(),
  hugging_face_id: z.string().nullish(),
  pricing: OrPricing.nullish(),
  top_provider: z.object({ context_length: z.number().nullish(), max_completion_tokens: z.number().nullish() }).nullish(),
  architecture: z.object({ input_modalities: z.array(z.string()).nullish(), output_modalities: z.array(z.string()).nullish() }).nullish(),
  supported_parameters: z.array(z.string()).nullish(),
});
type OrModel = z.infer<typeof OrModel>;
const OrEndpoint = z.object({
  provider_name: z.string(),
  context_length: z.number().nullish(),
  max_completion_tokens: z.number().nullish(),
  pricing: OrPricing.nullish(),
  quantization: z.string().nullish(),
  status: z.number().nullish(),
  uptime_last_30m: z.number().nullish(),
});

/** OpenRouter prices are USD per token as strings; ours are per million. `-1` means "varies": unknown. */
export function perMillion(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < 0) return null;
  return Number((n * 1e6).toPrecision(12)); // drops float noise such as 0.15000000000000002
}

function priceOf(p: z.infer<typeof OrPricing> | null | undefined): Price | null {
  const inputPerM = perMillion(p?.prompt);
  const outputPerM = perMillion(p?.completion);
  if (inputPerM === null || outputPerM === null) return null;
  // A zero cache or reasoning rate on a paid model means "not separately priced", not "free".
  const extra = (v: number | null) => (v !== null && v > 0 ? v : null);
  return {
    inputPerM,
    outputPerM,
    cacheReadPerM: extra(perMillion(p?.input_cache_read)),
    cacheWritePerM: extra(perMillion(p?.input_cache_write)),
    reasoningPerM: extra(perMillion(p?.internal_reasoning)),
    tiers: [],
  };
}

const posInt = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null);

function capabilitiesOf(m: OrModel, fallback: Capabilities | undefined): Capabilities {
  const params = m.supported_parameters;
  const inputs = m.architecture?.input_modalities ?? null;
  return {
    tools: params ? params.includes('tools') : (fallback?.tools ?? null),
    vision: inputs ? inputs.includes('image') : (fallback?.vision ?? null),
    json: params ? params.includes('response_format') || params.includes('structured_outputs') : (fallback?.json ?? null),
    reasoning: params ? params.includes('reasoning') || params.includes('include_reasoning') : (fallback?.reasoning ?? null),
  };
}

function modelOf(id: string, m: OrModel, e: CatalogEndpoint): CatalogModel {
  const inputs = m.architecture?.input_modalities ?? [];
  return {
    id,
    name: (m.name ?? m.id).replace(/^[^:]{1,40}:\s+/, ''), // "OpenAI: GPT-4o-mini" -> "GPT-4o-mini"
    family: null,
    reasoning: e.capabilities.reasoning,
    toolCall: e.capabilities.tools,
    attachment: inputs.length ? inputs.includes('file') || inputs.includes('image') : null,
    structuredOutput: e.capabilities.json,
    inputModalities: inputs,
    outputModalities: m.architecture?.output_modalities ?? [],
    contextWindow: e.contextWindow,
    maxOutput: e.maxOutput,
    releaseDate: m.created ? new Date(m.created * 1000).toISOString().slice(0, 10) : null,
    openWeights: m.hugging_face_id ? true : null,
  };
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** "Together" -> togetherai, "Google Vertex" -> google-vertex: exact, or with the common "AI" suffix. */
function providerMatcher(providers: readonly CatalogProvider[]): (name: string) => string | null {
  const byKey = new Map<string, string>();
  for (const p of providers) for (const k of [norm(p.id), norm(p.name)]) if (!byKey.has(k)) byKey.set(k, p.id);
  return (name) => byKey.get(norm(name)) ?? byKey.get(`${norm(name)}ai`) ?? null;
}

async function getJson(url: string, fetchImpl: typeof fetch, signal: AbortSignal | undefined): Promise<unknown> {
  let res: Response;
  try {
    res = await fetchImpl(url, { headers: { accept: 'application/json' }, signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new RefreshError(`could not reach ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new RefreshError(`${url} answered HTTP ${res.status}`);
  try {
    return await res.json();
  } catch {
    throw new RefreshError(`${url} did not return JSON`);
  }
}

/**
 * @example
 *   const { document } = await refreshFromOpenRouter({ base: catalog.toJSON(), signal });
 *   catalog.replaceDocument(document); // user overrides survive
 */
export async function refreshFromOpenRouter(opts: RefreshOptions): Promise<RefreshResult> {
  const baseUrl = (opts.baseUrl ?? 'https://openrouter.ai/api/v1').replace(/\/+$/, '');
  const fetchImpl = opts.fetchImpl ?? fetch;
  const { base, signal } = opts;

  const body = await getJson(`${baseUrl}/models`, fetchImpl, signal);
  const list = z.object({ data: z.array(z.unknown()) }).safeParse(body);
  if (!list.success) throw new RefreshError(`${baseUrl}/models: expected { data: [...] }`);

  const previous = new Map<string, CatalogEndpoint>();
  for (const e of base.endpoints) if (e.providerId === 'openrouter') previous.set(e.upstreamModel, e);

  let skipped = 0;
  let added = 0;
  let updated = 0;
  const fresh: CatalogEndpoint[] = [];
  const freshModels = new Map<string, CatalogModel>();
  const orById = new Map<string, string>(); // OpenRouter id -> canonical model id
  for (const raw of list.data.data) {
    const parsed = OrModel.safeParse(raw);
    if (!parsed.success) {
      skipped++;
      continue;
    }
    const m = parsed.data;
    const prior = previous.get(m.id);
    const modelId = prior?.modelId ?? canonicalFromOpenRouter(m.id);
    const e: CatalogEndpoint = {
      providerId: 'openrouter',
      upstreamModel: m.id,
      modelId,
      price: priceOf(m.pricing),
      contextWindow: posInt(m.context_length) ?? posInt(m.top_provider?.context_length),
      maxOutput: posInt(m.top_provider?.max_completion_tokens),
      capabilities: capabilitiesOf(m, prior?.capabilities),
    };
    if (!prior) added++;
    else if (JSON.stringify([prior.price, prior.contextWindow, prior.maxOutput]) !== JSON.stringify([e.price, e.contextWindow, e.maxOutput])) updated++;
    fresh.push(e);
    orById.set(m.id, modelId);
    if (!freshModels.has(modelId)) freshModels.set(modelId, modelOf(modelId, m, e));
  }
  const listed = new Set(fresh.map((e) => e.upstreamModel));
  const removed = [...previous.keys()].filter((id) => !listed.has(id)).length;

  const endpoints = [...base.endpoints.filter((e) => e.providerId !== 'openrouter'), ...fresh];
  const served = new Set(endpoints.map((e) => e.modelId));
  const servedBefore = new Set(base.endpoints.map((e) => e.modelId));
  const models = base.models.filter((m) => served.has(m.id) || !servedBefore.has(m.id));
  const known = new Set(models.map((m) => m.id));
  for (const [id, m] of freshModels) if (!known.has(id)) models.push(m);

  const providers = base.providers.some((p) => p.id === 'openrouter')
    ? base.providers
    : [...base.providers, { id: 'openrouter', name: 'OpenRouter', api: baseUrl, env: ['OPENROUTER_API_KEY'], doc: 'https://openrouter.ai/models', npm: null, protocol: 'openai' as const }];

  const { offers, errors, filled } = await fetchOffers(opts, baseUrl, fetchImpl, orById, providers, endpoints);

  return {
    document: {
      ...base,
      asOf: opts.asOf ?? new Date().toISOString().slice(0, 10),
      source: `${base.source.replace(/ \+ OpenRouter refresh.*$/, '')} + OpenRouter refresh`,
      providers,
      models,
      endpoints,
    },
    offers,
    stats: { listed: fresh.length, skipped, added, updated, removed, filled },
    errors,
  };
}

async function fetchOffers(
  opts: RefreshOptions,
  baseUrl: string,
  fetchImpl: typeof fetch,
  orById: ReadonlyMap<string, string>,
  providers: readonly CatalogProvider[],
  endpoints: CatalogEndpoint[],
): Promise<{ offers: ProviderOffer[]; errors: string[]; filled: number }> {
  const ids = [...new Set(opts.endpointsFor ?? [])];
  const offers: ProviderOffer[] = [];
  const errors: string[] = [];
  if (!ids.length) return { offers, errors, filled: 0 };
  const match = providerMatcher(providers);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const path = id.split('/').map(encodeURIComponent).join('/');
      try {
        const body = await getJson(`${baseUrl}/models/${path}/endpoints`, fetchImpl, opts.signal);
        const parsed = z.object({ data: z.object({ endpoints: z.array(z.unknown()) }) }).safeParse(body);
        if (!parsed.success) throw new RefreshError(`${id}: expected { data: { endpoints: [...] } }`);
        for (const raw of parsed.data.data.endpoints) {
          const o = OrEndpoint.safeParse(raw);
          if (!o.success) continue;
          offers.push({
            openrouterModel: id,
            modelId: orById.get(id) ?? canonicalFromOpenRouter(id),
            providerName: o.data.provider_name,
            providerId: match(o.data.provider_name),
            price: priceOf(o.data.pricing),
            contextWindow: posInt(o.data.context_length),
            maxOutput: posInt(o.data.max_completion_tokens),
            quantization: o.data.quantization ?? null,
            status: o.data.status ?? null,
            uptimeLast30m: o.data.uptime_last_30m ?? null,
          });
        }
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        errors.push((e as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, ids.length)) }, worker));
  return { offers, errors, filled: fillGaps(offers, endpoints) };
}

/** Fill only what models.dev left unknown, and only where exactly one direct endpoint matches. */
function fillGaps(offers: readonly ProviderOffer[], endpoints: CatalogEndpoint[]): number {
  const byProviderModel = new Map<string, number[]>();
  endpoints.forEach((e, i) => {
    const k = `${e.providerId}\u0000${e.modelId}`;
    const list = byProviderModel.get(k);
    if (list) list.push(i);
    else byProviderModel.set(k, [i]);
  });
  let filled = 0;
  for (const o of offers) {
    if (!o.providerId || o.providerId === 'openrouter') continue;
    const hits = byProviderModel.get(`${o.providerId}\u0000${o.modelId}`);
    if (!hits || hits.length !== 1) continue;
    const e = endpoints[hits[0]!]!;
    const next = { ...e, price: e.price ?? o.price, contextWindow: e.contextWindow ?? o.contextWindow, maxOutput: e.maxOutput ?? o.maxOutput };
    if (next.price !== e.price || next.contextWindow !== e.contextWindow || next.maxOutput !== e.maxOutput) {
      endpoints[hits[0]!] = next;
      filled++;
    }
  }
  return filled;
}
