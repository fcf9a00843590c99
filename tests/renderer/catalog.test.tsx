import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CatalogHit } from '../../shared/contract';
import type { CatalogModel } from '../../shared/catalog-types';
import { UNKNOWN_POLICY, type Endpoint } from '../../shared/domain';
import { CatalogCompare } from '../../renderer/components/CatalogCompare';
import { buildCatalogQuery, emptyCatalogFilters, formatPerM, formatTokens, parseMaxPrice, retentionText, safeHttpUrl } from '../../renderer/lib/catalog';
import { handleShortcut } from '../../renderer/shortcuts';
import { createAppStore } from '../../renderer/store';
import { MAX_COMPARED } from '../../renderer/store/catalogSlice';
import { fakeClient, manualFrames } from './helpers';

afterEach(cleanup);

function setup() {
  const fake = fakeClient();
  const store = createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  return { fake, store };
}

const model = (id: string, over: Partial<CatalogModel> = {}): CatalogModel => ({
  id,
  name: id.split('/')[1] ?? id,
  family: null,
  reasoning: false,
  toolCall: true,
  attachment: null,
  structuredOutput: null,
  inputModalities: ['text', 'image'],
  outputModalities: ['text'],
  contextWindow: 128_000,
  maxOutput: 16_384,
  releaseDate: '2024-07-18',
  openWeights: false,
  ...over,
});

const endpoint = (providerId: string, modelId: string, over: Partial<Endpoint> = {}): Endpoint => ({
  id: `${providerId}:${modelId.split('/')[1]}`,
  providerId,
  upstreamModel: modelId.split('/')[1]!,
  modelId,
  price: { inputPerM: 0.15, outputPerM: 0.6, cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers: [] },
  contextWindow: 128_000,
  maxOutput: 16_384,
  capabilities: { tools: true, vision: true, json: null, reasoning: false },
  policy: UNKNOWN_POLICY,
  source: 'catalog',
  ...over,
});

const hit = (id: string): CatalogHit => ({ model: model(id), endpoints: [endpoint('openai', id)], minInputPerM: 0.15, minOutputPerM: 0.6, freeTier: false });

describe('catalog search request', () => {
  it('sends only the filters that are set', () => {
    expect(buildCatalogQuery(emptyCatalogFilters, 50)).toEqual({ limit: 50, sort: 'relevance' });
    expect(buildCatalogQuery({ ...emptyCatalogFilters, query: '   ' })).not.toHaveProperty('query');
  });

  it('maps every filter to the contract query', () => {
    const q = buildCatalogQuery(
      {
        query: '  gpt-4o mini ',
        maxInputPrice: '0.5',
        minContext: '128000',
        capabilities: ['tools', 'vision'],
        modality: 'image',
        zdr: true,
        jurisdiction: 'EU',
        provider: 'mistral',
        sort: 'price',
      },
      100,
    );
    expect(q).toEqual({
      query: 'gpt-4o mini',
      maxInputPrice: 0.5,
      minContext: 128_000,
      capability: ['tools', 'vision'],
      modality: ['image'],
      zdr: true,
      jurisdiction: ['EU'],
      provider: ['mistral'],
      sort: 'price',
      limit: 100,
    });
  });

  it('leaves out a price cap that is not a number (the field says why) and keeps 0 as a real cap', () => {
    expect(buildCatalogQuery({ ...emptyCatalogFilters, maxInputPrice: '-1' })).not.toHaveProperty('maxInputPrice');
    expect(buildCatalogQuery({ ...emptyCatalogFilters, maxInputPrice: 'abc' })).not.toHaveProperty('maxInputPrice');
    expect(buildCatalogQuery({ ...emptyCatalogFilters, maxInputPrice: '0' }).maxInputPrice).toBe(0);
    expect(parseMaxPrice('x')).toEqual({ ok: false, error: expect.stringContaining('number of dollars') });
    expect(parseMaxPrice(' ')).toEqual({ ok: true, value: undefined });
  });

  it('formats prices, limits and facts, with unknown as unknown', () => {
    expect(formatPerM(0.15)).toBe('$0.15');
    expect(formatPerM(0.075)).toBe('$0.075');
    expect(formatPerM(2.5)).toBe('$2.50');
    expect(formatPerM(0.6)).toBe('$0.60');
    expect(formatPerM(0.0001)).toBe('$0.0001');
    expect(formatPerM(0)).toBe('$0');
    expect(formatPerM(null)).toBe('unknown');
    expect(formatTokens(128_000)).toBe('128K');
    expect(formatTokens(1_048_576)).toBe('1.05M');
    expect(formatTokens(null)).toBe('—');
    expect(retentionText({ retainsPrompts: true, retentionDays: 30 })).toBe('yes (30 days)');
    expect(retentionText({ retainsPrompts: false, retentionDays: null })).toBe('no');
    expect(retentionText({ retainsPrompts: null, retentionDays: null })).toBe('unknown');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('https://example.com/terms')).toBe('https://example.com/terms');
  });
});

