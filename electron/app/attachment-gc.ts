/**
 * Attachment garbage collection. Files are stored once by hash (store/attachments-repo.ts)
 * and a run links the ones it sent; a file no run links and the saved draft does
 * not name is garbage. Two moments collect it:
 *
 * - deleting a run: the files it linked that no other run links, unless attached
 *   again since the run's last turn (a draft not saved yet may hold them);
 * - start-up: every orphan last attached more than GRACE_MS ago (a file dropped
 *   on the prompt moments ago, its draft not saved yet, is not one).
 */
import type { Store } from '../store';

/** Where the window's draft is saved (settings:save-draft). */
export const DRAFT_KEY = 'compare.draft';

/** An orphan younger than this is left alone: it may belong to a draft still being written. */
export const GRACE_MS = 60 * 60 * 1000;

/** The hashes the saved draft's attachments name (an unreadable draft names none). */
export function draftHashes(store: Pick<Store, 'settings'>): Set<string> {
  const raw = store.settings.get(DRAFT_KEY);
  if (raw === null) return new Set();
  try {
    const draft = JSON.parse(raw) as { attachments?: unknown };
    const list = Array.isArray(draft.attachments) ? draft.attachments : [];
    return new Set(list.flatMap((a: unknown) => (a && typeof a === 'object' && typeof (a as { hash?: unknown }).hash === 'string' ? [(a as { hash: string }).hash] : [])));
  } catch {
    return new Set();
  }
}

/**
 * Deletes a run and then the files only it used.
 * @example deleteRunWithFiles(store, 'r_…') // { ok: true, filesRemoved: 1 }
 */
export function deleteRunWithFiles(store: Pick<Store, 'runs' | 'attachments' | 'settings'>, runId: string): { ok: boolean; filesRemoved: number } {
  const run = store.runs.getRun(runId);
  const hashes = run ? store.attachments.ofRun(runId) : [];
  const ok = store.runs.deleteRun(runId);
  if (!ok || hashes.length === 0) return { ok, filesRemoved: 0 };
  const last = Math.max(run!.createdAt ?? 0, ...(run!.turns ?? []).map((t) => t.createdAt));
  return { ok, filesRemoved: store.attachments.collect({ hashes, storedBefore: last + 1, keep: draftHashes(store) }) };
}

/** Removes the orphans older than the grace period; how many. */
export function collectOrphans(store: Pick<Store, 'attachments' | 'settings'>, now: number = Date.now()): number {
  return store.attachments.collect({ storedBefore: now - GRACE_MS, keep: draftHashes(store) });
}
