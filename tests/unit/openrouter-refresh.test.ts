import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../electron/engine/catalog/catalog';
import type { CatalogDocument, CatalogEndpoint } from '../../electron/engine/catalog/document';
import { RefreshError, canonicalFromOpenRouter, perMillion, refreshFromOpenRouter } from '../../electron/engine/catalog/openrouter-refresh';
import { startOpenRouterMock, type OpenRouterMock } from '../mocks/openrouter-mock';

const caps = { tools: true, vision: true, json: true, reasoning: false };
const ep = (providerId: string, upstreamModel: string, modelId: string, inputPerM: number | null, contextWindow: number | null = 128000): CatalogEndpoint => ({
  providerId,
  upstreamModel,
  modelId,
  price: inputPerM === null ? null : { inputPerM, outputPerM: inputPerM * 4, cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers: [] },
  contextWindow,
  maxOutput: 16384,
  capabilities: caps,
});
const model = (id: string) => ({
  id, name: id, family: null, reasoning: null, toolCall: null, attachment: null, structuredOutput: null,
  inputModalities: ['text'], outputModalities: ['text'], contextWindow: null, maxOutput: null, releaseDate: null, openWeights: null,
});

function base(): CatalogDocument {
  return {
    asOf: '2026-07-02',
    source: 'models.dev open model database',
    license: 'MIT License (models.dev)',
    providers: [
      { id: 'openai', name: 'OpenAI', api: 'https://api.openai.com/v1', env: [], doc: null, npm: null, protocol: 'openai' },
      { id: 'azure', name: 'Azure', api: null, env: [], doc: null, npm: null, protocol: null },
      { id: 'openrouter', name: 'OpenRouter', api: 'https://openrouter.ai/api/v1', env: [], doc: null, npm: null, protocol: 'openai' },
    ],
    models: [model('openai/gpt-4o-mini'), model('old/delisted-model')],
    endpoints: [
      ep('openai', 'gpt-4o-mini', 'openai/gpt-4o-mini', 0.15),
      ep('azure', 'gpt-4o-mini', 'openai/gpt-4o-mini', 0.15, null),
      ep('openrouter', 'openai/gpt-4o-mini', 'openai/gpt-4o-mini', 0.2),
      ep('openrouter', 'old/delisted-model', 'old/delisted-model', 1),
    ],
    overrides: [],
  };
}

let mock: OpenRouterMock;
beforeAll(async () => {
  mock = await startOpenRouterMock();
});
afterAll(async () => {
  await mock.close();
});

