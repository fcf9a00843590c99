/**
 * History's filtered list (model, provider, status, tags, source, dates, with
 * or without a search), newest first, paged by `seq` like the plain list.
 *
 * Every filter but the dates is a set of runs kept in an index ordered by seq
 * (run_tags, run_facets, runs_source; migration 0013). The query walks the
 * smallest of them backwards from the cursor and checks each run against the
 * others by one index lookup each, so a page costs about a page of lookups
 * however large history is. The dates are a range of seq.
 *
 * With a search as well, a filter set of under DRIVE_LIMIT runs (a tag on a
 * handful of runs) is walked with the full-text match checked per
 * run by rowid; otherwise the full-text index is walked as the plain search
 * does, the filters checked per match.
 */
import { SEQ_PER_MS } from './migrations/0010-history-keyset';
import { UNKNOWN_SOURCE, tagKey, type HistoryFilters } from '../../shared/run-labels';
import type { Statement } from 'better-sqlite3';
import type { DB } from './db';

/**
 * A set of fewer runs than this drives a search; counting stops here, so a count costs at most this many
 * index entries. Small on purpose: checking one run against a common word's match (expanded into up to 64
 * words, fts-match.ts) costs about 0.3 ms, while walking the full-text index costs about 1 µs per match
 * (measured on 10,000 runs: a common word with a tag on one run in 200 took 17 ms driven by the tag,
 * 7.5 ms driven by the index walking every match).
 */
const DRIVE_LIMIT = 100;

interface RunSet {
  /** How many runs of the set lie in [lo, hi), counted up to DRIVE_LIMIT. */
  count(lo: number, hi: number): number;
  /** FROM and WHERE when this set drives: its rows are `d`, each with `d.seq`. */
  drive: { from: string; where: string; params: unknown[] };
  /** A condition on the run `r` (joined), true when it is in the set. */
  probe: { where: string; params: unknown[] };
}

export interface FilteredQuery {
  filters: HistoryFilters;
  /** The full-text MATCH expression, or undefined for no search. */
  match?: string | undefined;
  before: number;
  limit: number;
  offset: number;
}

