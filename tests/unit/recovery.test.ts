/**
 * Crash recovery's billing (engine/recovery.ts) on real SQLite files: an
 * interrupted column with text is counted, priced at the price its attempt was
 * sent at, marked estimated and put in the ledger once, whether one process,
 * two at the same time, or a later start after the first died, does it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../electron/store';
import { settleInterrupted } from '../../electron/engine/recovery';
import { EMPTY_CATALOG, type CatalogLike } from '../../electron/engine/resolve';
import { countPromptTokens, countTokens } from '../../electron/engine/tokens';
import { CompareRequest, type Price } from '../../shared/domain';
import { computeCost } from '../../shared/pricing';

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const SENT: Price = { inputPerM: 2.5, outputPerM: 10, cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers: [] };
const LATER: Price = { ...SENT, inputPerM: 100, outputPerM: 400 };
const DEAD_PID = 999_999_999;

const stores: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'switchyard-recovery-'));
  dirs.push(d);
  return d;
}

function open(dir: string): Store {
  const s = openStore(dir, { now: () => T0 + 60_000 });
  stores.push(s);
  return s;
}

/** A run left `running` by a dead process: one column that streamed `text` through provider `p` with its second key. */
function crashedRun(dir: string, opts: { text: string; reasoning?: string; price: Price | null; id?: string }) {
  const store = openStore(dir, { recover: false });
  store.providers.save({ id: 'p', type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', keys: [{ kind: 'env', name: 'K0' }, { kind: 'env', name: 'K1' }], serves: [], catalogProvider: null }, T0);
  const runId = opts.id ?? 'r1';
  const columnId = `${runId}c0`;
  const request = CompareRequest.parse({ system: 'Be brief.', messages: [{ role: 'user', content: 'why is the sky blue' }], targets: ['p:gpt-4o'] });
  store.runs.createRun({ runId, createdAt: T0, request, columns: [{ columnId, index: 0, target: 'p:gpt-4o' }], pid: DEAD_PID });
  const attempt = { provider: 'p', model: 'gpt-4o', status: 'running' as const, httpStatus: null, error: null, errorKind: null, ttftMs: null, totalMs: null, retryAfterMs: null, outputTokens: null };
  store.runs.startAttempt(columnId, { ...attempt, startedAt: T0 + 1, keyIndex: 0, endpointId: 'p:gpt-4o', seq: 0, price: opts.price }, true);
  store.runs.finishAttempt(1, { ...attempt, startedAt: T0 + 1, keyIndex: 0, status: 'error', httpStatus: 429, errorKind: 'rate_limit' }, T0 + 2);
  store.runs.startAttempt(columnId, { ...attempt, startedAt: T0 + 3, keyIndex: 1, endpointId: 'p:gpt-4o', seq: 1, price: opts.price });
  store.runs.saveText(columnId, opts.text, opts.reasoning ?? '', T0 + 500);
  store.close();
  return { runId, columnId, request };
}

function ledger(store: Store) {
  return store.db.prepare('SELECT column_id, at, provider, key_ref, model, model_id, input_tokens, output_tokens, cost_usd, estimated FROM spend_ledger').all();
}

/** The catalog's part the lookup uses: an override of `price` for p:gpt-4o. */
const overriding = (price: Price): CatalogLike => ({ ...EMPTY_CATALOG, overrideFor: (p, m) => (p === 'p' && m === 'gpt-4o' ? price : null) });

describe('settling interrupted columns', () => {
  it('counts the text that arrived and the stored prompt, prices it at the price sent with, estimated, one ledger row', async () => {
    const dir = dataDir();
    const text = 'Rayleigh scattering: shorter wavelengths scatter more, so';
    const { columnId, runId, request } = crashedRun(dir, { text, reasoning: 'light and air', price: SENT });
    const store = open(dir);
    expect(store.runs.getRun(runId)!.columns[0]).toMatchObject({ status: 'interrupted', costUsd: null, usage: { outputTokens: null } });

    // A price changed since the request went out does not reprice it.
    expect(await settleInterrupted(store, overriding(LATER), () => T0 + 70_000)).toBe(1);
    const reasoningTokens = countTokens('light and air', 'gpt-4o');
    const outputTokens = countTokens(text, 'gpt-4o') + reasoningTokens;
    const inputTokens = countPromptTokens(request, 'gpt-4o');
    const costUsd = computeCost({ inputTokens, outputTokens, reasoningTokens }, SENT);
    expect(costUsd).toBeGreaterThan(0);
    const col = store.runs.getRun(runId)!.columns[0]!;
    expect(col).toMatchObject({
      status: 'interrupted', text, costUsd, servedBy: { provider: 'p', model: 'gpt-4o' }, fellBack: false,
      usage: { inputTokens, outputTokens, reasoningTokens, estimated: true },
    });
    // Spent when the billed request went out, through the key it used.
    expect(ledger(store)).toEqual([{
      column_id: columnId, at: T0 + 3, provider: 'p', key_ref: 'env:K1', model: 'gpt-4o', model_id: 'gpt-4o',
      input_tokens: inputTokens, output_tokens: outputTokens, cost_usd: costUsd, estimated: 1,
    }]);

    // Nothing left: again in this process, and at the next start.
    expect(await settleInterrupted(store, overriding(LATER))).toBe(0);
    const next = open(dir);
    expect(await settleInterrupted(next, overriding(LATER))).toBe(0);
    expect(ledger(next)).toHaveLength(1);
    expect(next.spend.spentSince(0)).toBe(costUsd);
  });

  it('a process that died before settling leaves the column to the next start, which settles it once', async () => {
    const dir = dataDir();
    const { runId } = crashedRun(dir, { text: 'partial answer', price: SENT });
    // The first start marks the run interrupted and dies before billing it.
    open(dir).close();
    stores.length = 0;
    const store = open(dir);
    expect(store.runs.getRun(runId)!.status).toBe('interrupted');
    expect(await settleInterrupted(store, EMPTY_CATALOG)).toBe(1);
    expect(ledger(store)).toHaveLength(1);
  });

  it('two processes settling at once put one row in the ledger', async () => {
    const dir = dataDir();
    crashedRun(dir, { text: 'one two three four', price: SENT, id: 'ra' });
    crashedRun(dir, { text: 'five six seven', price: SENT, id: 'rb' });
    const a = open(dir);
    const b = open(dir);
    const [na, nb] = await Promise.all([settleInterrupted(a, EMPTY_CATALOG), settleInterrupted(b, EMPTY_CATALOG)]);
    expect(na + nb).toBe(2);
    expect((ledger(a) as Array<{ column_id: string }>).map((r) => r.column_id).sort()).toEqual(['rac0', 'rbc0']);
  });

  it('an attempt recorded without its price is priced by the catalog and override lookup; no price, no ledger row', async () => {
    const dir = dataDir();
    crashedRun(dir, { text: 'some text', price: null, id: 'ra' });
    crashedRun(dir, { text: 'more text', price: null, id: 'rb' });
    const store = open(dir);
    store.db.prepare(`UPDATE attempts SET provider = 'gone' WHERE column_id = 'rbc0'`).run();
    expect(await settleInterrupted(store, overriding(LATER))).toBe(2);
    const [priced, unpriced] = ['ra', 'rb'].map((r) => store.runs.getRun(r)!.columns[0]!);
    expect(priced!.costUsd).toBe(computeCost({ inputTokens: priced!.usage.inputTokens!, outputTokens: priced!.usage.outputTokens! }, LATER));
    // A provider removed since: the tokens are still counted, but there is no price to bill them at.
    expect(unpriced).toMatchObject({ costUsd: null, usage: { outputTokens: countTokens('more text', 'gpt-4o'), estimated: true } });
    expect((ledger(store) as Array<{ column_id: string }>).map((r) => r.column_id)).toEqual(['rac0']);
  });

  it('leaves alone an interrupted column that had no text yet', async () => {
    const dir = dataDir();
    crashedRun(dir, { text: '', price: SENT });
    const store = open(dir);
    expect(store.runs.unsettledInterrupted()).toEqual([]);
    expect(await settleInterrupted(store, EMPTY_CATALOG)).toBe(0);
    expect(store.runs.getRun('r1')!.columns[0]).toMatchObject({ status: 'interrupted', usage: { outputTokens: null }, costUsd: null });
  });
});
