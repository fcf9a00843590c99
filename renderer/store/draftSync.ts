/**
 * Keeps the compare form in the engine's SQLite (settings:save-draft), so a
 * reload or a crash of the window loses nothing typed. Durable data lives in
 * SQLite, not in the page's storage (STYLE.md 9).
 */
import type { ContractClient, SavedDraft } from '../../shared/contract';
import { emptyDraft, type Draft } from './draft';
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from './types';

/** Long enough that typing is one save per pause, short enough that a crash loses a word at most. */
export const DRAFT_SAVE_MS = 400;

const isBlank = (d: Draft) => JSON.stringify(d) === JSON.stringify(emptyDraft);

/** The saved draft over the empty one, field by field: a field of the wrong type is left out, unknown ones kept. */
export function draftFromSaved(saved: SavedDraft): Draft {
  const out: Record<string, unknown> = { ...saved };
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  for (const [k, v] of Object.entries(emptyDraft)) {
    const got = out[k];
    // A group saved by an older form (routing) gets the fields it lacked from the empty one.
    if (isObject(v)) out[k] = isObject(got) ? { ...v, ...got } : v;
    else if (Array.isArray(v) ? !Array.isArray(got) : typeof got !== typeof v) out[k] = v;
  }
  return out as unknown as Draft;
}

/**
 * Restores the saved draft (unless something was typed meanwhile), then saves
 * every change after a pause, and once more when the page goes away.
 * Returns the stop function.
 */
export function syncDraft(store: StoreApi<AppState>, client: ContractClient, opts: { delayMs?: number } = {}): () => void {
  const delay = opts.delayMs ?? DRAFT_SAVE_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let restored = false;
  let lastSaved = '';
  const save = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const draft = store.getState().draft;
    const text = JSON.stringify(draft);
    if (text === lastSaved) return;
    lastSaved = text;
    client.settings.saveDraft({ draft: draft as unknown as SavedDraft }).catch((err: unknown) => {
      lastSaved = '';
      store.getState().setNotice(`the draft was not saved: ${err instanceof Error ? err.message : String(err)}`);
    });
  };
  const unsubscribe = store.subscribe((s, prev) => {
    // Until the saved draft is back, an empty form must not overwrite it.
    if (!restored || s.draft === prev.draft) return;
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  });
  const flush = (): void => {
    if (timer !== undefined) save();
  };
  addEventListener('pagehide', flush);

  void client.settings
    .getDraft({})
    .then(({ draft }) => {
      lastSaved = draft ? JSON.stringify(draftFromSaved(draft)) : JSON.stringify(emptyDraft);
      if (draft && isBlank(store.getState().draft)) {
        store.setState({ draft: draftFromSaved(draft) });
        // The previews were the page's own: after a reload the images' thumbnails come back from the store.
        void store.getState().loadAttachmentPreviews(store.getState().draft.attachments);
      }
    })
    .catch(() => {
      // No saved draft to offer (an older host): the form starts empty and is saved from here on.
    })
    .finally(() => {
      restored = true;
      if (JSON.stringify(store.getState().draft) !== lastSaved) timer = setTimeout(save, delay);
    });

  return () => {
    flush();
    unsubscribe();
    removeEventListener('pagehide', flush);
  };
}