export function createHistoryFilters(db: DB, summaryColumns: string) {
  const countStmts = new Map<string, Statement<unknown[]>>();
  const counter = (sql: string) => {
    let st = countStmts.get(sql);
    if (!st) countStmts.set(sql, (st = db.prepare(`SELECT COUNT(*) FROM (SELECT 1 FROM ${sql} AND seq < ? AND seq >= ? LIMIT ${DRIVE_LIMIT})`).pluck()));
    return st;
  };
  const pageStmts = new Map<string, Statement<unknown[]>>();
  const prepared = (sql: string) => {
    let st = pageStmts.get(sql);
    if (!st) pageStmts.set(sql, (st = db.prepare(sql)));
    return st;
  };

  function tagSet(tag: string): RunSet {
    const key = tagKey(tag);
    return {
      count: (lo, hi) => counter('run_tags WHERE tag_key = ?').get(key, hi, lo) as number,
      drive: { from: 'run_tags d', where: 'd.tag_key = ?', params: [key] },
      probe: { where: 'EXISTS (SELECT 1 FROM run_tags x WHERE x.tag_key = ? AND x.seq = r.seq)', params: [key] },
    };
  }

  function facetSet(kind: 'model' | 'provider' | 'status', value: string): RunSet {
    const v = value.trim().toLowerCase();
    return {
      count: (lo, hi) => counter('run_facets WHERE kind = ? AND value = ?').get(kind, v, hi, lo) as number,
      drive: { from: 'run_facets d', where: 'd.kind = ? AND d.value = ?', params: [kind, v] },
      probe: { where: 'EXISTS (SELECT 1 FROM run_facets x WHERE x.kind = ? AND x.value = ? AND x.seq = r.seq)', params: [kind, v] },
    };
  }

  function sourceSet(source: string): RunSet {
    if (source === UNKNOWN_SOURCE) {
      return {
        count: (lo, hi) => counter('runs WHERE source IS NULL').get(hi, lo) as number,
        drive: { from: 'runs d', where: 'd.source IS NULL', params: [] },
        probe: { where: 'r.source IS NULL', params: [] },
      };
    }
    return {
      count: (lo, hi) => counter('runs WHERE source = ?').get(source, hi, lo) as number,
      drive: { from: 'runs d', where: 'd.source = ?', params: [source] },
      probe: { where: 'r.source = ?', params: [source] },
    };
  }

  function setsOf(f: HistoryFilters): RunSet[] {
    const sets: RunSet[] = [];
    for (const t of f.tags ?? []) sets.push(tagSet(t));
    if (f.status) sets.push(facetSet('status', f.status));
    if (f.model) sets.push(facetSet('model', f.model));
    if (f.provider) sets.push(facetSet('provider', f.provider));
    if (f.source) sets.push(sourceSet(f.source));
    return sets;
  }

  /** The seq range [lo, hi) the dates and the cursor leave. */
  function range(f: HistoryFilters, before: number): { lo: number; hi: number } {
    const lo = f.since === undefined ? 0 : f.since * SEQ_PER_MS;
    const hi = f.until === undefined ? before : Math.min(before, f.until * SEQ_PER_MS);
    return { lo, hi };
  }

  /** The statement and its parameters for one page; exposed so tests can read its plan. */
  function build(q: FilteredQuery): { sql: string; params: unknown[] } {
    const { lo, hi } = range(q.filters, q.before);
    const sets = setsOf(q.filters);
    const counts = sets.map((s) => s.count(lo, hi));
    const smallest = counts.length ? counts.indexOf(Math.min(...counts)) : -1;
    const ftsDrives = q.match !== undefined && (smallest < 0 || counts[smallest]! >= DRIVE_LIMIT);
    const tail = 'LIMIT ? OFFSET ?';

    if (ftsDrives) {
      const probes = sets.map((s) => s.probe);
      const where = ['runs_fts MATCH ?', 'f.rowid < ?', 'f.rowid >= ?', ...probes.map((p) => p.where)].join(' AND ');
      return {
        sql: `SELECT ${summaryColumns} FROM runs_fts f JOIN runs r ON r.seq = f.rowid WHERE ${where} ORDER BY f.rowid DESC ${tail}`,
        params: [q.match, hi, lo, ...probes.flatMap((p) => p.params), q.limit, q.offset],
      };
    }
    const driver = smallest >= 0 ? sets[smallest]! : null;
    const probes = sets.filter((_, i) => i !== smallest).map((s) => s.probe);
    if (q.match !== undefined) probes.push({ where: 'EXISTS (SELECT 1 FROM runs_fts f WHERE runs_fts MATCH ? AND f.rowid = r.seq)', params: [q.match] });
    const probeSql = probes.map((p) => ` AND ${p.where}`).join('');
    const probeParams = probes.flatMap((p) => p.params);
    if (!driver) {
      return {
        sql: `SELECT ${summaryColumns} FROM runs r WHERE r.seq < ? AND r.seq >= ?${probeSql} ORDER BY r.seq DESC ${tail}`,
        params: [hi, lo, ...probeParams, q.limit, q.offset],
      };
    }
    // A driver over `runs` itself is `r`; the others join runs by seq.
    const fromRuns = driver.drive.from === 'runs d';
    const from = fromRuns ? 'runs r' : `${driver.drive.from} JOIN runs r ON r.seq = d.seq`;
    const driveWhere = fromRuns ? driver.drive.where.replace(/\bd\./g, 'r.') : driver.drive.where;
    const seqCol = fromRuns ? 'r.seq' : 'd.seq';
    return {
      sql: `SELECT ${summaryColumns} FROM ${from} WHERE ${driveWhere} AND ${seqCol} < ? AND ${seqCol} >= ?${probeSql} ORDER BY ${seqCol} DESC ${tail}`,
      params: [...driver.drive.params, hi, lo, ...probeParams, q.limit, q.offset],
    };
  }

  return {
    build,
    page(q: FilteredQuery): unknown[] {
      const { sql, params } = build(q);
      return prepared(sql).all(...params);
    },
    /** SQLite's plan for the page `q` would read. */
    plan(q: FilteredQuery): string[] {
      const { sql, params } = build(q);
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
    },
  };
}
