/**
 * History's filters on the seeded history (history-seed.ts): tags, sources,
 * status kinds, models, providers and dates, alone, combined and with a
 * search, first page of 50 (target p95 < 50 ms), and the pages after a
 * common tag's first by cursor.
 *
 * The seed has no tags or sources (it predates them); they are added here
 * once, deterministically: a "common" tag on every third run, a "rare" one on
 * every 200th, a "mid" one on every 20th, a "few" on ten runs, and sources
 * spread over four values.
 */
import type { Store } from '../../electron/store';
import type { HistoryFilters } from '../../shared/run-labels';
import { SEQ_PER_MS } from '../../electron/store/migrations/0010-history-keyset';

const PAGE = 50;
const SOURCES = ['window', 'cli', 'rerun', 'fork'] as const;

/** Tags and sources on the seeded runs, unless a previous bench run added them. */
export function labelSeeded(store: Store): { labelledMs: number | null } {
  const db = store.db;
  if ((db.prepare('SELECT COUNT(*) FROM run_tags').pluck().get() as number) > 0) return { labelledMs: null };
  const started = performance.now();
  const ids = db.prepare('SELECT id FROM runs ORDER BY seq').pluck().all() as string[];
  const setSource = db.prepare('UPDATE runs SET source = ? WHERE id = ?');
  db.transaction(() => {
    ids.forEach((id, i) => {
      const tags = [...(i % 3 === 0 ? ['common'] : []), ...(i % 20 === 0 ? ['mid'] : []), ...(i % 200 === 7 ? ['rare'] : []), ...(i % Math.ceil(ids.length / 10) === 3 ? ['few'] : [])];
      if (tags.length) store.labels.setTags(id, tags);
      // Mostly the window, then the CLI; reruns and forks are fewer.
      const r = i % 10;
      setSource.run(SOURCES[r < 6 ? 0 : r < 9 ? 1 : Math.floor(i / 10) % 2 ? 2 : 3], id);
    });
  })();
  return { labelledMs: performance.now() - started };
}

export interface FilterCase { name: string; filters: HistoryFilters; query?: string }

export function filterCases(store: Store, words: (rank: number) => string): FilterCase[] {
  const newest = (store.runs.listRuns({ limit: 1 })[0]?.cursor ?? 0) / SEQ_PER_MS;
  const month = 30 * 86_400_000;
  return [
    { name: 'tag (a third of runs)', filters: { tags: ['common'] } },
    { name: 'tag (one run in 200)', filters: { tags: ['rare'] } },
    { name: 'two tags (common + mid)', filters: { tags: ['common', 'mid'] } },
    { name: 'two tags (common + rare)', filters: { tags: ['common', 'rare'] } },
    { name: 'status ok (every column)', filters: { status: 'ok' } },
    { name: 'status interrupted', filters: { status: 'interrupted' } },
    { name: 'model (catalog id)', filters: { model: 'openai/gpt-4o-mini' } },
    { name: 'served model', filters: { model: 'gpt-4o-mini' } },
    { name: 'provider', filters: { provider: 'groq' } },
    { name: 'source (one run in 20)', filters: { source: 'fork' } },
    { name: 'date: one month, half a year back', filters: { since: newest - 6 * month, until: newest - 5 * month } },
    { name: 'tag + status + model', filters: { tags: ['common'], status: 'failed', model: 'google/gemini-2.5-pro' } },
    { name: 'source + date', filters: { source: 'cli', since: newest - 3 * month } },
    { name: 'search common word + common tag', filters: { tags: ['common'] }, query: words(0) },
    { name: 'search common word + rare tag', filters: { tags: ['rare'] }, query: words(0) },
    { name: 'search rarer word + common tag', filters: { tags: ['common'] }, query: words(1000) },
    { name: 'search rarer word + rare tag', filters: { tags: ['rare'] }, query: words(1000) },
    { name: 'search rarer word + tag on 10 runs', filters: { tags: ['few'] }, query: words(1000) },
    { name: 'search half-typed + status failed', filters: { status: 'failed' }, query: words(3).slice(0, 2) },
  ];
}
export { PAGE as FILTER_PAGE };
