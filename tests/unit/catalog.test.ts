import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_POLICY } from '../../shared/domain';
import { Catalog, shippedCatalogPath } from '../../electron/engine/catalog/catalog';
import { CatalogFormatError, parseCatalogDocument, type CatalogDocument } from '../../electron/engine/catalog/document';
import { PROVIDER_FACTS, curatedProviderIds, policyFor } from '../../electron/engine/catalog/provider-facts';

let catalog: Catalog;
let shipped: CatalogDocument;

beforeAll(() => {
  // Full zod validation of the shipped file: the app itself skips it at start-up and relies on this.
  shipped = parseCatalogDocument(readFileSync(shippedCatalogPath(), 'utf8'));
  catalog = new Catalog(shipped);
});

const tiny = (): CatalogDocument => ({
  asOf: '2026-07-02',
  source: 'test',
  license: 'MIT',
  providers: [
    { id: 'openai', name: 'OpenAI', api: 'https://api.openai.com/v1', env: [], doc: null, npm: null, protocol: 'openai' },
    { id: 'acme', name: 'Acme', api: null, env: [], doc: null, npm: null, protocol: null },
  ],
  models: [
    {
      id: 'openai/gpt-4o-mini', name: 'GPT-4o mini', family: 'gpt-mini', reasoning: false, toolCall: true, attachment: true, structuredOutput: true,
      inputModalities: ['text', 'image'], outputModalities: ['text'], contextWindow: 128000, maxOutput: 16384, releaseDate: '2024-07-18', openWeights: false,
    },
  ],
  endpoints: [
    {
      providerId: 'openai', upstreamModel: 'gpt-4o-mini', modelId: 'openai/gpt-4o-mini', contextWindow: 128000, maxOutput: 16384,
      price: { inputPerM: 0.15, outputPerM: 0.6, cacheReadPerM: 0.075, cacheWritePerM: null, reasoningPerM: null, tiers: [] },
      capabilities: { tools: true, vision: true, json: true, reasoning: false },
    },
    {
      providerId: 'acme', upstreamModel: 'mini', modelId: 'openai/gpt-4o-mini', contextWindow: null, maxOutput: null, price: null,
      capabilities: { tools: null, vision: null, json: null, reasoning: null },
    },
  ],
  overrides: [],
});