describe('catalog slice', () => {
  it('searches with the built query; a slower older answer never replaces a newer one', async () => {
    const { fake, store } = setup();
    const replies: Array<(v: CatalogHit[]) => void> = [];
    fake.calls.catalog!.searchModels!.mockImplementation(() => new Promise((r) => replies.push(r as (v: unknown) => void)));
    store.getState().setCatalogFilters({ query: 'gpt', zdr: true });
    const first = store.getState().searchCatalog();
    store.getState().setCatalogFilters({ query: 'claude' });
    const second = store.getState().searchCatalog();
    expect(fake.calls.catalog!.searchModels!.mock.calls.map((c) => (c[0] as { query: string }).query)).toEqual(['gpt', 'claude']);
    expect(fake.calls.catalog!.searchModels!.mock.calls[0]![0]).toMatchObject({ zdr: true });
    replies[1]!([hit('anthropic/claude')]);
    await second;
    replies[0]!([hit('openai/gpt')]);
    await first;
    expect(store.getState().catalogHits.map((h) => h.model.id)).toEqual(['anthropic/claude']);
    expect(store.getState().catalogLoading).toBe(false);
  });

  it('ticking a model loads all its endpoints; unticking drops them; a fifth is refused with a notice', async () => {
    const { fake, store } = setup();
    fake.calls.catalog!.getModel!.mockImplementation(async (args) => {
      const { modelId } = args as { modelId: string };
      return { model: model(modelId), endpoints: [endpoint('openai', modelId), endpoint('openrouter', modelId)] };
    });
    const s = () => store.getState();
    await act(async () => s().toggleCatalogModel('openai/gpt-4o-mini'));
    expect(s().catalogSelected).toEqual(['openai/gpt-4o-mini']);
    expect(s().catalogDetails['openai/gpt-4o-mini']).toMatchObject({ status: 'ok', endpoints: [{ providerId: 'openai' }, { providerId: 'openrouter' }] });
    s().toggleCatalogModel('openai/gpt-4o-mini');
    expect(s().catalogSelected).toEqual([]);
    expect(s().catalogDetails).toEqual({});

    for (let i = 0; i < MAX_COMPARED; i++) s().toggleCatalogModel(`lab/m${i}`);
    s().toggleCatalogModel('lab/one-too-many');
    expect(s().catalogSelected).toHaveLength(MAX_COMPARED);
    expect(s().notice).toMatch(/up to 4/);
  });

  it('a model that cannot be loaded says why in its column', async () => {
    const { fake, store } = setup();
    fake.calls.catalog!.getModel!.mockRejectedValue(new Error('unknown model "x/y"'));
    await act(async () => store.getState().toggleCatalogModel('x/y'));
    expect(store.getState().catalogDetails['x/y']).toEqual({ status: 'error', error: 'unknown model "x/y"' });
  });

  it('loads the about text and provider facts once', async () => {
    const { fake, store } = setup();
    fake.calls.catalog!.getAbout!.mockResolvedValue({ asOf: '2026-07-02', source: 'models.dev', license: 'MIT License', stats: { providers: 1, models: 1, endpoints: 1, overrides: 0 } });
    fake.calls.catalog!.listProviders!.mockResolvedValue([]);
    await Promise.all([store.getState().loadCatalogMeta(), store.getState().loadCatalogMeta()]);
    await store.getState().loadCatalogMeta();
    expect(fake.calls.catalog!.getAbout).toHaveBeenCalledTimes(1);
    expect(store.getState().catalogAbout?.asOf).toBe('2026-07-02');
  });

  it('Ctrl/Alt+4, 5 and 6 open the catalog, spend and endpoints tabs', () => {
    const { store } = setup();
    const key = (code: string, init: KeyboardEventInit) => handleShortcut(new KeyboardEvent('keydown', { code, key: code.slice(-1), ...init }), store);
    expect(key('Digit4', { ctrlKey: true })).toBe(true);
    expect(store.getState().view).toBe('catalog');
    key('Digit5', { altKey: true });
    expect(store.getState().view).toBe('spend');
    key('Digit6', { metaKey: true });
    expect(store.getState().view).toBe('endpoints');
  });
});

