/**
 * History at scale: the list and the search page by cursor (keyset), newest
 * first, without repeats or gaps; a word in every run returns the newest page
 * without touching the rest; and every read History makes uses an index.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore, openStore, type Store } from '../../../electron/store';
import { openDatabase } from '../../../electron/store/db';
import { CompareRequest, type RunSummary } from '../../../shared/domain';

const stores: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function memoryStore(): Store {
  const store = createStore(openDatabase(':memory:'));
  stores.push(store);
  return store;
}

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
let nextId = 0;

/** A finished run with one column whose answer is `answer` (what finishRun indexes). */
function addRun(store: Store, at: number, prompt: string, answer = ''): string {
  const runId = `p${++nextId}`;
  const request = CompareRequest.parse({ messages: [{ role: 'user', content: prompt }], targets: ['a:b'] });
  store.runs.createRun({ runId, createdAt: at, request, columns: [{ columnId: `${runId}c`, index: 0, target: 'a:b' }], pid: 1 });
  store.runs.saveText(`${runId}c`, answer, '', at);
  store.runs.finishRun(runId, at);
  return runId;
}

/** Every page, following the cursor, until a short page. */
function allPages(store: Store, limit: number, query?: string): RunSummary[][] {
  const pages: RunSummary[][] = [];
  let before: number | undefined;
  for (;;) {
    const page = store.runs.listRuns({ limit, before, query });
    pages.push(page);
    if (page.length < limit) return pages;
    before = page.at(-1)!.cursor;
  }
}

