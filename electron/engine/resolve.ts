/**
 * Target syntax -> candidate endpoints on the user's configured providers.
 * This is the seam between "what the user asked for" and the router: every
 * caller (CLI, UI, gateway) goes through it.
 */
import { UNKNOWN_POLICY, type Endpoint, type ProviderConfig } from '../../shared/domain';
import { parseTarget, TargetSyntaxError, type ParsedTarget, type TargetStep } from '../../shared/targets';
import { UserError } from './errors';
import { quote } from '../../shared/quote';

/** What the router needs from the catalog. */
export interface CatalogLike {
  /** The user's own price for an endpoint of a configured provider (no catalog load needed). */
  overrideFor?(providerId: string, upstreamModel: string): Endpoint['price'];
  endpointsFor(modelId: string): Endpoint[];
  findEndpoint(providerId: string, upstreamModel: string): Endpoint | null;
  hasModel(modelId: string): boolean;
}

export const EMPTY_CATALOG: CatalogLike = { endpointsFor: () => [], findEndpoint: () => null, hasModel: () => false };

/** An endpoint bound to the configured provider that will serve it. */
export interface Candidate {
  endpoint: Endpoint;
  provider: ProviderConfig;
}

export interface ResolvedStep {
  step: TargetStep;
  candidates: Candidate[];
}

/** The catalog provider this one stands for; null for providers the catalog does not know (a local vLLM). */
function catalogId(p: ProviderConfig): string | null {
  return p.catalogProvider;
}

function bareEndpoint(p: ProviderConfig, upstreamModel: string, modelId: string, source: Endpoint['source']): Endpoint {
  return {
    id: `${p.id}:${upstreamModel}`,
    providerId: p.id,
    upstreamModel,
    modelId,
    price: null,
    contextWindow: null,
    maxOutput: null,
    capabilities: { tools: null, vision: null, json: null, reasoning: null },
    policy: UNKNOWN_POLICY,
    source,
  };
}

/** The catalog's facts (price, limits, policy) re-homed on the user's provider id. */
function withCatalogFacts(catalog: CatalogLike, p: ProviderConfig, upstreamModel: string, modelId: string, source: Endpoint['source']): Endpoint {
  // Skipping the lookup for unknown providers also spares a CLI call the catalog's load time.
  const cid = catalogId(p);
  const known = cid ? catalog.findEndpoint(cid, upstreamModel) : null;
  // A price the user set for this very provider id wins over the catalog's (a negotiated rate, a private host).
  const own = catalog.overrideFor?.(p.id, upstreamModel) ?? null;
  if (!known) return { ...bareEndpoint(p, upstreamModel, modelId, source), price: own };
  return { ...known, id: `${p.id}:${upstreamModel}`, providerId: p.id, modelId: modelId || known.modelId, price: own ?? known.price, source };
}

export function resolveStep(step: TargetStep, providers: ReadonlyMap<string, ProviderConfig>, catalog: CatalogLike): ResolvedStep {
  if (step.kind === 'direct') {
    const p = providers.get(step.provider);
    if (!p) throw new UserError(`unknown provider ${quote(step.provider)} in target ${quote(step.raw)} (configured: ${[...providers.keys()].join(', ') || 'none'})`, 'not_found');
    const served = p.serves.find((s) => s.upstreamModel === step.upstreamModel);
    const ep = withCatalogFacts(catalog, p, step.upstreamModel, served?.modelId ?? '', 'direct');
    if (!ep.modelId) ep.modelId = step.upstreamModel;
    return { step, candidates: [{ endpoint: ep, provider: p }] };
  }

  const pinned = step.kind === 'pinned' ? step.provider : null;
  if (pinned && !providers.has(pinned)) {
    throw new UserError(`unknown provider ${quote(pinned)} in target ${quote(step.raw)} (configured: ${[...providers.keys()].join(', ') || 'none'})`, 'not_found');
  }
  const out = new Map<string, Candidate>();
  for (const p of providers.values()) {
    if (pinned && p.id !== pinned) continue;
    for (const s of p.serves) {
      if (s.modelId !== step.modelId) continue;
      const ep = withCatalogFacts(catalog, p, s.upstreamModel, step.modelId, 'user');
      out.set(ep.id, { endpoint: ep, provider: p });
    }
  }
  const fromCatalog = catalog.endpointsFor(step.modelId);
  for (const known of fromCatalog) {
    for (const p of providers.values()) {
      if (pinned && p.id !== pinned) continue;
      if (catalogId(p) !== known.providerId) continue;
      // The user's own mapping for this provider and model replaces the catalog's default upstream.
      if (p.serves.some((x) => x.modelId === step.modelId)) continue;
      const id = `${p.id}:${known.upstreamModel}`;
      // As for a direct target: the user's price for this very provider id wins over the catalog's.
      const own = catalog.overrideFor?.(p.id, known.upstreamModel) ?? null;
      if (!out.has(id)) out.set(id, { endpoint: { ...known, id, providerId: p.id, price: own ?? known.price }, provider: p });
    }
  }
  if (out.size === 0) {
    if (!catalog.hasModel(step.modelId) && fromCatalog.length === 0) {
      throw new UserError(
        `unknown model ${quote(step.modelId)} in target ${quote(step.raw)}: not in the catalog and no provider serves it (add one with --serve ${step.modelId.length <= 60 ? step.modelId : '<model-id>'}=<upstream-model>, or use provider:model)`,
        'not_found',
      );
    }
    const where = [...new Set(fromCatalog.map((e) => e.providerId))].slice(0, 8).join(', ');
    throw new UserError(
      pinned
        ? `provider ${quote(pinned)} does not serve ${quote(step.modelId)} (target ${quote(step.raw)})`
        : `no configured provider serves ${quote(step.modelId)}${where ? ` (the catalog lists it at: ${where})` : ''}; add one with switchyard providers add`,
      'not_found',
    );
  }
  return { step, candidates: [...out.values()] };
}

export function parseTargetOrThrow(raw: string): ParsedTarget {
  try {
    return parseTarget(raw);
  } catch (err) {
    if (err instanceof TargetSyntaxError) throw new UserError(err.message);
    throw err;
  }
}

export function resolveTarget(raw: string, providers: ReadonlyMap<string, ProviderConfig>, catalog: CatalogLike): ResolvedStep[] {
  return parseTargetOrThrow(raw).steps.map((s) => resolveStep(s, providers, catalog));
}
