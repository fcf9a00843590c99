/**
 * OpenRouter-style provider preferences applied before anything is sent.
 * An unknown fact never satisfies a constraint that asks for it: a user-added
 * endpoint with no stated data policy is not assumed to retain nothing.
 * Every exclusion carries its rule and a human reason, so "no endpoint" is
 * always explained rather than a bare refusal.
 */
import type { CapabilityName, Endpoint, Price, RoutingOptions } from '../../../shared/domain';

export interface Exclusion {
  endpointId: string;
  /** `only`, `ignore`, `misconfigured`, `zdr`, `noTraining`, `jurisdiction`, `maxPrice`, `context`, `modality`, `feature` or `capability`. */
  rule: string;
  detail: string;
}

export interface ConstraintContext {
  promptTokens: number;
  maxOutputTokens: number | null;
  /** Endpoints a 401/403/404/400 marked misconfigured, with the provider's message. */
  misconfigured?: ReadonlyMap<string, string>;
  /** Input modalities the request's attachments need (see shared/attachments.ts). */
  modalities?: ReadonlyArray<'image' | 'pdf'>;
  /** What the request uses that not every endpoint can do: tool definitions (`tools`), a response format (`json`). */
  features?: ReadonlyArray<'tools' | 'json'>;
}

const MODALITY_WORD = { image: 'images', pdf: 'PDFs' } as const;

type ConstraintRouting = Pick<
  RoutingOptions,
  'only' | 'ignore' | 'zdr' | 'noTraining' | 'jurisdictions' | 'maxPrice' | 'requireCapabilities'
>;

const CAPABILITY_LABEL: Record<CapabilityName, string> = {
  tools: 'tool calling',
  vision: 'image input',
  json: 'JSON output',
  reasoning: 'reasoning',
};

/** Input/output rates in force for a prompt of this size (the highest tier it exceeds prices it all). */
function ratesAt(price: Price, promptTokens: number): { input: number; output: number } {
  let input = price.inputPerM;
  let output = price.outputPerM;
  let above = -1;
  for (const t of price.tiers) {
    if (promptTokens > t.aboveInputTokens && t.aboveInputTokens > above) {
      above = t.aboveInputTokens;
      input = t.inputPerM;
      output = t.outputPerM;
    }
  }
  return { input, output };
}

function usd(n: number): string {
  return `$${Number(n.toPrecision(4))}/M`;
}

/**
 * The option lists normalised once per decision (provider ids are lowercase,
 * jurisdictions ISO uppercase). They hold a handful of ids, so `includes`
 * beats building Sets on a path that runs for every column.
 */
function prepare(r: ConstraintRouting): ConstraintRouting {
  return {
    ...r,
    only: r.only.map((x) => x.toLowerCase()),
    ignore: r.ignore.map((x) => x.toLowerCase()),
    jurisdictions: r.jurisdictions.map((x) => x.toUpperCase()),
  };
}