describe('history paging', () => {
  it('orders by date, then by the order runs were written, whatever order the dates came in', () => {
    const store = memoryStore();
    const written = [
      { id: addRun(store, T0 + 5000, 'late'), at: T0 + 5000 },
      { id: addRun(store, T0 + 1000, 'early'), at: T0 + 1000 },
      { id: addRun(store, T0 + 5000, 'late too'), at: T0 + 5000 },
      { id: addRun(store, T0 + 3000, 'middle'), at: T0 + 3000 },
      { id: addRun(store, T0 + 1000, 'early too'), at: T0 + 1000 },
    ];
    const expected = written.map((r, i) => ({ ...r, i })).sort((a, b) => b.at - a.at || b.i - a.i).map((r) => r.id);
    expect(store.runs.listRuns({ limit: 10 }).map((r) => r.runId)).toEqual(expected);
    expect(store.runs.listRuns({ limit: 10, query: 'late' }).map((r) => r.runId)).toEqual(expected.slice(0, 2));
  });

  it('pages the list and a search with the cursor: every run once, newest first, no repeats or gaps', () => {
    const store = memoryStore();
    const ids: string[] = [];
    const oddIds: string[] = [];
    // Several runs share a millisecond: the cursor must still split them exactly.
    for (let i = 0; i < 230; i++) {
      ids.push(addRun(store, T0 + Math.floor(i / 3), `prompt ${i % 2 ? 'odd' : 'even'}`));
      if (i % 2) oddIds.push(ids.at(-1)!);
    }
    const newestFirst = [...ids].reverse();

    const pages = allPages(store, 40);
    expect(pages.map((p) => p.length)).toEqual([40, 40, 40, 40, 40, 30]);
    expect(pages.flat().map((r) => r.runId)).toEqual(newestFirst);

    const odd = allPages(store, 25, 'odd').flat().map((r) => r.runId);
    expect(odd).toEqual([...oddIds].reverse());
    expect(odd).toHaveLength(115);
    // The old offset paging still answers the same.
    expect(store.runs.listRuns({ limit: 40, offset: 80 }).map((r) => r.runId)).toEqual(newestFirst.slice(80, 120));
  });

  it('a word in every run returns the newest page, in order; a rare one only its runs; prefixes of 1 to 4 letters the same', () => {
    const store = memoryStore();
    const ids: string[] = [];
    const rareIds: string[] = [];
    for (let i = 0; i < 400; i++) {
      ids.push(addRun(store, T0 + i * 10, `question ${i}`, `the common answer${i % 97 === 0 ? ' with a zephyrous word' : ''}`));
      if (i % 97 === 0) rareIds.push(ids.at(-1)!);
    }
    const newestFirst = [...ids].reverse();
    const ids50 = (q: string) => store.runs.listRuns({ limit: 50, query: q }).map((r) => r.runId);
    expect(ids50('common')).toEqual(newestFirst.slice(0, 50));
    for (const prefix of ['c', 'co', 'com', 'comm']) expect(ids50(prefix), prefix).toEqual(newestFirst.slice(0, 50));
    const rare = [...rareIds].reverse();
    expect(rare).toHaveLength(5);
    expect(ids50('zephyrous')).toEqual(rare);
    expect(ids50('zep common')).toEqual(rare);
    expect(ids50('zephyrousness')).toEqual([]);
  });

  it('a long word matches every indexed word it begins, however it is written, as the prefix always did', () => {
    const store = memoryStore();
    const texts = ['Scattering of light', 'scattered clouds', 'a scatterbrain', 'SCATTER plot', 'scat singing', 'café au lait', 'the scatterings'];
    const ids = texts.map((t, i) => addRun(store, T0 + i, `prompt ${i}`, t));
    const find = (q: string) => store.runs.listRuns({ limit: 50, query: q }).map((r) => texts[ids.indexOf(r.runId)]);
    expect(find('scatter')).toEqual(['the scatterings', 'SCATTER plot', 'a scatterbrain', 'scattered clouds', 'Scattering of light']);
    expect(find('SCATTERING')).toEqual(['the scatterings', 'Scattering of light']);
    expect(find('scat')).toEqual([...texts].filter((t) => /scat/i.test(t)).reverse());
    expect(find('scatter light')).toEqual(['Scattering of light']);
    expect(find('scatterings light')).toEqual([]);
    // Not a plain ASCII word: left to the tokenizer (diacritics folded), as before.
    expect(find('café')).toEqual(['café au lait']);
    expect(find('cafe')).toEqual(['café au lait']);
    expect(find('scatterx')).toEqual([]);
    // More words start with it than are worth OR-ing: the prefix query answers, the same runs.
    const many = addRun(store, T0 + 100, 'many', Array.from({ length: 80 }, (_, i) => `zebra${i}x`).join(' '));
    expect(store.runs.listRuns({ limit: 50, query: 'zebra' }).map((r) => r.runId)).toEqual([many]);
    expect(store.runs.listRuns({ limit: 50, query: 'zebra7' }).map((r) => r.runId)).toEqual([many]);
  });

  it('keeps the order of more runs than one millisecond has slots for', () => {
    const store = memoryStore();
    const ids = Array.from({ length: 1030 }, (_, i) => addRun(store, T0, `burst ${i}`));
    const later = addRun(store, T0 + 1, 'after the burst');
    const listed = allPages(store, 500).flat().map((r) => r.runId);
    expect(listed).toEqual([later, ...[...ids].reverse()]);
    expect(new Set(listed).size).toBe(1031);
  });

  it('finishing a run indexes its answers; deleting it takes it out of the index', () => {
    const store = memoryStore();
    const keep = addRun(store, T0, 'keep', 'rayleigh');
    const gone = addRun(store, T0 + 1, 'gone', 'rayleigh scattering');
    expect(store.runs.listRuns({ limit: 10, query: 'rayleigh' }).map((r) => r.runId)).toEqual([gone, keep]);
    expect(store.runs.deleteRun(gone)).toBe(true);
    expect(store.runs.listRuns({ limit: 10, query: 'rayleigh' }).map((r) => r.runId)).toEqual([keep]);
    expect(store.runs.listRuns({ limit: 10, query: 'scattering' })).toEqual([]);
  });

  it('every read History makes at scale goes through an index, and nothing is sorted whole', () => {
    const plans = memoryStore().runs.queryPlans();
    for (const [name, steps] of Object.entries(plans)) {
      // A bare "SCAN <table>" reads every row; the subquery scans are of one run's columns.
      // (indexPending's SCAN is of its partial index: only the runs still to index, asserted below.)
      expect(steps.filter((d) => /^SCAN (r|runs|columns|c|attempts|a)\b/.test(d) && d !== 'SCAN runs USING INDEX runs_index_pending'), name).toEqual([]);
      if (name !== 'attemptsOfRun') expect(steps.filter((d) => d.includes('TEMP B-TREE')), name).toEqual([]);
    }
    expect(plans.list[0]).toBe('SEARCH r USING INDEX runs_seq (seq<?)');
    // The search walks the full-text index by rowid (descending, bounded by the cursor) and looks each run up.
    expect(plans.search.slice(0, 2)).toEqual([expect.stringMatching(/^SCAN f VIRTUAL TABLE INDEX \d+:M\d+<$/), 'SEARCH r USING INDEX runs_seq (seq=?)']);
    // Columns come back per column, then per conversation turn: the (run_id, idx, turn) index gives that order unsorted.
    expect(plans.columnsOf).toEqual(['SEARCH columns USING INDEX columns_run_turn (run_id=?)']);
    // columns_run_turn (run_id, idx, turn, migration 0011) serves any read of one run's columns as well as columns_run does.
    expect(plans.attemptsOfRun.slice(0, 2)).toEqual([expect.stringMatching(/^SEARCH c USING INDEX columns_run(_turn)? \(run_id=\?\)$/), 'SEARCH a USING INDEX attempts_column (column_id=?)']);
    expect(plans.recover).toEqual(['SEARCH runs USING INDEX runs_running (status=?)']);
    // The runs whose answers still wait for the full-text index are found by their own partial index, in order.
    expect(plans.indexPending).toEqual(['SCAN runs USING INDEX runs_index_pending']);
  });
});

