import type { HistoryStats, RunResult, RunSummary } from '../../shared/domain';
import type { PastAttachment } from '../../shared/contract/history';
import type { AttachmentRef } from '../../shared/attachments';
import { noFilters, type HistoryFilters } from '../../shared/run-labels';
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
  /** For the footer; null until known (or when the host cannot say). */
  historyStats: HistoryStats | null;
  searchHistory(query: string): Promise<void>;
  loadMoreHistory(): Promise<void>;
  openHistoryRun(runId: string): Promise<void>;
  closeHistoryRun(): void;
  deleteHistoryRun(runId: string): Promise<void>;
  /** Loads a past run into the compare form and sends it again. */
  rerun(run: RunResult): Promise<void>;
  /** The filter bar's filters; each change reloads the list from its first page. */
  historyFilters: HistoryFilters;
  setHistoryFilters(filters: HistoryFilters): Promise<void>;
  /** Tags in use, for the filter bar's and the tag editor's suggestions. */
  knownTags: string[];
  loadKnownTags(): Promise<void>;
  /** Replaces a run's tags; the open run and its row show what was stored. Resolves to an error message, or null. */
  setRunTags(runId: string, tags: string[]): Promise<string | null>;
  /** Saves a run's note; resolves to an error message, or null when saved. */
  saveRunNote(runId: string, note: string): Promise<string | null>;
  /** Past runs' attachments by hash, as fetched (what is stored, an image's bytes). */
  pastAttachments: Record<string, PastAttachment | { hash: string; error: string }>;
  loadPastAttachment(hash: string): Promise<void>;
  /** Thumbnails for the form's image chips, read back from the store (a rerun's files, a draft restored after a reload). */
  loadAttachmentPreviews(attachments: readonly AttachmentRef[]): Promise<void>;
}

export const createHistorySlice =
  (deps: StoreDeps): SliceCreator<HistorySlice> =>
  (set, get) => {
    // Answers to an older query can land after a newer one; only the latest may win.
    let seq = 0;
    /** `after`: the last run shown; the next page is asked for by its cursor (keyset: page 1,000 costs what page 1 does). */
    const fetchPage = async (query: string, after: RunSummary | null, shown: number): Promise<void> => {
      const mine = ++seq;
      set({ historyLoading: true, historyError: null });
      try {
        const q = query.trim() ? { query: query.trim() } : {};
        const filters = get().historyFilters;
        const f = noFilters(filters) ? {} : { filters };
        // A host without cursors (older build) still pages by offset.
        const where = after?.cursor !== undefined ? { before: after.cursor } : { offset: after ? shown : 0 };
        const page = await deps.client.history.listRuns({ limit: PAGE, ...where, ...q, ...f });
        if (mine !== seq) return;
        set((s) => ({
          runs: after === null ? page : [...s.runs, ...page],
          historyHasMore: page.length === PAGE,
          historyLoading: false,
        }));
      } catch (err) {
        if (mine === seq) set({ historyLoading: false, historyError: errorMessage(err) });
      }
    };

    // Counted on entering the view and after a delete, not on every keystroke of a search.
    const loadStats = async (): Promise<void> => {
      try {
        // Not the answers: counting a million of them holds the engine's thread for tens of ms.
        set({ historyStats: await deps.client.history.getStats({ countColumns: false }) });
      } catch {
        // The footer is a figure, not a function: without it the list still works.
        set({ historyStats: null });
      }
    };

    const loadAttachmentPreviews = async (attachments: readonly AttachmentRef[]): Promise<void> => {
      const images = attachments.filter((a) => a.mime.startsWith('image/') && !get().attachmentPreviews[a.hash]);
      for (const a of images) {
        await get().loadPastAttachment(a.hash);
        const got = get().pastAttachments[a.hash];
        if (got && 'dataBase64' in got && got.dataBase64 && got.mime) {
          const url = `data:${got.mime};base64,${got.dataBase64}`;
          set((s) => ({ attachmentPreviews: { ...s.attachmentPreviews, [a.hash]: url } }));
        }
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
      historyStats: null,
      historyFilters: {},
      knownTags: [],
      pastAttachments: {},
      loadAttachmentPreviews,

      setHistoryFilters: async (filters) => {
        set({ historyFilters: filters });
        await fetchPage(get().historyQuery, null, 0);
      },
      loadKnownTags: async () => {
        try {
          set({ knownTags: (await deps.client.history.listTags({})).tags });
        } catch {
          // Suggestions only: typing a tag still works without them.
        }
      },
      setRunTags: async (runId, tags) => {
        try {
          const stored = (await deps.client.history.setTags({ runId, tags })).tags;
          set((s) => ({
            runs: s.runs.map((r) => (r.runId === runId ? { ...r, tags: stored } : r)),
            openRun: s.openRun?.runId === runId ? { ...s.openRun, tags: stored } : s.openRun,
            knownTags: [...new Set([...s.knownTags, ...stored])].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
          }));
          return null;
        } catch (err) {
          return errorMessage(err);
        }
      },
      saveRunNote: async (runId, note) => {
        try {
          const stored = (await deps.client.history.setNote({ runId, note })).note;
          set((s) => ({ openRun: s.openRun?.runId === runId ? { ...s.openRun, note: stored } : s.openRun }));
          return null;
        } catch (err) {
          return errorMessage(err);
        }
      },
      loadPastAttachment: async (hash) => {
        if (get().pastAttachments[hash]) return;
        try {
          const a = await deps.client.history.getAttachment({ hash });
          set((s) => ({ pastAttachments: { ...s.pastAttachments, [hash]: a } }));
        } catch (err) {
          set((s) => ({ pastAttachments: { ...s.pastAttachments, [hash]: { hash, error: errorMessage(err) } } }));
        }
      },

      searchHistory: async (query) => {
        set({ historyQuery: query });
        if (!query.trim()) void loadStats();
        await fetchPage(query, null, 0);
      },
      loadMoreHistory: async () => {
        const s = get();
        if (s.historyLoading || !s.historyHasMore) return;
        await fetchPage(s.historyQuery, s.runs.at(-1) ?? null, s.runs.length);
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
          void loadStats();
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
        // The form's chips show a thumbnail for each image, read back from the store (the files may be long gone from disk).
        void loadAttachmentPreviews(request.messages.at(-1)?.attachments ?? []);
        get().setView('compare');
        await get().send('rerun');
      },
    };
  };