describe('shipped catalog', () => {
  it('covers at least 100 providers and 3000 endpoints, with the models.dev licence', () => {
    const s = catalog.stats();
    expect(s.providers).toBeGreaterThanOrEqual(100);
    expect(s.endpoints).toBeGreaterThanOrEqual(3000);
    expect(catalog.asOf).toBe('2026-07-02');
    expect(catalog.license).toContain('Copyright (c) 2025 models.dev');
    expect(catalog.license).toContain('Permission is hereby granted, free of charge');
  });

  it('serves openai/gpt-4o-mini directly and through OpenRouter at 0.15/0.6', () => {
    const eps = catalog.endpointsFor('openai/gpt-4o-mini');
    for (const p of ['openai', 'openrouter']) {
      const e = eps.find((x) => x.providerId === p);
      expect(e, p).toBeDefined();
      expect(e!.price?.inputPerM).toBe(0.15);
      expect(e!.price?.outputPerM).toBe(0.6);
      expect(e!.source).toBe('catalog');
      expect(e!.id).toBe(`${p}:${e!.upstreamModel}`);
    }
    expect(catalog.findEndpoint('openai', 'gpt-4o-mini')?.modelId).toBe('openai/gpt-4o-mini');
    expect(catalog.findEndpoint('openrouter', 'openai/gpt-4o-mini')?.modelId).toBe('openai/gpt-4o-mini');
  });

  it('merges curated data policies, unknown otherwise', () => {
    const openai = catalog.findEndpoint('openai', 'gpt-4o-mini')!;
    expect(openai.policy).toMatchObject({ jurisdiction: 'US', retentionDays: 30, trainsOnData: false, zdrAvailable: true });
    expect(openai.policy.sourceUrl).toMatch(/^https:\/\//);
    const helicone = catalog.endpointsFor('openai/gpt-4o-mini').find((e) => e.providerId === 'helicone')!;
    expect(helicone.policy).toEqual(UNKNOWN_POLICY);
  });

  it('finds models case-insensitively and knows protocols', () => {
    expect(catalog.getModel('OpenAI/GPT-4o-mini')?.name).toBe('GPT-4o mini');
    expect(catalog.hasModel('nobody/nothing')).toBe(false);
    const protocol = (id: string) => catalog.getProvider(id)?.protocol;
    expect(protocol('openai')).toBe('openai');
    expect(protocol('anthropic')).toBe('anthropic');
    expect(protocol('google')).toBe('gemini');
    expect(protocol('groq')).toBe('openai');
    expect(protocol('amazon-bedrock')).toBeNull();
    expect(catalog.getProvider('openai')?.api).toBe('https://api.openai.com/v1');
  });

  it('maps models.dev context tiers onto price tiers', () => {
    const e = catalog.findEndpoint('302ai', 'claude-opus-4-7')!;
    expect(e.modelId).toBe('anthropic/claude-opus-4-7');
    expect(e.price?.tiers).toEqual([{ aboveInputTokens: 200_000, inputPerM: 10, outputPerM: 37.5, cacheReadPerM: 1 }]);
  });

  it('links resellers to the lab model (base_model, lab/model ids, version spellings)', () => {
    const providers = catalog.endpointsFor('anthropic/claude-opus-4-1-20250805').map((e) => e.providerId);
    expect(providers).toEqual(expect.arrayContaining(['anthropic', 'amazon-bedrock', 'google-vertex']));
  });
});

describe('search', () => {
  it('ranks the exact model first', () => {
    expect(catalog.search({ query: 'gpt-4o-mini' })[0]?.model.id).toBe('openai/gpt-4o-mini');
    expect(catalog.search({ query: 'GPT-4o mini' }).map((h) => h.model.id)).toContain('openai/gpt-4o-mini');
  });

  it('filters by provider, capability, modality, price, context', () => {
    const byProvider = catalog.search({ provider: 'mistral', limit: 500 });
    expect(byProvider.length).toBeGreaterThan(5);
    for (const h of byProvider) expect(h.endpoints.every((e) => e.providerId === 'mistral')).toBe(true);

    for (const h of catalog.search({ capability: ['tools', 'vision'], limit: 200 }))
      for (const e of h.endpoints) expect(e.capabilities.tools && e.capabilities.vision).toBe(true);

    const audio = catalog.search({ modality: 'audio', limit: 200 });
    expect(audio.length).toBeGreaterThan(0);
    for (const h of audio) expect(h.model.inputModalities).toContain('audio');

    for (const h of catalog.search({ maxInputPrice: 0.5, limit: 300 })) for (const e of h.endpoints) expect(e.price!.inputPerM).toBeLessThanOrEqual(0.5);

    for (const h of catalog.search({ minContext: 1_000_000, limit: 300 }))
      for (const e of h.endpoints) expect(e.contextWindow ?? h.model.contextWindow).toBeGreaterThanOrEqual(1_000_000);
  });

  it('filters by data policy: ZDR and jurisdiction', () => {
    const zdr = catalog.search({ query: 'claude', zdr: true, limit: 100 });
    expect(zdr.length).toBeGreaterThan(0);
    for (const h of zdr) for (const e of h.endpoints) expect(e.policy.zdrAvailable === true || e.policy.retainsPrompts === false).toBe(true);

    const eu = catalog.search({ jurisdiction: 'eu', limit: 500 });
    expect(eu.some((h) => h.endpoints.some((e) => e.providerId === 'mistral'))).toBe(true);
    for (const h of eu) for (const e of h.endpoints) expect(e.policy.jurisdiction).toBe('EU');
  });

  it('applies endpoint filters to one same endpoint', () => {
    expect(catalog.search({ provider: 'openai', jurisdiction: 'EU' })).toEqual([]);
  });

  it('sorts and limits', () => {
    const cheap = catalog.search({ query: 'llama', sort: 'price', limit: 20 });
    expect(cheap).toHaveLength(20);
    const prices = cheap.map((h) => h.minInputPerM ?? Infinity);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const ctx = catalog.search({ sort: 'context', limit: 5 }).map((h) => Math.max(...h.endpoints.map((e) => e.contextWindow ?? 0)));
    expect(ctx).toEqual([...ctx].sort((a, b) => b - a));
  });

  it('answers in well under 20 ms', () => {
    const queries = ['claude', 'gpt', 'llama 70b', 'gemini flash', 'qwen coder', 'mistral', 'deepseek', 'kimi', ''];
    const times: number[] = [];
    for (let round = 0; round < 5; round++)
      for (const q of queries) {
        const t = performance.now();
        catalog.search({ query: q, zdr: round % 2 === 0, sort: 'price' });
        times.push(performance.now() - t);
      }
    times.sort((a, b) => a - b);
    expect(times[times.length >> 1]).toBeLessThan(20);
  });
});

describe('overrides', () => {
  const cheaper = { providerId: 'openai', upstreamModel: 'gpt-4o-mini', price: { inputPerM: 0.1, outputPerM: 0.4 } };
  const custom = { providerId: 'my-vllm', upstreamModel: 'llama-local', modelId: 'openai/gpt-4o-mini', price: { inputPerM: 0, outputPerM: 0 } };

  it('replace a catalog price and add custom endpoints, marked as the user’s', () => {
    const c = new Catalog(tiny());
    c.applyOverrides([cheaper, custom]);
    expect(c.findEndpoint('openai', 'gpt-4o-mini')).toMatchObject({ source: 'user', price: { inputPerM: 0.1, outputPerM: 0.4, cacheReadPerM: null } });
    const mine = c.findEndpoint('my-vllm', 'llama-local')!;
    expect(mine).toMatchObject({ source: 'user', modelId: 'openai/gpt-4o-mini', policy: UNKNOWN_POLICY });
    expect(c.endpointsFor('openai/gpt-4o-mini').map((e) => e.providerId).sort()).toEqual(['acme', 'my-vllm', 'openai']);
    c.applyOverrides([]);
    expect(c.findEndpoint('openai', 'gpt-4o-mini')?.price?.inputPerM).toBe(0.15);
    expect(c.findEndpoint('my-vllm', 'llama-local')).toBeNull();
  });

  it('survive a refresh and round-trip through export/import', () => {
    const c = new Catalog(tiny());
    c.applyOverrides([cheaper]);
    const refreshed = tiny();
    refreshed.asOf = '2026-08-01';
    refreshed.endpoints[0]!.price!.inputPerM = 0.2;
    refreshed.endpoints[1]!.price = { inputPerM: 0.12, outputPerM: 0.5, cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers: [] };
    c.replaceDocument(refreshed);
    expect(c.asOf).toBe('2026-08-01');
    expect(c.findEndpoint('openai', 'gpt-4o-mini')?.price?.inputPerM).toBe(0.1);
    expect(c.findEndpoint('acme', 'mini')?.price?.inputPerM).toBe(0.12);

    const again = Catalog.fromJSON(JSON.stringify(c.toJSON()));
    expect(again.findEndpoint('openai', 'gpt-4o-mini')?.price?.inputPerM).toBe(0.1);
    expect(again.toJSON().endpoints[0]!.price!.inputPerM).toBe(0.2); // the base data stays the refreshed one
  });

  it('never leak mutations into the caller’s document', () => {
    const doc = tiny();
    const c = new Catalog(doc);
    expect(() => {
      (c.findEndpoint('openai', 'gpt-4o-mini')!.price as { inputPerM: number }).inputPerM = 9;
    }).toThrow(TypeError);
    doc.endpoints[0]!.price!.inputPerM = 7; // still writable: the catalog froze its own copies only
    expect(c.findEndpoint('openai', 'gpt-4o-mini')?.price?.inputPerM).toBe(0.15);
  });
});

describe('import', () => {
  it('rejects a malformed document with one clear line', () => {
    const bad = { ...tiny(), asOf: 'last tuesday' };
    expect(() => Catalog.fromJSON(bad)).toThrow(CatalogFormatError);
    expect(() => Catalog.fromJSON(bad)).toThrow(/^not a catalog file: asOf: asOf must be a YYYY-MM-DD date$/);

    const wrongType = tiny() as unknown as { endpoints: Array<{ price: { inputPerM: unknown } }> };
    wrongType.endpoints[0]!.price.inputPerM = '0.15';
    expect(() => Catalog.fromJSON(wrongType)).toThrow(/^not a catalog file: endpoints\.0\.price\.inputPerM: /);

    expect(() => Catalog.fromJSON('{"asOf": ')).toThrow(/^not a catalog file: invalid JSON/);
    expect(() => Catalog.fromJSON({ hello: 'world' })).toThrow(/and \d+ more problems/);
    try {
      Catalog.fromJSON([]);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });
});

describe('provider facts', () => {
  it('curate at least 25 catalog providers, each with a source and date', () => {
    const ids = new Set(shipped.providers.map((p) => p.id));
    const curated = curatedProviderIds().filter((id) => ids.has(id));
    expect(curated.length).toBeGreaterThanOrEqual(25);
    for (const id of curatedProviderIds()) {
      const { policy } = PROVIDER_FACTS[id]!;
      expect(policy.sourceUrl, id).toMatch(/^https:\/\//);
      expect(policy.asOf, id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (policy.retentionDays !== null) expect(policy.retainsPrompts !== null, id).toBe(true);
    }
  });

  it('treat local runtimes as local with no retention', () => {
    for (const id of ['ollama', 'lmstudio', 'vllm'])
      expect(policyFor(id)).toMatchObject({ jurisdiction: 'LOCAL', retainsPrompts: false, retentionDays: 0, trainsOnData: false });
    expect(policyFor('mistral').jurisdiction).toBe('EU');
    expect(policyFor('no-such-provider')).toEqual(UNKNOWN_POLICY);
  });
});
