/**
 * Curated data-policy facts per catalog provider: jurisdiction, regions,
 * retention, training and zero-data-retention availability, each with the
 * public page it comes from. models.dev carries none of this.
 *
 * Rule for curators: a fact is stated only when the provider's own page says
 * so; anything tier-dependent, contradictory or undocumented stays `null`
 * (unknown), and an unknown never satisfies a routing constraint.
 */
import { UNKNOWN_POLICY, type DataPolicy } from '../../../shared/domain';
import { CLOUD_FACTS, REGIONAL_FACTS } from './provider-facts-data';

/** The policy fields a curator can state, each of which may carry its own source. */
export type PolicyFactName = 'retainsPrompts' | 'retentionDays' | 'trainsOnData' | 'zdrAvailable' | 'jurisdiction' | 'regions';

export interface ProviderFacts {
  providerId: string;
  /** Merged into every catalog endpoint of this provider. `policy.sourceUrl` is the main page. */
  policy: DataPolicy;
  /** Where a fact comes from a page other than `policy.sourceUrl`. */
  sources: Partial<Record<PolicyFactName, string>>;
  /** Caveats a reviewer needs (tier differences, upstream dependence). */
  notes: string;
}

/** What a curator writes: unstated facts default to unknown. */
export interface FactInput {
  jurisdiction: string | null;
  regions?: string[];
  retainsPrompts?: boolean | null;
  retentionDays?: number | null;
  trainsOnData?: boolean | null;
  zdrAvailable?: boolean | null;
  source: string;
  sources?: Partial<Record<PolicyFactName, string>>;
  notes?: string;
}

/** Date the curated facts were last checked against the providers' pages. */
export const FACTS_AS_OF = '2026-11-24';

export function defineFacts(providerId: string, f: FactInput): ProviderFacts {
  return {
    providerId,
    policy: {
      retainsPrompts: f.retainsPrompts ?? null,
      retentionDays: f.retentionDays ?? null,
      trainsOnData: f.trainsOnData ?? null,
      zdrAvailable: f.zdrAvailable ?? null,
      jurisdiction: f.jurisdiction,
      regions: f.regions ?? [],
      sourceUrl: f.source,
      asOf: FACTS_AS_OF,
    },
    sources: f.sources ?? {},
    notes: f.notes ?? '',
  };
}

/**
 * Runtimes that execute on the user's own machine (or their own server):
 * nothing leaves it, so there is no third-party retention or training.
 */
export const LOCAL_RUNTIMES: Readonly<Record<string, string>> = {
  ollama: 'https://docs.ollama.com/faq',
  lmstudio: 'https://lmstudio.ai/app-privacy',
  vllm: 'https://docs.vllm.ai/en/latest/',
  'llama-cpp': 'https://github.com/ggml-org/llama.cpp',
};

function localFacts(providerId: string, source: string): ProviderFacts {
  return defineFacts(providerId, {
    jurisdiction: 'LOCAL',
    regions: ['LOCAL'],
    retainsPrompts: false,
    retentionDays: 0,
    trainsOnData: false,
    zdrAvailable: true,
    source,
    notes: 'Runs on your own hardware; prompts never reach a third party. Holds only if the base URL really is local.',
  });
}

function index(): Record<string, ProviderFacts> {
  const all: Record<string, ProviderFacts> = {};
  for (const [id, f] of Object.entries({ ...REGIONAL_FACTS, ...CLOUD_FACTS })) all[id] = defineFacts(id, f);
  for (const [id, url] of Object.entries(LOCAL_RUNTIMES)) all[id] = localFacts(id, url);
  return all;
}

/** @example PROVIDER_FACTS.openai.policy.retentionDays // 30 */
export const PROVIDER_FACTS: Readonly<Record<string, ProviderFacts>> = Object.freeze(index());

/**
 * The policy to merge into a provider's endpoints; `UNKNOWN_POLICY` (a fresh
 * copy) when nothing is curated, so callers can never mutate the shared facts.
 * @example policyFor('mistral').jurisdiction // 'EU'
 */
export function policyFor(providerId: string): DataPolicy {
  const f = PROVIDER_FACTS[providerId];
  const p = f ? f.policy : UNKNOWN_POLICY;
  return { ...p, regions: [...p.regions] };
}

/** Ids with curated facts, for coverage reports. */
export function curatedProviderIds(): string[] {
  return Object.keys(PROVIDER_FACTS).sort();
}
