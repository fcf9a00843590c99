/**
 * History at a researcher's scale: 100,000 runs x 10 columns (a million
 * answers of about 60 words), seeded once and cached (history-seed.ts).
 * Measures what History does against the targets, each beside the
 * pre-0010 query on the same database in the same run:
 *  - full-text search, first page of 50, over common, rare and half-typed
 *    words (target p95 < 50 ms), and the pages after it (keyset vs OFFSET);
 *  - the list's first page and the pages after it, and one deep in history;
 *  - opening a random run (target < 50 ms);
 *  - the database's size, and how long opening the store takes.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openStore } from '../../electron/store';
import { legacyHistoryQueries } from '../../electron/store/history-baseline';
import { benchHistoryUi, type HistoryUiBench } from './history-ui';
import { ensureSeeded, mulberry32, SEED, vocabulary } from './history-seed';
import { FILTER_PAGE, filterCases, labelSeeded } from './history-filters';

const PAGE = 50;

/** Wall time, and this process's CPU time for the same calls: on a shared machine the wall includes waiting for a core. */
export interface Timing { p50Ms: number; p95Ms: number; maxMs: number; n: number; cpuP50Ms?: number; cpuP95Ms?: number }

const pick = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

export function timing(samples: number[], cpu?: number[]): Timing {
  const t: Timing = { p50Ms: pick(samples, 0.5), p95Ms: pick(samples, 0.95), maxMs: Math.max(...samples), n: samples.length };
  if (cpu?.length) Object.assign(t, { cpuP50Ms: pick(cpu, 0.5), cpuP95Ms: pick(cpu, 0.95) });
  return t;
}

/** CPU time of each timed call, in the order they were made (read by `cpuOf`). */
let cpuLog: number[] = [];
function time<T>(fn: () => T): [number, T] {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = fn();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  cpuLog.push((d.user + d.system) / 1000);
  return [wall, r];
}
/** Runs `fn` and returns the CPU times of the calls it timed. */
function cpuOf(fn: () => void): number[] {
  cpuLog = [];
  fn();
  const mine = cpuLog;
  cpuLog = [];
  return mine;
}

export interface HistoryBench {
  seededMs: number | null;
  openStoreMs: number;
  /** `ms`: the full count (CLI); `footerMs`: what the History footer asks for (no answer count). */
  stats: { runs: number; columns: number | null; dbBytes: number; walBytes: number; ms: number; footerMs: number };
  queries: Array<{ query: string; kind: string; matchesOnPage: number; p50Ms: number; legacyMs: number }>;
  search: Timing;
  searchLegacy: Timing;
  searchNextPages: Timing;
  searchNextPagesLegacy: Timing;
  listFirst: Timing;
  listNextPages: Timing;
  listDeep: Timing;
  listDeepLegacy: Timing;
  openRun: Timing;
  /** Filters (history-filters.ts): every case's first page, 7 rounds; per case its p50 and how many rows the page held. */
  labelledMs: number | null;
  filters: Timing;
  filterCases: Array<{ name: string; rows: number; p50Ms: number; p95Ms: number }>;
  /** The next 50 pages of the common tag, by cursor. */
  filterNextPages: Timing;
  /** The same history in the built UI in Chromium (null when dist/renderer is missing). */
  ui: HistoryUiBench | null;
}

