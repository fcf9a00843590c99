/** Shared bits of the adapter tests: a recording sink and request builder. */
import type { ProviderType } from '../../../shared/domain';
import type { AdapterRequest, StreamSink } from '../../../electron/engine/providers/types';
import type { MockProviders } from '../../mocks/provider-server';

export const KEY = 'sk-test-key-1234';
export const PROTOCOLS: ProviderType[] = ['openai', 'anthropic', 'gemini'];

export const FINISH: Record<ProviderType, { stop: string; length: string }> = {
  openai: { stop: 'stop', length: 'length' },
  anthropic: { stop: 'end_turn', length: 'max_tokens' },
  gemini: { stop: 'STOP', length: 'MAX_TOKENS' },
};

export interface Recorded extends StreamSink {
  text: string;
  reasoning: string;
  /** Every onText/onReasoning call, in order, with its arrival time. */
  calls: Array<{ channel: 'text' | 'reasoning'; delta: string; at: number; chunksBefore: number }>;
  openedAt: number | null;
  chunks: number;
}

export function recorder(): Recorded {
  const r: Recorded = {
    text: '',
    reasoning: '',
    calls: [],
    openedAt: null,
    chunks: 0,
    onOpen() {
      r.openedAt = performance.now();
    },
    onChunk() {
      r.chunks++;
    },
    onText(delta) {
      r.text += delta;
      r.calls.push({ channel: 'text', delta, at: performance.now(), chunksBefore: r.chunks });
    },
    onReasoning(delta) {
      r.reasoning += delta;
      r.calls.push({ channel: 'reasoning', delta, at: performance.now(), chunksBefore: r.chunks });
    },
  };
  return r;
}

export function request(mock: MockProviders, type: ProviderType, model: string, extra: Partial<AdapterRequest> = {}): AdapterRequest {
  return {
    baseUrl: mock.baseUrls[type],
    apiKey: KEY,
    model,
    messages: [{ role: 'user', content: 'hello mock world' }],
    params: {},
    signal: new AbortController().signal,
    ...extra,
  };
}

/** The mock's record of the one request made for `model` (fails if there were several: adapters never retry). */
export function onlyRequest(mock: MockProviders, model: string) {
  const matching = mock.requests.filter((r) => r.model === model);
  if (matching.length !== 1) throw new Error(`expected exactly one request for ${model}, saw ${matching.length}`);
  return matching[0]!;
}

/** Resolves when `check` holds, polling; rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
