/**
 * The prompt library in the window: the saved prompts (the engine's, in SQLite),
 * whether the Library dialog is open, and putting a filled-in prompt into the draft.
 */
import type { SavedPrompt, SavePromptArgs } from '../../shared/contract';
import { errorMessage } from '../transport/build';
import type { SliceCreator, StoreDeps } from './types';

export type SavePromptOutcome = { ok: true; prompt: SavedPrompt } | { ok: false; error: string; conflict: boolean };

export interface PromptsSlice {
  libraryOpen: boolean;
  /** null until first loaded. */
  savedPrompts: SavedPrompt[] | null;
  promptsError: string | null;
  setLibraryOpen(open: boolean): void;
  loadPrompts(): Promise<void>;
  savePrompt(args: SavePromptArgs): Promise<SavePromptOutcome>;
  /** The error in one line, or null when deleted. */
  deletePrompt(id: string): Promise<string | null>;
  /** Puts `text` (the prompt filled in) into the prompt or the system prompt, and records the use. */
  applyPrompt(p: SavedPrompt, text: string): void;
}

/** The engine's refusal of a taken name (prompt-library.ts): the window offers Replace for it. */
const CONFLICT = /already exists: confirm to replace it/;

export const createPromptsSlice =
  (deps: StoreDeps): SliceCreator<PromptsSlice> =>
  (set, get) => ({
    libraryOpen: false,
    savedPrompts: null,
    promptsError: null,
    setLibraryOpen: (libraryOpen) => {
      set({ libraryOpen });
      if (libraryOpen) void get().loadPrompts();
    },
    loadPrompts: async () => {
      try {
        set({ savedPrompts: await deps.client.prompts.listPrompts({}), promptsError: null });
      } catch (err) {
        set({ promptsError: `cannot load the library: ${errorMessage(err)}` });
      }
    },
    savePrompt: async (args) => {
      try {
        const prompt = await deps.client.prompts.savePrompt(args);
        await get().loadPrompts();
        return { ok: true, prompt };
      } catch (err) {
        const error = errorMessage(err);
        return { ok: false, error, conflict: CONFLICT.test(error) };
      }
    },
    deletePrompt: async (id) => {
      try {
        await deps.client.prompts.deletePrompt({ id });
        await get().loadPrompts();
        return null;
      } catch (err) {
        return errorMessage(err);
      }
    },
    applyPrompt: (p, text) => {
      if (p.kind === 'system') {
        get().setDraft({ system: text });
        get().setSystemOpen(true);
      } else get().setDraft({ prompt: text });
      set({ libraryOpen: false });
      // The order of the list only: a failure here costs nothing the user asked for.
      deps.client.prompts.markUsed({ id: p.id }).then(() => get().loadPrompts(), () => {});
    },
  });