export async function benchHistory(): Promise<HistoryBench> {
  // A smaller history (its own cache) to try the bench out: SWITCHYARD_BENCH_HISTORY_RUNS=2000.
  const { dataDir, seededMs } = ensureSeeded('.bench', Number(process.env.SWITCHYARD_BENCH_HISTORY_RUNS ?? SEED.runs));
  const [openStoreMs, store] = time(() => openStore(dataDir));
  let measured: Omit<HistoryBench, 'ui'>;
  try {
    const [statsMs, stats] = time(() => store.runs.stats());
    const footerMs = timing(Array.from({ length: 5 }, () => time(() => store.runs.stats({ countColumns: false }))[0])).p50Ms;
    const legacy = legacyHistoryQueries(store.db);
    const words = vocabulary(SEED.vocabulary);
    const w = (rank: number) => words[rank]!;
    // Ranks: 0-10 are in nearly every run; 1,000 in about one run in ten; 7,900 in a few hundred.
    const queries: Array<{ query: string; kind: string }> = [
      ...[0, 1, 3, 10, 30].map((r) => ({ query: w(r), kind: `common (rank ${r})` })),
      ...[300, 1000, 3000, 7900].map((r) => ({ query: w(r), kind: `rarer (rank ${r})` })),
      ...[1, 2, 3].map((n) => ({ query: w(0).slice(0, n), kind: `typing: ${n} letter${n > 1 ? 's' : ''}` })),
      { query: w(1000).slice(0, 4), kind: 'typing: 4 letters' },
      { query: `${w(0)} ${w(1000)}`, kind: 'common + rarer' },
      { query: `${w(3)} ${w(10)}`, kind: 'two common' },
      { query: 'zzqxv', kind: 'no match' },
    ];
    const perQuery: number[][] = queries.map(() => []);
    const searchCpu = cpuOf(() => {
      for (let round = 0; round < 7; round++) {
        queries.forEach((q, i) => perQuery[i]!.push(time(() => store.runs.listRuns({ limit: PAGE, query: q.query }))[0]));
      }
    });
    const legacyPerQuery = queries.map((q) => time(() => legacy.search(q.query, PAGE, 0))[0]);
    const queryRows = queries.map((q, i) => ({
      ...q, matchesOnPage: store.runs.listRuns({ limit: PAGE, query: q.query }).length, p50Ms: timing(perQuery[i]!).p50Ms, legacyMs: legacyPerQuery[i]!,
    }));

    // The pages after the first of a common word's search: by cursor, and by OFFSET the old way.
    const nextPages: number[] = [];
    const nextPagesLegacy: number[] = [];
    let before: number | undefined;
    const nextPagesCpu = cpuOf(() => {
      for (let page = 0; page <= 50; page++) {
        const [ms, rows] = time(() => store.runs.listRuns({ limit: PAGE, query: w(0), before }));
        if (page > 0) nextPages.push(ms);
        before = rows.at(-1)?.cursor;
      }
    }).slice(1);
    for (const page of [4, 8, 12]) nextPagesLegacy.push(time(() => legacy.search(w(0), PAGE, page * PAGE))[0]);

    let listFirst: number[] = [];
    const listFirstCpu = cpuOf(() => (listFirst = Array.from({ length: 50 }, () => time(() => store.runs.listRuns({ limit: 100 }))[0])));
    const listNext: number[] = [];
    before = undefined;
    const listNextCpu = cpuOf(() => {
      for (let page = 0; page < 50; page++) {
        const [ms, rows] = time(() => store.runs.listRuns({ limit: 100, before }));
        listNext.push(ms);
        before = rows.at(-1)?.cursor;
      }
    });
    // Deep in history (where a long scroll ends up): a cursor half-way down, against OFFSET 50,000.
    const mid = store.runs.listRuns({ limit: 1, offset: Math.floor(stats.runs / 2) })[0]!.cursor;
    const listDeep = Array.from({ length: 10 }, () => time(() => store.runs.listRuns({ limit: 100, before: mid }))[0]);
    const listDeepLegacy = Array.from({ length: 3 }, () => time(() => legacy.list(100, Math.floor(stats.runs / 2)))[0]);

    // Opening runs picked at random over the whole history (most of them not in any cache yet).
    const rnd = mulberry32(99);
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = store.runs.listRuns({ limit: 1, offset: Math.floor(rnd() * stats.runs) })[0];
      if (r) ids.push(r.runId);
    }
    let openRun: number[] = [];
    const openRunCpu = cpuOf(() => (openRun = ids.map((id) => time(() => store.runs.getRun(id))[0])));

    // Filters, alone, combined and with a search.
    const { labelledMs } = labelSeeded(store);
    const cases = filterCases(store, w);
    const perCase: number[][] = cases.map(() => []);
    const filterCpu = cpuOf(() => {
      for (let round = 0; round < 7; round++) {
        cases.forEach((c, i) => perCase[i]!.push(time(() => store.runs.listRuns({ limit: FILTER_PAGE, filters: c.filters, query: c.query }))[0]));
      }
    });
    const filterRows = cases.map((c, i) => ({
      name: c.name, rows: store.runs.listRuns({ limit: FILTER_PAGE, filters: c.filters, query: c.query }).length, p50Ms: timing(perCase[i]!).p50Ms, p95Ms: timing(perCase[i]!).p95Ms,
    }));
    const filterNext: number[] = [];
    before = undefined;
    const filterNextCpu = cpuOf(() => {
      for (let page = 0; page <= 50; page++) {
        const [ms, rows] = time(() => store.runs.listRuns({ limit: FILTER_PAGE, filters: { tags: ['common'] }, before }));
        if (page > 0) filterNext.push(ms);
        before = rows.at(-1)?.cursor;
      }
    }).slice(1);

    measured = {
      labelledMs, filters: timing(perCase.flat(), filterCpu), filterCases: filterRows, filterNextPages: timing(filterNext, filterNextCpu),
      seededMs, openStoreMs, stats: { ...stats, ms: statsMs, footerMs }, queries: queryRows,
      search: timing(perQuery.flat(), searchCpu), searchLegacy: timing(legacyPerQuery),
      searchNextPages: timing(nextPages, nextPagesCpu), searchNextPagesLegacy: timing(nextPagesLegacy),
      listFirst: timing(listFirst, listFirstCpu), listNextPages: timing(listNext, listNextCpu), listDeep: timing(listDeep), listDeepLegacy: timing(listDeepLegacy),
      openRun: timing(openRun, openRunCpu),
    };
  } finally {
    store.close();
  }
  const ui = existsSync('dist/renderer/index.html') ? await benchHistoryUi(dataDir, measured.stats.runs) : null;
  return { ...measured, ui };
}