describe('the full-text index, written after the run', () => {
  const pending = (store: Store) => store.db.prepare('SELECT id FROM runs WHERE index_pending = 1 ORDER BY seq').pluck().all();
  const indexedAnswers = (store: Store, runId: string) => store.db.prepare('SELECT answers FROM runs_fts WHERE run_id = ?').pluck().get(runId);

  it('finishRun marks the run; indexPending writes its answers in one batch and clears the mark', () => {
    const store = memoryStore();
    const a = addRun(store, T0, 'first', 'rayleigh scattering');
    const b = addRun(store, T0 + 1, 'second', 'mie scattering');
    expect(pending(store)).toEqual([a, b]);
    expect(indexedAnswers(store, a)).toBe('');
    expect(store.runs.indexPending()).toBe(2);
    expect(pending(store)).toEqual([]);
    expect(indexedAnswers(store, a)).toBe('rayleigh scattering');
    expect(indexedAnswers(store, b)).toBe('mie scattering');
    expect(store.runs.indexPending()).toBe(0);
  });

  it('a search finds a run whose answers were not indexed yet', () => {
    const store = memoryStore();
    const run = addRun(store, T0, 'a prompt', 'rayleigh scattering');
    expect(store.runs.listRuns({ limit: 10, query: 'rayleigh' }).map((r) => r.runId)).toEqual([run]);
    expect(pending(store)).toEqual([]);
  });

  it('a run finished by a process that died before indexing is indexed at the next start; so is an interrupted one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-index-'));
    dirs.push(dir);
    const first = openStore(dir);
    const done = addRun(first, T0, 'finished', 'rayleigh scattering');
    const request = CompareRequest.parse({ messages: [{ role: 'user', content: 'cut short' }], targets: ['a:b'] });
    // A run still streaming when its process (a pid that is not running) was killed.
    first.runs.createRun({ runId: 'cut', createdAt: T0 + 1, request, columns: [{ columnId: 'cutc', index: 0, target: 'a:b' }], pid: 2 ** 22 + 12345 });
    first.runs.saveText('cutc', 'tyndall effect', '', T0 + 2);
    expect(pending(first)).toEqual([done]);
    // No close: nothing after finishRun ran, as when the process is killed.
    first.db.close();
    const next = openStore(dir);
    stores.push(next);
    expect(pending(next)).toEqual([]);
    expect(indexedAnswers(next, done)).toBe('rayleigh scattering');
    expect(indexedAnswers(next, 'cut')).toBe('tyndall effect');
    expect(next.db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get('cut')).toBe('interrupted');
  });
});

describe('history stats', () => {
  it('counts runs and columns and reports the database and WAL bytes on disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-stats-'));
    dirs.push(dir);
    const store = openStore(dir);
    stores.push(store);
    const empty = store.runs.stats();
    expect(empty).toMatchObject({ runs: 0, columns: 0 });
    expect(empty.dbBytes).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) addRun(store, T0 + i, `prompt ${i}`, 'an answer '.repeat(200));
    const grown = store.runs.stats();
    expect(grown).toMatchObject({ runs: 20, columns: 20 });
    // Nothing checkpointed yet: the writes are in the WAL.
    expect(grown.walBytes).toBeGreaterThan(20 * 2000);
    store.checkpoint();
    expect(store.runs.stats().dbBytes).toBeGreaterThan(empty.dbBytes + 20 * 2000);
    expect(memoryStore().runs.stats()).toMatchObject({ runs: 0, columns: 0, walBytes: 0 });
    expect(store.runs.stats({ countColumns: false })).toMatchObject({ runs: 20, columns: null });
  });
});