describe('refreshFromOpenRouter', () => {
  it('replaces OpenRouter endpoints from /models, converting per-token prices to per-million', async () => {
    const { document, stats } = await refreshFromOpenRouter({ base: base(), baseUrl: mock.baseUrl, asOf: '2026-11-24' });
    expect(mock.requests).toContain('/api/v1/models');
    expect(document.asOf).toBe('2026-11-24');
    expect(document.license).toBe('MIT License (models.dev)');
    expect(document.source).toBe('models.dev open model database + OpenRouter refresh');

    const or = (id: string) => document.endpoints.find((e) => e.providerId === 'openrouter' && e.upstreamModel === id);
    expect(or('openai/gpt-4o-mini')).toEqual({
      providerId: 'openrouter',
      upstreamModel: 'openai/gpt-4o-mini',
      modelId: 'openai/gpt-4o-mini',
      price: { inputPerM: 0.15, outputPerM: 0.6, cacheReadPerM: 0.075, cacheWritePerM: null, reasoningPerM: null, tiers: [] },
      contextWindow: 128000,
      maxOutput: 16384,
      capabilities: { tools: true, vision: true, json: true, reasoning: false },
    });
    expect(or('newlab/brand-new-model')).toMatchObject({
      modelId: 'newlab/brand-new-model',
      price: { inputPerM: 0.2, outputPerM: 0.8, reasoningPerM: 1 },
      contextWindow: 262144,
      maxOutput: 65536,
      capabilities: { tools: true, vision: false, json: false, reasoning: true },
    });
    expect(or('openrouter/auto')?.price).toBeNull(); // "-1" means the price varies
    expect(or('meta-llama/llama-3.3-70b-instruct:free')).toMatchObject({ modelId: 'meta/llama-3.3-70b-instruct', price: { inputPerM: 0, outputPerM: 0 } });
    expect(or('old/delisted-model')).toBeUndefined();

    // Other providers untouched.
    expect(document.endpoints.filter((e) => e.providerId !== 'openrouter')).toEqual(base().endpoints.filter((e) => e.providerId !== 'openrouter'));
    expect(stats).toEqual({ listed: 4, skipped: 1, added: 3, updated: 1, removed: 1, filled: 0 });

    const ids = document.models.map((m) => m.id);
    expect(ids).not.toContain('old/delisted-model');
    expect(document.models.find((m) => m.id === 'newlab/brand-new-model')).toMatchObject({
      name: 'Brand New Model',
      releaseDate: '2025-10-09',
      openWeights: true,
      reasoning: true,
      contextWindow: 262144,
    });
  });

  it('fetches per-provider endpoints on request and fills only unknown facts', async () => {
    mock.set('/api/v1/models/newlab/brand-new-model/endpoints', { status: 500 });
    const r = await refreshFromOpenRouter({ base: base(), baseUrl: mock.baseUrl, endpointsFor: ['openai/gpt-4o-mini', 'newlab/brand-new-model'] });
    expect(mock.requests).toContain('/api/v1/models/openai/gpt-4o-mini/endpoints');
    expect(r.offers.map((o) => [o.providerName, o.providerId, o.price?.inputPerM, o.uptimeLast30m])).toEqual([
      ['OpenAI', 'openai', 0.15, 99.91],
      ['Azure', 'azure', 0.15, 98.4],
    ]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/brand-new-model\/endpoints answered HTTP 500/);
    // Azure's unknown context window is filled from the offer; OpenAI's known data is not overwritten.
    expect(r.stats.filled).toBe(1);
    expect(r.document.endpoints.find((e) => e.providerId === 'azure')?.contextWindow).toBe(128000);
    expect(r.document.endpoints.find((e) => e.providerId === 'openai')).toEqual(base().endpoints[0]);
  });

  it('keeps user overrides when the catalog takes the refreshed document', async () => {
    const catalog = new Catalog(base());
    catalog.applyOverrides([{ providerId: 'openrouter', upstreamModel: 'openai/gpt-4o-mini', price: { inputPerM: 0.01, outputPerM: 0.02 } }]);
    const { document } = await refreshFromOpenRouter({ base: catalog.toJSON(), baseUrl: mock.baseUrl });
    catalog.replaceDocument(document);
    expect(catalog.findEndpoint('openrouter', 'openai/gpt-4o-mini')).toMatchObject({ source: 'user', price: { inputPerM: 0.01 } });
    expect(catalog.findEndpoint('openrouter', 'newlab/brand-new-model')?.price?.inputPerM).toBe(0.2);
    expect(catalog.search({ query: 'brand new' })[0]?.model.id).toBe('newlab/brand-new-model');
  });

  it('reports HTTP failures and honours abort', async () => {
    mock.set('/api/v1/models', { status: 503 });
    await expect(refreshFromOpenRouter({ base: base(), baseUrl: mock.baseUrl })).rejects.toThrow(RefreshError);
    await expect(refreshFromOpenRouter({ base: base(), baseUrl: mock.baseUrl })).rejects.toThrow(/answered HTTP 503/);
    mock.set('/api/v1/models', { status: 200, body: { models: [] } });
    await expect(refreshFromOpenRouter({ base: base(), baseUrl: mock.baseUrl })).rejects.toThrow(/expected \{ data: \[\.\.\.\] \}/);
    await expect(refreshFromOpenRouter({ base: base(), baseUrl: 'http://127.0.0.1:9/api/v1' })).rejects.toThrow(/could not reach/);
    const aborted = AbortSignal.abort();
    await expect(refreshFromOpenRouter({ base: base(), baseUrl: mock.baseUrl, signal: aborted })).rejects.toThrow(/abort/i);
  });
});

describe('helpers', () => {
  it('convert per-token strings without float noise', () => {
    expect(perMillion('0.00000015')).toBe(0.15);
    expect(perMillion('0.0000006')).toBe(0.6);
    expect(perMillion('0.000003')).toBe(3);
    expect(perMillion(1.25e-6)).toBe(1.25);
    expect(perMillion('-1')).toBeNull();
    expect(perMillion('')).toBeNull();
    expect(perMillion('n/a')).toBeNull();
  });

  it('canonicalise OpenRouter ids like the build script', () => {
    expect(canonicalFromOpenRouter('x-ai/grok-4')).toBe('xai/grok-4');
    expect(canonicalFromOpenRouter('mistralai/Mistral-Small-3.2-24B-Instruct')).toBe('mistral/mistral-small-3.2-24b-instruct');
    expect(canonicalFromOpenRouter('qwen/qwen3-32b:free')).toBe('alibaba/qwen3-32b');
    expect(canonicalFromOpenRouter('~anthropic/claude-sonnet-latest')).toBe('anthropic/claude-sonnet-latest');
  });
});
