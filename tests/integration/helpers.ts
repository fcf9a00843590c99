/**
 * Shared set-up of the engine integration tests: a real data directory (SQLite
 * file) in a temp folder, the app context built the way the CLI builds it, and
 * the loopback mock providers. Nothing here stubs fetch or the store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { openAppContext, type AppContext } from '../../electron/app/context';
import { Engine } from '../../electron/engine/engine';
import type { StoreOptions } from '../../electron/store';
import { userCatalogPath } from '../../electron/engine/catalog/load';
import type { ColumnResult, CompareEvent, CompareRequestInput, Price, ProviderType, RunResult } from '../../shared/domain';
import { startMockProviders, type MockProviders, type MockRequestRecord } from '../mocks/provider-server';

export const PROTOCOLS: ProviderType[] = ['openai', 'anthropic', 'gemini'];

/** The mock counts input tokens as the words of the prompt: 4 here. */
export const PROMPT = 'compare these models please';
export const PROMPT_WORDS = 4;

/** What the mock streams by default for `tokens: n`. */
export function defaultText(n: number): string {
  return Array.from({ length: n }, (_, i) => `tok${i + 1}`).join(' ');
}

export interface Workbench {
  dir: string;
  ctx: AppContext;
  /**
   * The engine under test: `ctx.engine`, or (with `random`) an engine on the same
   * store whose random source is fixed, so balanced's draw, the first key and the
   * backoff jitter are reproducible.
   */
  engine: Engine;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  env?: Record<string, string>;
  /** Load the shipped catalog (about half a second); otherwise the data directory gets an empty one. */
  shippedCatalog?: boolean;
  /** A catalog document of the test's own, written where the user's catalog lives (instead of the empty one). */
  catalog?: unknown;
  random?: () => number;
  store?: StoreOptions;
}

const EMPTY_CATALOG_DOC = { asOf: '2025-01-01', source: 'integration tests', license: 'none', providers: [], models: [], endpoints: [], overrides: [] };

const open = new Set<Workbench>();

/** A fresh data directory with its own SQLite file, opened like the CLI opens one. */
export function openWorkbench(opts: WorkbenchOptions = {}): Workbench {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-it-'));
  // A user catalog in the data directory wins over the shipped one (see catalog/load.ts).
  if (!opts.shippedCatalog) writeFileSync(userCatalogPath(dir), JSON.stringify(opts.catalog ?? EMPTY_CATALOG_DOC));
  const ctx = openAppContext({ dataDir: dir, env: { ...opts.env }, store: opts.store });
  const engine = opts.random ? new Engine({ store: ctx.store, keys: ctx.keys, catalog: ctx.catalog, random: opts.random }) : ctx.engine;
  const wb: Workbench = {
    dir,
    ctx,
    engine,
    async close() {
      open.delete(wb);
      if (engine !== ctx.engine) await engine.close();
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  open.add(wb);
  return wb;
}

/** For afterEach/afterAll: closes every workbench a test left open (cancelling what is in flight). */
export async function closeWorkbenches(): Promise<void> {
  await Promise.all([...open].map((wb) => wb.close()));
}

export function ask(targets: string[], extra: Partial<CompareRequestInput> = {}): CompareRequestInput {
  return { messages: [{ role: 'user', content: PROMPT }], targets, ...extra };
}

export async function addProvider(
  wb: Workbench,
  p: { id: string; type?: ProviderType; baseUrl: string; serves?: Record<string, string>; keyEnv?: string[]; catalogProvider?: string },
) {
  return wb.ctx.providers.save({
    id: p.id,
    type: p.type ?? 'openai',
    baseUrl: p.baseUrl,
    apiKeyEnv: p.keyEnv,
    serves: Object.entries(p.serves ?? {}).map(([modelId, upstreamModel]) => ({ modelId, upstreamModel })),
    catalogProvider: p.catalogProvider,
  });
}

/** A price on a user endpoint, through the catalog's override table (as `switchyard catalog price` does). */
export function priceEndpoint(wb: Workbench, providerId: string, upstreamModel: string, modelId: string, price: Pick<Price, 'inputPerM' | 'outputPerM'>) {
  wb.ctx.store.catalog.putOverride({ providerId, upstreamModel, modelId, price: { cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers: [], ...price } }, Date.now());
  wb.ctx.catalog.reloadOverrides();
}

export function requestsFor(mock: MockProviders, ...models: string[]): MockRequestRecord[] {
  return mock.requests.filter((r) => r.model !== null && models.includes(r.model));
}

/** Collects the engine's events; `textOf` is what a UI would have shown for a column. */
export function recordEvents(engine: Engine) {
  const events: Array<CompareEvent & { at: number }> = [];
  const stop = engine.onEvent((e) => events.push({ ...e, at: performance.now() }));
  return {
    events,
    stop,
    textOf: (columnId: string) =>
      events.map((e) => (e.type === 'delta' && e.columnId === columnId ? e.text : '')).join(''),
    /** Words of text a column has streamed so far (deltas may be coalesced, so count words, not events). */
    words: (columnId: string) => (events.map((e) => (e.type === 'delta' && e.columnId === columnId ? e.text : '')).join('').match(/\S+/g) ?? []).length,
    finished: () => events.flatMap((e) => (e.type === 'column-finished' ? [{ column: e.column, at: e.at }] : [])),
  };
}

export async function waitFor(what: string, pred: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!pred()) {
    if (performance.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * What the engine returned is what SQLite holds: every column field and every
 * attempt, and nothing left `running` or `queued`.
 */
export function expectPersisted(wb: Workbench, result: RunResult): RunResult {
  const saved = wb.ctx.store.runs.getRun(result.runId);
  expect(saved).not.toBeNull();
  expect(saved!.status).toBe('done');
  expect(saved!.columns).toEqual(result.columns);
  for (const c of saved!.columns) {
    expect(['queued', 'running']).not.toContain(c.status);
    for (const a of c.attempts) expect(a.status).not.toBe('running');
  }
  return saved!;
}

export function ledgerRows(wb: Workbench, columnId?: string): Array<Record<string, unknown>> {
  const rows = wb.ctx.store.spend.entriesSince(0);
  return columnId === undefined ? rows : rows.filter((r) => r.column_id === columnId);
}

export function only<T>(xs: readonly T[]): T {
  expect(xs).toHaveLength(1);
  return xs[0]!;
}

export function col(result: RunResult, index = 0): ColumnResult {
  const c = result.columns[index];
  if (!c) throw new Error(`no column ${index} in run ${result.runId}`);
  return c;
}

/** Builders for small catalog documents written into a test's data directory. */
export const catalogDoc = {
  price: (inputPerM: number, outputPerM: number) => ({ inputPerM, outputPerM, cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers: [] }),
  caps: { tools: null, vision: null, json: null, reasoning: null },
  provider: (id: string, more: Partial<{ api: string; env: string[]; protocol: 'openai' | 'anthropic' }> = {}) => ({ id, name: id, api: null, env: [], doc: null, npm: null, protocol: 'openai' as const, ...more }),
};

/**
 * One set of loopback mock providers for a whole test file, handed to `use`
 * once started; at the end, the file's workbenches close before the mocks do.
 * @example let mock: MockProviders; shareMockProviders((m) => (mock = m));
 */
export function shareMockProviders(use: (mock: MockProviders) => void): void {
  let mock: MockProviders | undefined;
  beforeAll(async () => {
    mock = await startMockProviders();
    use(mock);
  });
  afterAll(async () => {
    await closeWorkbenches();
    await mock?.close();
  });
}
