import { beforeAll, describe, expect, it } from 'vitest';
import { spellingAliases, spellingKey } from '../../electron/engine/catalog/aliases';
import { Catalog } from '../../electron/engine/catalog/catalog';
import type { CatalogDocument } from '../../electron/engine/catalog/document';
import type { Price } from '../../shared/domain';

const price = (inputPerM: number, outputPerM: number): Price => ({ inputPerM, outputPerM, cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers: [] });
const caps = { tools: null, vision: null, json: null, reasoning: null };
const provider = (id: string) => ({ id, name: id.toUpperCase(), api: null, env: [], doc: null, npm: null, protocol: null });
const model = (id: string, name: string) => ({
  id, name, family: null, reasoning: null, toolCall: null, attachment: null, structuredOutput: null,
  inputModalities: ['text'], outputModalities: ['text'], contextWindow: null, maxOutput: null, releaseDate: null, openWeights: null,
});
const endpoint = (providerId: string, upstreamModel: string, modelId: string, p: Price | null) => ({ providerId, upstreamModel, modelId, price: p, contextWindow: null, maxOutput: null, capabilities: caps });

/** Anthropic's own spelling beside a reseller's, a free tier, and a model with no price at all. */
const doc = (): CatalogDocument => ({
  asOf: '2026-07-02', source: 'test', license: 'MIT',
  providers: ['anthropic', 'resell', 'freebie', 'other'].map(provider),
  models: [model('anthropic/claude-sonnet-4-6', 'Claude Sonnet 4.6'), model('anthropic/claude-sonnet-4.6', 'Claude Sonnet 4.6 (reseller)'), model('lab/open-1', 'Open 1'), model('lab/nothing', 'Nothing')],
  endpoints: [
    endpoint('anthropic', 'claude-sonnet-4-6', 'anthropic/claude-sonnet-4-6', price(3, 15)),
    endpoint('resell', 'anthropic/claude-sonnet-4.6', 'anthropic/claude-sonnet-4.6', price(2.5, 14)),
    endpoint('other', 'claude-sonnet-4.6', 'anthropic/claude-sonnet-4.6', price(2.5, 12)),
    endpoint('freebie', 'open-1:free', 'lab/open-1', price(0, 0)),
    endpoint('resell', 'open-1', 'lab/open-1', price(0.2, 0.8)),
    endpoint('freebie', 'nothing:free', 'lab/nothing', price(0, 0)),
  ],
  overrides: [],
});

let catalog: Catalog;
beforeAll(() => {
  catalog = new Catalog(doc());
});

describe('one model under two spellings', () => {
  it('keys only a - or . between two digits', () => {
    expect(spellingKey('anthropic/claude-sonnet-4-6')).toBe(spellingKey('anthropic/claude-sonnet-4.6'));
    expect(spellingKey('alibaba/qwen2-5-7b-instruct')).toBe(spellingKey('alibaba/qwen2.5-7b-instruct'));
    expect(spellingKey('openai/gpt-4o-mini')).not.toBe(spellingKey('openai/gpt-4o.mini'));
    expect(spellingKey('meta/llama-3-8b')).not.toBe(spellingKey('meta/llama-38b'));
  });

  it('keeps the id the lab itself serves, then the one with more endpoints', () => {
    const facts = (providers: Record<string, string[]>) => ({ providersOf: (id: string) => providers[id] ?? [], hasRecord: () => true });
    expect(spellingAliases(['a/m-4.6', 'a/m-4-6'], facts({ 'a/m-4-6': ['a'], 'a/m-4.6': ['x', 'y'] }))).toEqual(new Map([['a/m-4.6', 'a/m-4-6']]));
    expect(spellingAliases(['a/m-4-6', 'a/m-4.6'], facts({ 'a/m-4-6': ['x'], 'a/m-4.6': ['x', 'y'] }))).toEqual(new Map([['a/m-4-6', 'a/m-4.6']]));
    expect(spellingAliases(['a/m-1', 'b/m-2'], facts({}))).toEqual(new Map());
  });

  it('is one model with both spellings, resolvable by either, every endpoint under it', () => {
    const byHyphen = catalog.getModel('anthropic/claude-sonnet-4-6')!;
    const byDot = catalog.getModel('anthropic/claude-sonnet-4.6')!;
    expect(byDot).toBe(byHyphen);
    expect(byHyphen).toMatchObject({ id: 'anthropic/claude-sonnet-4-6', name: 'Claude Sonnet 4.6', aliases: ['anthropic/claude-sonnet-4.6'] });
    const ids = catalog.endpointsFor('anthropic/claude-sonnet-4.6').map((e) => [e.providerId, e.modelId]);
    expect(ids.sort()).toEqual([['anthropic', 'anthropic/claude-sonnet-4-6'], ['other', 'anthropic/claude-sonnet-4-6'], ['resell', 'anthropic/claude-sonnet-4-6']]);
    expect(catalog.endpointsFor('ANTHROPIC/CLAUDE-SONNET-4-6')).toHaveLength(3);
    expect(catalog.stats().models).toBe(3);
  });

  it('search finds it by either spelling, once', () => {
    for (const q of ['claude-sonnet-4.6', 'claude-sonnet-4-6', 'anthropic/claude-sonnet-4.6']) {
      const hits = catalog.search({ query: q });
      expect(hits.map((h) => h.model.id)).toEqual(['anthropic/claude-sonnet-4-6']);
    }
  });

  it('is one model in the shipped catalog too (claude-sonnet-4-6 and claude-sonnet-4.6)', () => {
    const shipped = Catalog.shipped();
    const m = shipped.getModel('anthropic/claude-sonnet-4.6')!;
    expect(m.id).toBe('anthropic/claude-sonnet-4-6');
    expect(m.aliases).toContain('anthropic/claude-sonnet-4.6');
    const eps = shipped.endpointsFor('anthropic/claude-sonnet-4.6');
    expect(eps.some((e) => e.providerId === 'anthropic')).toBe(true);
    expect(eps.some((e) => e.upstreamModel.includes('4.6'))).toBe(true);
    expect(shipped.search({ query: 'claude-sonnet-4.6', limit: 5 })[0]!.model.id).toBe('anthropic/claude-sonnet-4-6');
  });
});

describe('the "from" price', () => {
  it('is the cheapest paid endpoint, input beside its output', () => {
    const [hit] = catalog.search({ query: 'claude-sonnet-4-6' });
    expect(hit).toMatchObject({ minInputPerM: 2.5, minOutputPerM: 12, freeTier: false });
  });

  it('leaves a free tier out and says there is one', () => {
    const [open] = catalog.search({ query: 'open-1' });
    expect(open).toMatchObject({ minInputPerM: 0.2, minOutputPerM: 0.8, freeTier: true });
    const [nothing] = catalog.search({ query: 'lab/nothing' });
    expect(nothing).toMatchObject({ minInputPerM: null, minOutputPerM: null, freeTier: true });
  });

  it('follows the endpoint filters, and a free tier passes a price cap', () => {
    const [onlyFree] = catalog.search({ query: 'open-1', provider: 'freebie' });
    expect(onlyFree).toMatchObject({ minInputPerM: null, freeTier: true });
    expect(catalog.search({ query: 'open-1', maxInputPrice: 0.1 }).map((h) => h.endpoints.map((e) => e.providerId))).toEqual([['freebie']]);
  });

  it('sorts paid prices first, then free-tier-only models', () => {
    expect(catalog.search({ sort: 'price' }).map((h) => h.model.id)).toEqual(['lab/open-1', 'anthropic/claude-sonnet-4-6', 'lab/nothing']);
  });
});
