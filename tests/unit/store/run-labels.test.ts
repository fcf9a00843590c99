/**
 * Tags, notes and sources on runs, and History's filters over them: each
 * filter alone and combined, with a search and with the cursor, and the query
 * plans (no filter reads history whole or sorts it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../../electron/store';
import { openDatabase } from '../../../electron/store/db';
import { CompareRequest, type ColumnResult, type ColumnStatus, type RunSummary } from '../../../shared/domain';
import type { HistoryFilters } from '../../../shared/run-labels';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function memoryStore(): Store {
  const store = createStore(openDatabase(':memory:'));
  stores.push(store);
  return store;
}

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const DAY = 86_400_000;
let nextId = 0;

interface Col { target: string; status: ColumnStatus; served?: [string, string] }

/** A finished run whose columns ended as given. */
function addRun(store: Store, at: number, prompt: string, cols: Col[], source: string | null = 'window', answer = ''): string {
  const runId = `t${++nextId}`;
  const request = CompareRequest.parse({ messages: [{ role: 'user', content: prompt }], targets: cols.map((c) => c.target) });
  const columns = cols.map((c, index) => ({ columnId: `${runId}c${index}`, index, target: c.target }));
  store.runs.createRun({ runId, createdAt: at, request, columns, pid: 1, source });
  cols.forEach((c, index) => {
    const col: ColumnResult = {
      columnId: `${runId}c${index}`, index, target: c.target, status: c.status,
      servedBy: c.served ? { provider: c.served[0], model: c.served[1] } : null, fellBack: false, text: answer, reasoning: '', finishReason: null,
      error: c.status === 'ok' ? null : 'x', attempts: [],
      usage: { inputTokens: null, outputTokens: null, reasoningTokens: null, cachedInputTokens: null, estimated: false },
      metrics: { queuedAt: at, sentAt: at, ttftMs: null, totalMs: null, tokensPerSecond: null }, costUsd: null, providerCostUsd: null, costDrift: null,
    };
    store.runs.finishColumn(col, { endpointId: null, priceJson: null }, at);
  });
  store.runs.finishRun(runId, at);
  return runId;
}

const ids = (rows: RunSummary[]) => rows.map((r) => r.runId);
const list = (store: Store, filters: HistoryFilters, query?: string) => ids(store.runs.listRuns({ limit: 100, filters, query }));

describe('tags and notes', () => {
  it('tags are trimmed, unique ignoring case, 1-40 characters, 20 at most; add and remove keep the rest', () => {
    const store = memoryStore();
    const run = addRun(store, T0, 'p', [{ target: 'a:b', status: 'ok' }]);
    expect(store.labels.setTags(run, ['  Baseline ', 'baseline', 'long   context'])).toEqual(['Baseline', 'long context']);
    expect(() => store.labels.setTags(run, ['   '])).toThrow('a tag cannot be empty');
    expect(() => store.labels.setTags(run, ['x'.repeat(41)])).toThrow(/too long \(40 characters at most\)/);
    expect(() => store.labels.setTags(run, Array.from({ length: 21 }, (_, i) => `t${i}`))).toThrow('at most 20 tags (21 given)');
    // A refused set changes nothing.
    expect(store.labels.tagsOf(run)).toEqual(['Baseline', 'long context']);
    expect(store.labels.editTags(run, { add: ['BASELINE', 'gpt'], remove: ['LONG CONTEXT'] })).toEqual(['Baseline', 'gpt']);
    expect(() => store.labels.setTags('nope', ['a'])).toThrow('no run "nope"');
    expect(store.runs.getRun(run)).toMatchObject({ tags: ['Baseline', 'gpt'], note: null, source: 'window' });
    expect(store.runs.listRuns({ limit: 5 })[0]).toMatchObject({ tags: ['Baseline', 'gpt'], source: 'window' });
    expect(store.labels.knownTags()).toEqual(['Baseline', 'gpt']);
  });

  it('a note is kept up to 10,000 characters; empty clears it', () => {
    const store = memoryStore();
    const run = addRun(store, T0, 'p', [{ target: 'a:b', status: 'ok' }]);
    expect(store.labels.setNote(run, 'steadier at temperature 0\n')).toBe('steadier at temperature 0');
    expect(store.runs.getRun(run)?.note).toBe('steadier at temperature 0');
    expect(() => store.labels.setNote(run, 'n'.repeat(10_001))).toThrow(/10,000 characters at most, 10,001 given/);
    expect(store.labels.setNote(run, 'n'.repeat(10_000))).toHaveLength(10_000);
    expect(store.labels.setNote(run, '')).toBeNull();
    expect(store.runs.getRun(run)?.note).toBeNull();
  });

  it('tags and facets go with their run', () => {
    const store = memoryStore();
    const run = addRun(store, T0, 'p', [{ target: 'a:b', status: 'ok' }]);
    store.labels.setTags(run, ['x']);
    store.runs.deleteRun(run);
    const count = (sql: string) => store.db.prepare(sql).pluck().get() as number;
    expect(count('SELECT COUNT(*) FROM run_tags')).toBe(0);
    expect(count('SELECT COUNT(*) FROM run_facets')).toBe(0);
  });
});

