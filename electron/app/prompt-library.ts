/**
 * The prompt library's rules, once, for the contract's handlers and the CLI:
 * saving (a taken name is refused unless replaced), finding a template by
 * name.
 */
import type { ContractHandlers, PromptKind, SavedPrompt } from '../../shared/contract';
import { quote } from '../../shared/quote';
import { newId } from '../engine/engine';
import { UserError } from '../engine/errors';
import type { Store } from '../store';
import type { PromptWrite } from '../store/prompts-repo';

/** "prompt" or "system prompt", as a sentence names the kind. */
export const kindWord = (kind: PromptKind): string => (kind === 'system' ? 'system prompt' : 'prompt');

/**
 * Saves, or throws one line: a name taken in the same kind (`howToReplace` says how to
 * overwrite it where the caller is: the window's button, the CLI's flag), or an id that is gone.
 */
export function savePrompt(store: Store, w: PromptWrite, howToReplace: string): SavedPrompt {
  const outcome = store.prompts.save(w, Date.now(), () => newId('p_'));
  if ('conflict' in outcome) throw new UserError(`a ${kindWord(w.kind)} named ${quote(w.name)} already exists: ${howToReplace}, or choose another name`);
  if ('missing' in outcome) throw new UserError(`no saved prompt ${quote(outcome.missing)}: it was deleted (save it as a new one)`, 'not_found');
  return outcome.saved;
}

/**
 * The saved prompt of this kind and name, or one line saying there is none; when the
 * name is taken in the other kind, the line says so (`otherKindHint`: how to ask for it).
 */
export function findPrompt(store: Store, kind: PromptKind, name: string, otherKindHint: string): SavedPrompt {
  const found = store.prompts.byName(kind, name);
  if (found) return found;
  const other = kind === 'system' ? 'prompt' : 'system';
  const there = store.prompts.byName(other, name) ? `; there is a ${kindWord(other)} of that name (${otherKindHint})` : ' (switchyard prompts list shows the saved ones)';
  throw new UserError(`no ${kindWord(kind)} named ${quote(name)}${there}`, 'not_found');
}

export function promptHandlers(store: Store): Pick<ContractHandlers, 'prompts'> {
  return {
    prompts: {
      async listPrompts({ kind, query }) {
        return store.prompts.list({ kind, query });
      },
      async savePrompt(args) {
        return savePrompt(store, args, 'confirm to replace it');
      },
      async deletePrompt({ id }) {
        if (!store.prompts.remove(id)) throw new UserError(`no saved prompt ${quote(id)}: it was already deleted`, 'not_found');
        return { ok: true };
      },
      async markUsed({ id }) {
        return { ok: store.prompts.markUsed(id, Date.now()) };
      },
    },
  };
}