describe('side-by-side comparison', () => {
  it('shows every endpoint with prices and facts, unknown as unknown, sources as external links', () => {
    const onAdd = vi.fn();
    const id = 'openai/gpt-4o-mini';
    const sourced = endpoint('openai', id, {
      price: { inputPerM: 0.15, outputPerM: 0.6, cacheReadPerM: 0.075, cacheWritePerM: null, reasoningPerM: null, tiers: [] },
      policy: { retainsPrompts: true, retentionDays: 30, trainsOnData: false, zdrAvailable: true, jurisdiction: 'US', regions: ['US', 'EU'], sourceUrl: 'https://openai.com/policies', asOf: '2026-01-01' },
    });
    const unknown = endpoint('someone', id, { price: null });
    render(
      <CatalogCompare
        selected={[id, 'x/loading']}
        details={{ [id]: { status: 'ok', model: model(id, { structuredOutput: null }), endpoints: [unknown, sourced] }, 'x/loading': { status: 'loading' } }}
        providerNames={new Map([['openai', 'OpenAI']])}
        targets={[`${id}@openai`]}
        onAdd={onAdd}
        onUntick={() => undefined}
        onClear={() => undefined}
      />,
    );
    const cards = screen.getAllByTestId('catalog-endpoint');
    // Cheapest first; the one without a price last.
    expect(cards.map((c) => c.dataset.endpointId)).toEqual(['openai:gpt-4o-mini', 'someone:gpt-4o-mini']);
    const [known, bare] = cards as [HTMLElement, HTMLElement];
    expect(known.textContent).toContain('OpenAI');
    expect(known.textContent).toContain('in $0.15');
    expect(known.textContent).toContain('out $0.60');
    expect(known.textContent).toContain('cached $0.075');
    expect(known.textContent).toContain('yes (30 days)');
    const link = within(known).getByRole('link');
    expect(link.getAttribute('href')).toBe('https://openai.com/policies');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.textContent).toContain('2026-01-01');
    expect(bare.textContent).toContain('in unknown');
    expect(bare.textContent).toContain('where unknown');
    expect(bare.textContent).toMatch(/trains\s*unknown/);
    expect(bare.textContent).toContain('no source on file');
    // Already in compare: its button says so; the other endpoint adds model@provider.
    expect(within(known).getByTestId('catalog-add-endpoint')).toHaveProperty('disabled', true);
    fireEvent.click(within(bare).getByTestId('catalog-add-endpoint'));
    expect(onAdd).toHaveBeenCalledWith(`${id}@someone`);
    fireEvent.click(screen.getAllByTestId('catalog-compare-add')[0]!);
    expect(onAdd).toHaveBeenCalledWith(id);
    // Model-level facts: JSON output unknown, not "no".
    const jsonRow = screen.getByText('JSON output').closest('tr')!;
    expect(jsonRow.textContent).toContain('unknown');
  });
});

describe('catalog table prices', () => {
  it('shows the from price as input / output, and a free tier in words, never as $0', async () => {
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000);
    const { CatalogTable } = await import('../../renderer/components/CatalogTable');
    const hits: CatalogHit[] = [
      hit('openai/gpt-4o-mini'),
      { ...hit('lab/open-1'), minInputPerM: 0.2, minOutputPerM: 0.8, freeTier: true },
      { ...hit('lab/free-only'), minInputPerM: null, minOutputPerM: null, freeTier: true },
      { ...hit('anthropic/claude-sonnet-4-6'), model: { ...model('anthropic/claude-sonnet-4-6'), aliases: ['anthropic/claude-sonnet-4.6'] } },
    ];
    render(<CatalogTable hits={hits} selected={[]} targets={[]} onToggle={() => undefined} onAdd={() => undefined} />);
    const cell = (id: string) => document.querySelector(`[data-model-id="${id}"] [data-testid="catalog-from"]`)!;
    expect(cell('openai/gpt-4o-mini').textContent).toBe('$0.15 / $0.60');
    expect(cell('lab/open-1').textContent).toBe('$0.20 / $0.80 free tier');
    expect(cell('lab/free-only').textContent).toBe('free tier');
    expect(document.querySelector('[data-model-id="anthropic/claude-sonnet-4-6"] .mono')!.getAttribute('title')).toContain('also listed as anthropic/claude-sonnet-4.6');
    vi.restoreAllMocks();
  });
});
