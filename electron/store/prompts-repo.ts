/** The prompt library (see migrations/0013-prompts.ts). */
import type { PromptKind, SavedPrompt } from '../../shared/contract/prompts';
import { templateVariables } from '../../shared/template';
import type { DB } from './db';

interface Row {
  id: string;
  name: string;
  kind: PromptKind;
  body: string;
  created_at: number;
  updated_at: number;
  last_used_at: number | null;
}

const COLUMNS = 'id, name, kind, body, created_at, updated_at, last_used_at';
/** The most a list answers with; a library is tens of prompts, not thousands. */
export const MAX_LISTED_PROMPTS = 1000;

function toPrompt(r: Row): SavedPrompt {
  return {
    id: r.id, name: r.name, kind: r.kind, body: r.body, variables: templateVariables(r.body),
    createdAt: r.created_at, updatedAt: r.updated_at, lastUsedAt: r.last_used_at,
  };
}

export interface PromptWrite {
  id?: string | undefined;
  name: string;
  kind: PromptKind;
  body: string;
  replace: boolean;
}

/** What a save did: the prompt as saved, the other prompt its name clashes with, or no prompt of that id. */
export type SaveOutcome = { saved: SavedPrompt } | { conflict: SavedPrompt } | { missing: string };

export function createPromptsRepo(db: DB) {
  const s = {
    // `@kind IS NULL OR …`: one statement for every filter; instr on lower() is a plain substring match (ASCII case folded).
    list: db.prepare(`SELECT ${COLUMNS} FROM prompts
      WHERE (@kind IS NULL OR kind = @kind) AND (@q IS NULL OR instr(lower(name), @q) > 0 OR instr(lower(body), @q) > 0)
      ORDER BY last_used_at IS NULL, last_used_at DESC, name, kind LIMIT @limit`),
    byId: db.prepare(`SELECT ${COLUMNS} FROM prompts WHERE id = ?`),
    byName: db.prepare(`SELECT ${COLUMNS} FROM prompts WHERE kind = ? AND name = ?`),
    insert: db.prepare('INSERT INTO prompts (id, name, kind, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
    update: db.prepare('UPDATE prompts SET name = ?, kind = ?, body = ?, updated_at = ? WHERE id = ?'),
    remove: db.prepare('DELETE FROM prompts WHERE id = ?'),
    touch: db.prepare('UPDATE prompts SET last_used_at = ? WHERE id = ?'),
  };
  const get = (id: string): SavedPrompt | null => {
    const r = s.byId.get(id) as Row | undefined;
    return r ? toPrompt(r) : null;
  };
  const save = db.transaction((w: PromptWrite, now: number, newId: () => string): SaveOutcome => {
    const clash = s.byName.get(w.kind, w.name) as Row | undefined;
    const other = clash && clash.id !== w.id ? toPrompt(clash) : null;
    if (other && !w.replace) return { conflict: other };
    if (w.id !== undefined) {
      if (!s.byId.get(w.id)) return { missing: w.id };
      // Renamed onto another prompt, confirmed: that one gives way.
      if (other) s.remove.run(other.id);
      s.update.run(w.name, w.kind, w.body, now, w.id);
      return { saved: get(w.id)! };
    }
    if (other) {
      s.update.run(w.name, w.kind, w.body, now, other.id);
      return { saved: get(other.id)! };
    }
    const id = newId();
    s.insert.run(id, w.name, w.kind, w.body, now, now);
    return { saved: get(id)! };
  });
  return {
    list(filter: { kind?: PromptKind | undefined; query?: string | undefined } = {}): SavedPrompt[] {
      const q = filter.query?.trim().toLowerCase() || null;
      return (s.list.all({ kind: filter.kind ?? null, q, limit: MAX_LISTED_PROMPTS }) as Row[]).map(toPrompt);
    },
    get,
    byName(kind: PromptKind, name: string): SavedPrompt | null {
      const r = s.byName.get(kind, name) as Row | undefined;
      return r ? toPrompt(r) : null;
    },
    /** Creates, updates (by id) or replaces (by name, when `replace`), in one transaction. */
    save(w: PromptWrite, now: number, newId: () => string): SaveOutcome {
      return save(w, now, newId);
    },
    remove(id: string): boolean {
      return s.remove.run(id).changes > 0;
    },
    markUsed(id: string, now: number): boolean {
      return s.touch.run(now, id).changes > 0;
    },
  };
}
export type PromptsRepo = ReturnType<typeof createPromptsRepo>;
