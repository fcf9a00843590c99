import type { ProviderType } from '../../../shared/domain';
import { anthropicAdapter } from './anthropic';
import { geminiAdapter } from './gemini';
import { openaiAdapter } from './openai';
import type { ProviderAdapter } from './types';

const adapters: Record<ProviderType, ProviderAdapter> = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
};

/**
 * The wire-protocol adapter for a provider type.
 * @example const outcome = await getAdapter('anthropic').stream(req, sink);
 */
export function getAdapter(type: ProviderType): ProviderAdapter {
  return adapters[type];
}

export { ProviderRequestError, errorKindForStatus, extractProviderMessage, parseRetryAfter } from './sse';
export type * from './types';
