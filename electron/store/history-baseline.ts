/**
 * History's list and search as they were before migration 0010: every match
 * joined to its run and sorted by date before a page is cut, pages by OFFSET.
 * Kept only so `npm run bench` can measure the new queries against the old
 * ones on the same database, in the same run; nothing else calls them.
 */
import type { DB } from './db';

const SUMMARY = `r.id, r.created_at, r.status, r.prompt_preview,
  (SELECT json_group_array(target) FROM (SELECT target FROM columns WHERE run_id = r.id ORDER BY idx)) AS targets,
  (SELECT json_group_array(status) FROM (SELECT status FROM columns WHERE run_id = r.id ORDER BY idx)) AS statuses,
  (SELECT SUM(cost_usd) FROM columns WHERE run_id = r.id) AS cost`;

export function legacyHistoryQueries(db: DB) {
  const list = db.prepare(`SELECT ${SUMMARY} FROM runs r ORDER BY r.created_at DESC, r.rowid DESC LIMIT ? OFFSET ?`);
  const search = db.prepare(`SELECT ${SUMMARY} FROM runs_fts f JOIN runs r ON r.id = f.run_id WHERE runs_fts MATCH ? ORDER BY r.created_at DESC LIMIT ? OFFSET ?`);
  const match = (q: string) => q.trim().split(/\s+/).map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
  return {
    list: (limit: number, offset: number) => list.all(limit, offset).length,
    search: (query: string, limit: number, offset: number) => search.all(match(query), limit, offset).length,
  };
}
