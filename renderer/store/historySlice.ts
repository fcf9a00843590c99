import type { RunResult, RunSummary } from '../../shared/domain';
import { errorMessage } from '../transport/build';
import type { SliceCreator, StoreDeps } from './types';

const PAGE = 100;

export interface HistorySlice {
  runs: RunSummary[];
  historyQuery: string;
  historyLoading: boolean;
  historyError: string | null;
  historyHasMore: boolean;
  openRunId: string | null;
  openRun: RunResult | null;
  openRunError: string | null;
  searchHistory(query: string): Promise<void>;
  loadMoreHistory(): Promise<void>;
  openHistoryRun(runId: string): Promise<void>;
  closeHistoryRun(): void;
  deleteHistoryRun(runId: string): Promise<void>;
  /** Loads a past run into the compare form and sends it again. */
  rerun(run: RunResult): Promise<void>;
}

export const createHistorySlice =
  (deps: StoreDeps): SliceCreator<HistorySlice> =>
  (set, get) => {
    // Answers to an older query can land after a newer one; only the latest may win.
    let seq = 0;
    const fetchPage = async (query: string, offset: number): Promise<void> => {
      const mine = ++seq;
      set({ historyLoading: true, historyError: null });
      try {
        const page = await deps.client.history.listRuns({ limit: PAGE, offset, ...(query.trim() ? { query: query.trim() } : {}) });
        if (mine !== seq) return;
        set((s) => ({
          runs: offset === 0 ? page : [...s.runs, ...page],
          historyHasMore: page.length === PAGE,
          historyLoading: false,
        }));
      } catch (err) {
        if (mine === seq) set({ historyLoading: false, historyError: errorMessage(err) });
      }
    };

    return {
      runs: [],
      historyQuery: '',
      historyLoading: false,
      historyError: null,
      historyHasMore: false,
      openRunId: null,
      openRun: null,
      openRunError: null,

      searchHistory: async (query) => {
        set({ historyQuery: query });
        await fetchPage(query, 0);
      },
      loadMoreHistory: async () => {
        const s = get();
        if (s.historyLoading || !s.historyHasMore) return;
        await fetchPage(s.historyQuery, s.runs.length);
      },
      openHistoryRun: async (runId) => {
        set({ openRunId: runId, openRun: null, openRunError: null });
        try {
          const run = await deps.client.history.getRun({ runId });
          if (get().openRunId === runId) set({ openRun: run });
        } catch (err) {
          if (get().openRunId === runId) set({ openRunError: errorMessage(err) });
        }
      },
      closeHistoryRun: () => set({ openRunId: null, openRun: null, openRunError: null }),
      deleteHistoryRun: async (runId) => {
        try {
          await deps.client.history.deleteRun({ runId });
          set((s) => ({
            runs: s.runs.filter((r) => r.runId !== runId),
            ...(s.openRunId === runId ? { openRunId: null, openRun: null } : {}),
          }));
        } catch (err) {
          get().setNotice(`delete failed: ${errorMessage(err)}`);
        }
      },
      rerun: async (run) => {
        const request = run.request ?? null;
        if (!request) {
          get().setNotice('this run has no stored prompt to send again');
          return;
        }
        get().loadRequest(request);
        get().setView('compare');
        await get().send();
      },
    };
  };