describe('history filters', () => {
  function seeded() {
    const store = memoryStore();
    const r = {
      okBoth: addRun(store, T0, 'alpha one', [{ target: 'openai:gpt-4o-mini', status: 'ok', served: ['openai', 'gpt-4o-mini'] }, { target: 'anthropic/claude-haiku', status: 'ok', served: ['openrouter', 'claude-3-haiku'] }], 'cli', 'rayleigh'),
      failed: addRun(store, T0 + DAY, 'alpha two', [{ target: 'openai:gpt-4o-mini', status: 'error' }, { target: 'g:gemini', status: 'ok', served: ['g', 'gemini'] }], 'window', 'rayleigh'),
      mixed: addRun(store, T0 + 2 * DAY, 'beta', [{ target: 'g:gemini', status: 'incomplete', served: ['g', 'gemini'] }, { target: 'g:gemini-2', status: 'cancelled' }], 'rerun'),
      old: addRun(store, T0 + 3 * DAY, 'gamma', [{ target: 'a:b', status: 'interrupted' }], null),
    };
    store.labels.setTags(r.okBoth, ['Baseline', 'long']);
    store.labels.setTags(r.failed, ['baseline']);
    store.labels.setTags(r.mixed, ['long']);
    return { store, r };
  }

  it('each filter alone: model (target or served, any case), provider, status kinds, tag, source, dates', () => {
    const { store, r } = seeded();
    expect(list(store, { model: 'OPENAI:GPT-4O-MINI' })).toEqual([r.failed, r.okBoth]);
    expect(list(store, { model: 'claude-3-haiku' })).toEqual([r.okBoth]);
    expect(list(store, { model: 'gpt' })).toEqual([]); // exact, not a substring
    expect(list(store, { provider: 'openrouter' })).toEqual([r.okBoth]);
    expect(list(store, { provider: 'g' })).toEqual([r.mixed, r.failed]);
    expect(list(store, { status: 'ok' })).toEqual([r.okBoth]);
    expect(list(store, { status: 'failed' })).toEqual([r.failed]);
    expect(list(store, { status: 'incomplete' })).toEqual([r.mixed]);
    expect(list(store, { status: 'stopped' })).toEqual([r.mixed]);
    expect(list(store, { status: 'interrupted' })).toEqual([r.old]);
    expect(list(store, { tags: ['BASELINE'] })).toEqual([r.failed, r.okBoth]);
    expect(list(store, { source: 'cli' })).toEqual([r.okBoth]);
    expect(list(store, { source: 'unknown' })).toEqual([r.old]);
    expect(list(store, { since: T0 + DAY, until: T0 + 3 * DAY })).toEqual([r.mixed, r.failed]);
  });

  it('filters combine (tags: all of them) and with a search', () => {
    const { store, r } = seeded();
    expect(list(store, { tags: ['baseline', 'long'] })).toEqual([r.okBoth]);
    expect(list(store, { tags: ['long'], status: 'ok' })).toEqual([r.okBoth]);
    expect(list(store, { model: 'g:gemini', source: 'window' })).toEqual([r.failed]);
    expect(list(store, { tags: ['baseline'] }, 'alpha')).toEqual([r.failed, r.okBoth]);
    expect(list(store, { tags: ['baseline'] }, 'two')).toEqual([r.failed]);
    expect(list(store, { status: 'failed' }, 'beta')).toEqual([]);
    expect(list(store, { since: T0 + DAY }, 'rayleigh')).toEqual([r.failed]);
  });

  it('a follow-up, a retry or a crash recomputes the status a run is found by', () => {
    const store = memoryStore();
    const run = addRun(store, T0, 'p', [{ target: 'a:b', status: 'error' }]);
    expect(list(store, { status: 'failed' })).toEqual([run]);
    store.runs.resetColumn(`${run}c0`, run, T0 + 1);
    store.runs.finishColumn({ ...store.runs.getRun(run)!.columns[0]!, status: 'ok', error: null, servedBy: { provider: 'p2', model: 'm2' } }, { endpointId: null, priceJson: null }, T0 + 2);
    store.runs.finishRun(run, T0 + 2);
    expect(list(store, { status: 'failed' })).toEqual([]);
    expect(list(store, { status: 'ok', provider: 'p2', model: 'm2' })).toEqual([run]);

    const crashed = `t${++nextId}`;
    store.runs.createRun({ runId: crashed, createdAt: T0 + 5, request: CompareRequest.parse({ messages: [{ role: 'user', content: 'q' }], targets: ['x:y'] }), columns: [{ columnId: `${crashed}c`, index: 0, target: 'x:y' }], pid: 999_999 });
    // Still running: found by the model it asked for, not by a status.
    expect(list(store, { model: 'x:y' })).toEqual([crashed]);
    expect(list(store, { status: 'interrupted' })).toEqual([]);
    store.runs.recoverInterrupted(() => false, T0 + 10);
    expect(list(store, { status: 'interrupted', model: 'x:y' })).toEqual([crashed]);
  });

  it('pages a filter by cursor: every match once, newest first', () => {
    const store = memoryStore();
    const tagged: string[] = [];
    for (let i = 0; i < 37; i++) {
      const id = addRun(store, T0 + i * 1000, `run ${i}`, [{ target: 'a:b', status: i % 3 ? 'ok' : 'error' }]);
      if (i % 2) {
        store.labels.setTags(id, ['odd']);
        tagged.unshift(id);
      }
    }
    const seen: string[] = [];
    let before: number | undefined;
    for (;;) {
      const page = store.runs.listRuns({ limit: 5, before, filters: { tags: ['odd'] } });
      seen.push(...ids(page));
      if (page.length < 5) break;
      before = page.at(-1)!.cursor;
    }
    expect(seen).toEqual(tagged);
  });

  it('no filter reads history whole or sorts it: each walks one index by seq and looks the others up', () => {
    const store = memoryStore();
    const cases: Array<[HistoryFilters, string | undefined, RegExp]> = [
      [{ tags: ['a'] }, undefined, /^SEARCH d USING (COVERING )?INDEX run_tags_tag \(tag_key=\? AND seq[<>]\?/],
      [{ source: 'cli' }, undefined, /^SEARCH r USING (COVERING )?INDEX runs_source \(source=\? AND seq[<>]\?/],
      [{ source: 'unknown' }, undefined, /^SEARCH r USING (COVERING )?INDEX runs_source \(source=\? AND seq[<>]\?/],
      [{ status: 'failed' }, undefined, /^SEARCH d USING PRIMARY KEY \(kind=\? AND value=\? AND seq[<>]\?/],
      [{ model: 'm', provider: 'p', tags: ['a', 'b'] }, undefined, /^SEARCH d USING/],
      [{ since: T0, until: T0 + DAY }, undefined, /^SEARCH r USING INDEX runs_seq \(seq>\? AND seq<\?\)/],
      [{ tags: ['a'] }, 'alpha', /^SEARCH d USING (COVERING )?INDEX run_tags_tag/],
    ];
    for (const [filters, query, first] of cases) {
      const plan = store.runs.filteredPlan(filters, query);
      const name = JSON.stringify({ filters, query });
      expect(plan[0], name).toMatch(first);
      expect(plan.filter((d) => /^SCAN (r|runs|d|x|columns|run_tags|run_facets)\b/.test(d)), name).toEqual([]);
      expect(plan.filter((d) => d.includes('TEMP B-TREE')), name).toEqual([]);
    }
  });
});
