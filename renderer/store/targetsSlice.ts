import type { TargetCheck, TargetFix } from '../../shared/contract';
import { errorMessage } from '../transport/build';
import type { SliceCreator, StoreDeps } from './types';

export interface TargetsSlice {
  /** What the engine said of each chosen target when it was added (or when the providers last changed). */
  targetChecks: Record<string, TargetCheck>;
  /** The providers the checks were made against (ids and base URLs): a change re-checks every target. */
  targetChecksFor: string | null;
  /** A chip's fix: the Providers view opens its form with this (cleared once the form took it). */
  providerFix: TargetFix | null;
  /** Checks the draft's targets not yet checked against the current providers. */
  checkTargets(): Promise<void>;
  openProviderFix(fix: TargetFix): void;
  takeProviderFix(): TargetFix | null;
}

/**
 * The targets a send can run now: unchecked ones go (the engine decides), so
 * only a target the engine already refused is left out.
 */
export function runnable(targets: readonly string[], checks: Record<string, TargetCheck>): { run: string[]; left: TargetCheck[] } {
  const left = targets.flatMap((t) => (checks[t] && !checks[t].ok ? [checks[t]] : []));
  return { run: targets.filter((t) => !left.some((c) => c.target === t)), left };
}

export const createTargetsSlice =
  (deps: StoreDeps): SliceCreator<TargetsSlice> =>
  (set, get) => ({
    targetChecks: {},
    targetChecksFor: null,
    providerFix: null,

    checkTargets: async () => {
      const s = get();
      const against = JSON.stringify(s.providers.map((p) => [p.id, p.baseUrl, p.serves, p.keys.map((k) => k.set)]));
      const fresh = against === s.targetChecksFor;
      const todo = s.draft.targets.filter((t) => !fresh || !s.targetChecks[t]);
      if (fresh && todo.length === 0) return;
      if (!fresh) {
        // What the engine last refused may be fixed now (a provider added, a key set): the message goes with its cause.
        // While a run streams, the message may be "still streaming", which this does not change.
        const streaming = Object.values(s.live).some((r) => r.status === 'running');
        set({ targetChecksFor: against, targetChecks: {}, ...(streaming ? {} : { sendError: null }) });
      }
      if (todo.length === 0) return;
      try {
        const checks = await deps.client.compare.checkTargets({ targets: todo });
        // Providers changed while this was on its way: the newer check will land instead.
        if (get().targetChecksFor !== against) return;
        set((st) => ({ targetChecks: { ...st.targetChecks, ...Object.fromEntries(checks.map((c) => [c.target, c])) } }));
      } catch (err) {
        // Unchecked targets still go to the engine, which says the same thing at send; the notice says why no chip is marked.
        get().setNotice(`could not check targets: ${errorMessage(err)}`);
      }
    },

    openProviderFix: (fix) => set({ providerFix: fix, view: 'providers' }),
    takeProviderFix: () => {
      const fix = get().providerFix;
      if (fix) set({ providerFix: null });
      return fix;
    },
  });
