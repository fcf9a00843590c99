/**
 * Turns what someone typed into History's search box into an FTS5 query:
 * every word a quoted prefix term (so input is never FTS syntax), all of
 * them required.
 *
 * FTS5 answers a prefix term by first merging the lists of every word that
 * starts with it into one buffer, the whole history's worth, before it can
 * return one row: a common word such as "because" costs that on every page.
 * Prefixes of 1-3 characters have their own indexes (migration 0010); a
 * longer plain word is instead expanded here into the indexed words it is a
 * prefix of, and those are OR-ed, which FTS5 walks lazily, newest first,
 * stopping after a page. Same matches, same order.
 */
import type { DB } from './db';

/** Up to this many words are OR-ed; a prefix matching more is left to FTS5 (rare: few share four letters and more). */
const MAX_EXPANSION = 64;
// What the unicode61 tokenizer keeps as one token and only lower-cases: the expansion must not fold differently than it does.
const PLAIN_WORD = /^[a-z0-9]{4,}$/;

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** The smallest string above every string that starts with `w` (ASCII). */
const upperBound = (w: string): string => w.slice(0, -1) + String.fromCharCode(w.charCodeAt(w.length - 1) + 1);

export function createMatchBuilder(db: DB) {
  // A view of the index's terms, in this connection only (temp): nothing is written to the file.
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.runs_fts_terms USING fts5vocab(main, runs_fts, 'row')`);
  const terms = db.prepare(`SELECT term FROM temp.runs_fts_terms WHERE term >= ? AND term < ? LIMIT ${MAX_EXPANSION + 1}`).pluck();

  /** The MATCH expression for `query`, or null when some word occurs nowhere (nothing can match). */
  return function matchFor(query: string): string | null {
    const parts: string[] = [];
    for (const raw of query.trim().split(/\s+/)) {
      const w = raw.toLowerCase();
      if (!PLAIN_WORD.test(w)) {
        parts.push(`${quote(raw)}*`);
        continue;
      }
      const found = terms.all(w, upperBound(w)) as string[];
      if (found.length === 0) return null;
      parts.push(found.length > MAX_EXPANSION ? `${quote(w)}*` : `(${found.map(quote).join(' OR ')})`);
    }
    // Explicit AND: FTS5 takes implicit AND between phrases only, not beside a parenthesised group.
    return parts.join(' AND ');
  };
}