/** The first rule an endpoint breaks, or null when it satisfies them all. */
function firstBreach(e: Endpoint, r: ConstraintRouting, ctx: ConstraintContext): Omit<Exclusion, 'endpointId'> | null {
  if (r.only.length > 0 && !r.only.includes(e.providerId)) {
    return { rule: 'only', detail: `${e.providerId} not in ${r.only.join(', ')}` };
  }
  if (r.ignore.includes(e.providerId)) return { rule: 'ignore', detail: `${e.providerId} is ignored` };
  const mis = ctx.misconfigured?.get(e.id);
  if (mis !== undefined) return { rule: 'misconfigured', detail: mis };
  const p = e.policy;
  if (r.zdr && p.zdrAvailable !== true) {
    return { rule: 'zdr', detail: p.zdrAvailable === null ? 'zero data retention unknown' : 'zero data retention not offered' };
  }
  if (r.noTraining && p.trainsOnData !== false) {
    return { rule: 'noTraining', detail: p.trainsOnData === null ? 'training on prompts unknown' : 'trains on prompts' };
  }
  if (r.jurisdictions.length > 0) {
    if (p.jurisdiction === null) return { rule: 'jurisdiction', detail: 'jurisdiction unknown' };
    if (!r.jurisdictions.includes(p.jurisdiction.toUpperCase())) {
      return { rule: 'jurisdiction', detail: `${p.jurisdiction} not in ${r.jurisdictions.join(', ')}` };
    }
  }
  if (r.maxPrice) {
    if (e.price === null) return { rule: 'maxPrice', detail: 'price unknown' };
    const rate = ratesAt(e.price, ctx.promptTokens);
    if (rate.input > r.maxPrice.inputPerM) {
      return { rule: 'maxPrice', detail: `input ${usd(rate.input)} over ${usd(r.maxPrice.inputPerM)}` };
    }
    if (rate.output > r.maxPrice.outputPerM) {
      return { rule: 'maxPrice', detail: `output ${usd(rate.output)} over ${usd(r.maxPrice.outputPerM)}` };
    }
  }
  // Unknown context passes, unlike every other unknown: user-added endpoints almost never
  // state one, so failing it would make them unroutable for any prompt. The worst case is a
  // 400 from the provider, which fails over like any other misconfiguration.
  if (e.contextWindow !== null) {
    const need = ctx.promptTokens + (ctx.maxOutputTokens ?? 0);
    if (e.contextWindow < need) {
      return { rule: 'context', detail: `needs ${need} tokens, context window is ${e.contextWindow}` };
    }
  }
  // Unknown modalities pass, like an unknown context: a custom endpoint states none, and the
  // pre-flight warns instead (see estimate.ts). A known list without the modality is refused.
  const mods = e.inputModalities;
  if (mods && mods.length > 0) {
    for (const need of ctx.modalities ?? []) {
      if (!mods.includes(need)) return { rule: 'modality', detail: `does not accept ${MODALITY_WORD[need]} (catalog: input ${mods.join(', ')})` };
    }
  }
  // Like modalities: only a catalog that says "no" refuses; unknown is sent and the provider decides.
  for (const need of ctx.features ?? []) {
    if (e.capabilities[need] === false) return { rule: 'feature', detail: `cannot do ${CAPABILITY_LABEL[need]} (catalog: no ${need} capability), and the request has ${need === 'tools' ? 'tools' : 'a response format'}` };
  }
  for (const c of r.requireCapabilities) {
    const has = e.capabilities[c];
    if (has !== true) {
      return { rule: 'capability', detail: has === null ? `${CAPABILITY_LABEL[c]} unknown` : `no ${CAPABILITY_LABEL[c]}` };
    }
  }
  return null;
}

/**
 * Splits candidate endpoints into those that may serve the request and those
 * that may not (with the first rule each one breaks). Order is preserved.
 * @example applyConstraints(eps, RoutingOptions.parse({ zdr: true }), { promptTokens: 900, maxOutputTokens: 256 })
 */
export function applyConstraints(
  endpoints: Endpoint[],
  routing: ConstraintRouting,
  ctx: ConstraintContext,
): { eligible: Endpoint[]; excluded: Exclusion[] } {
  const eligible: Endpoint[] = [];
  const excluded: Exclusion[] = [];
  const r = prepare(routing);
  for (const e of endpoints) {
    const breach = firstBreach(e, r, ctx);
    if (breach === null) eligible.push(e);
    else excluded.push({ endpointId: e.id, rule: breach.rule, detail: breach.detail });
  }
  return { eligible, excluded };
}

/**
 * One line for the error a request fails with before anything is sent.
 * @example explainNoEndpoint('openai/gpt-4o-mini', [{ endpointId: 'openai:gpt-4o-mini', rule: 'jurisdiction', detail: 'US not in EU' }])
 * // 'no endpoint of openai/gpt-4o-mini satisfies the request: openai:gpt-4o-mini (jurisdiction: US not in EU)'
 */
export function explainNoEndpoint(target: string, excluded: Exclusion[]): string {
  if (excluded.length === 0) return `no endpoint of ${target} satisfies the request: no provider serves it`;
  // An attachment the model cannot take is the whole story: say it plainly.
  if (excluded.every((x) => x.rule === 'modality' || x.rule === 'feature')) return excluded.map((x) => `${x.endpointId} ${x.detail}`).join('; ');
  const parts = excluded.map((x) => `${x.endpointId} (${x.rule}: ${x.detail})`);
  return `no endpoint of ${target} satisfies the request: ${parts.join(', ')}`;
}
