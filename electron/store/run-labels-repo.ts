/** A run's tags and note (migration 0013); History reads them with the run (runs-repo). */
import { MAX_NOTE_CHARS, normalizeTags, tagKey } from '../../shared/run-labels';
import { quote } from '../../shared/quote';
import { UserError } from '../engine/errors';
import type { DB } from './db';

export function createRunLabelsRepo(db: DB) {
  const s = {
    seqOf: db.prepare('SELECT seq FROM runs WHERE id = ?').pluck(),
    tagsOf: db.prepare('SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag_key').pluck(),
    clearTags: db.prepare('DELETE FROM run_tags WHERE run_id = ?'),
    addTag: db.prepare('INSERT INTO run_tags (run_id, tag, tag_key, seq) VALUES (?, ?, ?, ?)'),
    setNote: db.prepare('UPDATE runs SET note = ? WHERE id = ?'),
    knownTags: db.prepare('SELECT tag FROM run_tags GROUP BY tag_key ORDER BY tag_key LIMIT ?').pluck(),
  };

  function seqOf(runId: string): number {
    const seq = s.seqOf.get(runId) as number | undefined;
    if (seq === undefined) throw new UserError(`no run ${quote(runId)} (see switchyard history list)`, 'not_found');
    return seq;
  }

  const replace = db.transaction((runId: string, tags: readonly string[]): string[] => {
    const seq = seqOf(runId);
    const checked = normalizeTags(tags);
    if (!checked.ok) throw new UserError(checked.error);
    s.clearTags.run(runId);
    for (const t of checked.tags) s.addTag.run(runId, t, tagKey(t), seq);
    return s.tagsOf.all(runId) as string[];
  });

  return {
    tagsOf(runId: string): string[] {
      seqOf(runId);
      return s.tagsOf.all(runId) as string[];
    },
    /** Replaces the run's tags with `tags` (checked, case-insensitive duplicates folded); returns them as stored. */
    setTags(runId: string, tags: readonly string[]): string[] {
      return replace(runId, tags);
    },
    /** Adds tags (a tag the run has in another case is kept as it was) and removes others, by key; one transaction. */
    editTags(runId: string, edit: { add?: readonly string[]; remove?: readonly string[] }): string[] {
      return db.transaction(() => {
        const drop = new Set((edit.remove ?? []).map(tagKey));
        const kept = (s.tagsOf.all(runId) as string[]).filter((t) => !drop.has(tagKey(t)));
        return replace(runId, [...kept, ...(edit.add ?? [])]);
      })();
    },
    /** Sets the note (trailing white space trimmed; empty clears it); returns it as stored. */
    setNote(runId: string, note: string | null): string | null {
      seqOf(runId);
      const text = note?.trimEnd() ?? '';
      if ([...text].length > MAX_NOTE_CHARS) throw new UserError(`the note is too long (${MAX_NOTE_CHARS.toLocaleString('en-US')} characters at most, ${[...text].length.toLocaleString('en-US')} given)`);
      const stored = text === '' ? null : text;
      s.setNote.run(stored, runId);
      return stored;
    },
    /** Tags in use, one spelling each, alphabetically (the filter bar's suggestions). */
    knownTags(limit = 500): string[] {
      return s.knownTags.all(limit) as string[];
    },
  };
}
export type RunLabelsRepo = ReturnType<typeof createRunLabelsRepo>;
