import type { Estimate } from '../../shared/contract';
import { errorMessage } from '../transport/build';
import { draftFieldErrors, draftToRequest } from './draft';
import { runnableDraft } from './compareSlice';
import type { SliceCreator, StoreDeps } from './types';

/** Quiet time after the last edit before the draft is estimated again. */
export const PREFLIGHT_DEBOUNCE_MS = 300;

export interface PreflightSlice {
  /** The estimate of the draft as it was when last asked; kept while a newer one is on its way. */
  preflight: Estimate | null;
  /** One line: why the draft cannot be estimated (unknown model, bad parameter, engine unreachable). */
  preflightError: string | null;
  preflightPending: boolean;
  /** The request `preflight` estimated (JSON), so Send can tell whether the plans it shows are the draft's. */
  preflightRequest: string | null;
  /**
   * Estimates the current draft after `delayMs` without another call. A draft
   * with no prompt or no target clears the estimate at once, without a call.
   */
  schedulePreflight(delayMs?: number): void;
  runPreflight(): Promise<void>;
}

export const createPreflightSlice =
  (deps: StoreDeps): SliceCreator<PreflightSlice> =>
  (set, get) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Replies can overtake each other; only the latest request may set the panel.
    let seq = 0;
    const incomplete = (): boolean => {
      const d = get().draft;
      return !d.prompt.trim() || d.targets.length === 0;
    };
    const clear = (): void => {
      seq++;
      set({ preflight: null, preflightError: null, preflightPending: false, preflightRequest: null });
    };

    return {
      preflight: null,
      preflightError: null,
      preflightPending: false,
      preflightRequest: null,

      schedulePreflight: (delayMs = PREFLIGHT_DEBOUNCE_MS) => {
        if (timer) clearTimeout(timer);
        timer = null;
        if (incomplete()) {
          if (get().preflight || get().preflightError || get().preflightPending) clear();
          return;
        }
        // The draft changed: a reply still on its way describes the old one, so it is dropped on arrival.
        seq++;
        timer = setTimeout(() => {
          timer = null;
          void get().runPreflight();
        }, delayMs);
      },

      runPreflight: async () => {
        if (incomplete()) {
          clear();
          return;
        }
        const mine = ++seq;
        // Marked fields say what is wrong by themselves; the panel would say it a second time.
        if (Object.keys(draftFieldErrors(get().draft)).length > 0) {
          set({ preflight: null, preflightError: null, preflightPending: false, preflightRequest: null });
          return;
        }
        const { draft } = runnableDraft(get());
        if (draft.targets.length === 0) {
          set({ preflight: null, preflightError: null, preflightPending: false, preflightRequest: null });
          return;
        }
        const converted = draftToRequest(draft);
        if (!converted.ok) {
          set({ preflight: null, preflightError: converted.error, preflightPending: false, preflightRequest: null });
          return;
        }
        set({ preflightPending: true });
        try {
          const estimate = await deps.client.compare.estimateRun(converted.request);
          if (mine === seq) set({ preflight: estimate, preflightError: null, preflightPending: false, preflightRequest: JSON.stringify(converted.request) });
        } catch (err) {
          if (mine === seq) set({ preflight: null, preflightError: errorMessage(err), preflightPending: false, preflightRequest: null });
        }
      },
    };
  };
