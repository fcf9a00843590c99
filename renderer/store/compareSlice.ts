import type { Estimate } from '../../shared/contract';
import type { CompareEvent, CompareRequest, CompareRequestInput, RunResult } from '../../shared/domain';
import type { AttachmentRef } from '../../shared/attachments';
import { conversationOf } from '../../shared/conversation';
import { errorMessage } from '../transport/build';
import { draftFieldErrors, draftToRequest, emptyDraft, requestToDraft, type Draft } from './draft';
import { runnable } from './targetsSlice';
import { syncDraft } from './draftSync';
import { fileToBase64, sizeProblem, THUMBNAIL_MAX_BYTES } from '../lib/files';
import { FrameBatcher } from './frames';
import { pruneRuns, reduceEvents, resetColumn, restoreColumn, runFromResult, runFromSeeds, type LiveRuns } from './reduce';
import type { SliceCreator, StoreDeps } from './types';

export interface CompareSlice {
  draft: Draft;
  live: LiveRuns;
  /** The run the compare view shows (the last one this window started). */
  activeRunId: string | null;
  sending: boolean;
  sendError: string | null;
  /** Targets the last Send left out because the engine cannot serve them (their chips say why). */
  leftOut: string[];
  setDraft(patch: Partial<Draft>): void;
  /** Uploads in flight (dropped, pasted or picked files). */
  attaching: number;
  /** Why the last file could not be attached, one line; cleared by the next attach or removal. */
  attachError: string | null;
  /** Thumbnails of small images attached in this window, by hash (not persisted: the draft keeps hashes only). */
  attachmentPreviews: Record<string, string>;
  /** Stores each file with the engine (type told from its bytes) and adds it to the draft (or the follow-up box), in order. */
  attachFiles(files: readonly File[], to?: 'draft' | 'followUp'): Promise<void>;
  removeFollowUpAttachment(hash: string): void;
  removeAttachment(hash: string): void;
  addTarget(target: string): void;
  removeTarget(target: string): void;
  loadRequest(request: CompareRequest | CompareRequestInput): void;
  /** `source`: History's Rerun says `rerun`; the window's own Send is `window`. */
  send(source?: 'window' | 'rerun'): Promise<void>;
  stopAll(): Promise<void>;
  stopColumn(columnId: string): Promise<void>;
  retryColumn(columnId: string): Promise<void>;
  /** The follow-up box under a finished run: its text and the column (0-based) it goes to alone, or null for all. */
  followUp: { prompt: string; column: number | null; error: string | null; toolResults?: Record<string, string>; attachments: AttachmentRef[]; attachError: string | null; attaching: number };
  /** The result typed for one tool call of the last answers, sent with the next follow-up. */
  setToolResult(callId: string, value: string): void;
  setFollowUp(patch: { prompt?: string; column?: number | null }): void;
  /** Sends the box's prompt as the next turn of the run in view. */
  sendFollowUp(): Promise<void>;
  /** Pre-fills a new run with a column's conversation; the user picks the models and writes the next prompt. */
  forkColumn(columnId: string): Promise<void>;
  /** Drops a fork's history from the draft (a fresh question again). */
  clearHistory(): void;
  /** Buffers one streamed event; the batch is reduced into `live` on the next frame. */
  receiveEvent(event: CompareEvent): void;
  /** Subscribes to the engine's event stream; returns the unsubscribe. */
  connectEvents(): () => void;
  /**
   * Picks up the runs still streaming (after a reload): their columns with the
   * text so far, then only the events after that snapshot. Call after connectEvents.
   */
  resumeActive(): Promise<void>;
  /** Restores the saved draft and keeps saving it (see draftSync); returns the stop function. */
  keepDraft(): () => void;
}

/**
 * Past this many columns streaming at once, text is committed every second
 * frame (30 a second): each commit lays out and paints every column in view.
 * At 16 columns x 100 tokens/s on two cores, committing every frame left 4-13%
 * of frames late (p95 33 ms); every second frame, 1-2% (bench: ui, 2026-12-02).
 * Tokens still appear within 33 ms of arriving.
 */
export const WIDE_FAN_OUT = 4;

const EMPTY_FOLLOW_UP: CompareSlice['followUp'] = { prompt: '', column: null, error: null, attachments: [], attachError: null, attaching: 0 };

export const STILL_STREAMING = 'a run is still streaming: stop it (Esc) or let it finish first';

/** Above Send when fields are marked: the sentences themselves sit by each field, said once. */
export function markedFieldsError(n: number): string {
  return n === 1 ? 'fix the marked field first' : `fix the ${n} marked fields first`;
}

/** The draft as Send and the pre-flight send it: only the targets the engine can serve. */
export function runnableDraft(s: { draft: Draft; targetChecks: Parameters<typeof runnable>[1] }): { draft: Draft; left: string[] } {
  const { run, left } = runnable(s.draft.targets, s.targetChecks);
  return { draft: { ...s.draft, targets: run }, left: left.map((c) => c.target) };
}

/**
 * Carries the plan ids the pre-flight panel shows, when it shows this very
 * request: the engine then says which columns it had to re-plan at send.
 */
function withShownPlans(request: CompareRequestInput, s: { preflight: Estimate | null; preflightPending: boolean; preflightRequest: string | null }): CompareRequestInput {
  if (!s.preflight || s.preflightPending || s.preflightRequest !== JSON.stringify(request)) return request;
  return { ...request, plans: s.preflight.columns.map((c) => c.plan?.id ?? null) };
}

function countStreaming(live: LiveRuns): number {
  let n = 0;
  for (const run of Object.values(live)) {
    if (run.status !== 'running') continue;
    for (const id of run.order) {
      const status = run.columns[id]?.status;
      if (status === 'running' || status === 'queued') n++;
    }
  }
  return n;
}

export const createCompareSlice =
  (deps: StoreDeps): SliceCreator<CompareSlice> =>
  (set, get, api) => {
    let streaming = 0;
    const batcher = new FrameBatcher<CompareEvent>(
      (events) => {
        set((s) => {
          const keep = new Set(s.activeRunId ? [s.activeRunId] : []);
          const live = pruneRuns(reduceEvents(s.live, events), keep);
          streaming = countStreaming(live);
          // "Still streaming" is true no longer once nothing streams.
          const stale = s.sendError === STILL_STREAMING && !Object.values(live).some((r) => r.status === 'running');
          return stale ? { live, sendError: null } : { live };
        });
      },
      deps.frames,
      () => (streaming > WIDE_FAN_OUT ? 2 : 1),
    );

    // Reattaching after a reload: events wait while the snapshot is on its way, then
    // those it already holds (seq <= floor) are dropped.
    let held: CompareEvent[] | null = null;
    let floor: number | null = null;
    // The first event after a snapshot must follow it directly; a gap means the stream
    // connected after the snapshot was taken, and the snapshot is taken again.
    let checkGap = false;

    const admit = (event: CompareEvent): void => {
      if (held) {
        held.push(event);
        return;
      }
      if (floor !== null && event.seq !== undefined) {
        if (event.seq <= floor) return;
        if (checkGap && event.seq > floor + 1) {
          held = [event];
          void snapshot();
          return;
        }
        checkGap = false;
      }
      batcher.push(event);
    };

    const snapshot = async (): Promise<void> => {
      held ??= [];
      let active: { seq: number; runs: RunResult[] } | null = null;
      try {
        active = await deps.client.compare.listActive({});
      } catch {
        // An engine without the call (or not reachable yet): what arrives from here on is all there is.
      }
      const waiting = held;
      held = null;
      if (active) {
        const { seq, runs } = active;
        floor = seq;
        checkGap = true;
        batcher.flush();
        set((s) => {
          const live = { ...s.live };
          for (const r of runs) live[r.runId] = runFromResult(r);
          const latest = runs.at(-1)?.runId ?? null;
          return { live, activeRunId: s.activeRunId && live[s.activeRunId]?.status === 'running' ? s.activeRunId : (latest ?? s.activeRunId) };
        });
      }
      for (const e of waiting) admit(e);
    };

    return {
      draft: emptyDraft,
      live: {},
      activeRunId: null,
      sending: false,
      sendError: null,
      leftOut: [],
      followUp: EMPTY_FOLLOW_UP,

      setFollowUp: (patch) => set((s) => ({ followUp: { ...s.followUp, ...patch, error: null } })),
      setToolResult: (callId, value) => set((s) => ({ followUp: { ...s.followUp, toolResults: { ...s.followUp.toolResults, [callId]: value }, error: null } })),

      sendFollowUp: async () => {
        const runId = get().activeRunId;
        const { prompt, column, toolResults = {} } = get().followUp;
        if (!runId) return;
        batcher.flush();
        if (get().live[runId]?.status === 'running') {
          set((s) => ({ followUp: { ...s.followUp, error: STILL_STREAMING } }));
          return;
        }
        if (!prompt.trim()) {
          set((s) => ({ followUp: { ...s.followUp, error: 'write a follow-up first' } }));
          return;
        }
        try {
          // Only the calls of the columns this turn goes to, and only results actually typed.
          const live = get().live[runId];
          const calls = new Set(Object.values(live?.columns ?? {}).flatMap((c) => (column === null || c.index === column ? (c.toolCalls ?? []).map((t) => t.id) : [])));
          const given = Object.fromEntries(Object.entries(toolResults).filter(([id, v]) => calls.has(id) && v.trim() !== ''));
          const { attachments } = get().followUp;
          const started = await deps.client.compare.followUp({ runId, prompt, ...(column === null ? {} : { column }), ...(Object.keys(given).length ? { toolResults: given } : {}), ...(attachments.length ? { attachments } : {}) });
          set({ followUp: EMPTY_FOLLOW_UP });
          if (started.warnings.length) get().setNotice(started.warnings.join('; '));
        } catch (err) {
          set((s) => ({ followUp: { ...s.followUp, error: errorMessage(err) } }));
        }
      },

      forkColumn: async (columnId) => {
        const runId = get().activeRunId;
        const column = runId ? get().live[runId]?.columns[columnId] : undefined;
        if (!runId || !column) return;
        try {
          const run = await deps.client.history.getRun({ runId });
          const history = conversationOf(run, column.index);
          if (!history.length) {
            get().setNotice(`column ${column.index + 1} has no answer to fork from`);
            return;
          }
          const base = run.request ? requestToDraft(run.request) : emptyDraft;
          // The old columns' own parameters and routing stay with them: the new models start from the shared ones.
          const { targetParams: _params, ...shared } = base;
          set({ draft: { ...shared, columnRouting: {}, prompt: '', targets: [], history, forkedFrom: { runId, index: column.index } }, sendError: null });
        } catch (err) {
          get().setNotice(`fork failed: ${errorMessage(err)}`);
        }
      },

      clearHistory: () =>
        set((s) => {
          const { history: _history, forkedFrom: _from, ...draft } = s.draft;
          return { draft };
        }),

      setDraft: (patch) => set((s) => ({ draft: { ...s.draft, ...patch }, sendError: null })),
      attaching: 0,
      attachError: null,
      attachmentPreviews: {},
      attachFiles: async (files, to = 'draft') => {
        // The compose area's files go to the draft, the follow-up box's to the next turn: the same upload, two lists.
        const busy = (d: number) => set((s) => (to === 'draft' ? { attaching: s.attaching + d, ...(d > 0 ? { attachError: null } : {}) } : { followUp: { ...s.followUp, attaching: s.followUp.attaching + d, ...(d > 0 ? { attachError: null } : {}) } }));
        const fail = (message: string) => set((s) => (to === 'draft' ? { attachError: message } : { followUp: { ...s.followUp, attachError: message } }));
        const has = (list: readonly AttachmentRef[], ref: AttachmentRef) => list.some((a) => a.hash === ref.hash && a.name === ref.name);
        busy(1);
        try {
          for (const file of files) {
            const problem = sizeProblem(file);
            if (problem) {
              fail(problem);
              continue;
            }
            try {
              const dataBase64 = await fileToBase64(file);
              const ref = await deps.client.compare.addAttachment({ name: file.name || 'pasted', dataBase64 });
              const preview = ref.mime.startsWith('image/') && ref.size <= THUMBNAIL_MAX_BYTES ? `data:${ref.mime};base64,${dataBase64}` : null;
              const previews = (s: CompareSlice) => (preview ? { ...s.attachmentPreviews, [ref.hash]: preview } : s.attachmentPreviews);
              if (to === 'draft') {
                set((s) => ({ draft: has(s.draft.attachments, ref) ? s.draft : { ...s.draft, attachments: [...s.draft.attachments, ref] }, attachmentPreviews: previews(s), sendError: null }));
              } else {
                set((s) => ({ followUp: { ...s.followUp, error: null, attachments: has(s.followUp.attachments, ref) ? s.followUp.attachments : [...s.followUp.attachments, ref] }, attachmentPreviews: previews(s) }));
              }
            } catch (err) {
              fail(errorMessage(err));
            }
          }
        } finally {
          busy(-1);
        }
      },
      removeFollowUpAttachment: (hash) => set((s) => ({ followUp: { ...s.followUp, attachments: s.followUp.attachments.filter((a) => a.hash !== hash), attachError: null } })),
      removeAttachment: (hash) => set((s) => ({ draft: { ...s.draft, attachments: s.draft.attachments.filter((a) => a.hash !== hash) }, attachError: null })),
      addTarget: (target) =>
        set((s) => (s.draft.targets.includes(target) ? s : { draft: { ...s.draft, targets: [...s.draft.targets, target] }, sendError: null })),
      removeTarget: (target) => set((s) => ({ draft: { ...s.draft, targets: s.draft.targets.filter((t) => t !== target) } })),
      loadRequest: (request) => set({ draft: requestToDraft(request), sendError: null }),

      send: async (source = 'window') => {
        if (get().sending) return;
        // One run at a time: a second would stream on unseen, and nothing in view could stop it.
        const active = get().activeRunId;
        if (active && get().live[active]?.status === 'running') {
          set({ sendError: STILL_STREAMING });
          return;
        }
        const marked = Object.keys(draftFieldErrors(get().draft)).length;
        if (marked > 0) {
          set({ sendError: markedFieldsError(marked) });
          return;
        }
        const { draft, left } = runnableDraft(get());
        if (get().draft.targets.length > 0 && draft.targets.length === 0) {
          set({ sendError: 'none of the chosen models can run: fix or remove the marked ones' });
          return;
        }
        const converted = draftToRequest(draft);
        if (!converted.ok) {
          set({ sendError: converted.error });
          return;
        }
        set({ sending: true, sendError: null, leftOut: left });
        try {
          const started = await deps.client.compare.startRun({ ...withShownPlans(converted.request, get()), source });
          batcher.flush();
          // The engine leaves out what it cannot serve even when no chip said so yet (a rerun sent before its checks landed).
          // Their chips are checked again (a stale "ok" dropped first), so each says why in the window's words.
          const engineLeft = (started.leftOut ?? []).map((l) => l.target).filter((t) => !left.includes(t));
          if (engineLeft.length) {
            set((s) => ({ leftOut: [...left, ...engineLeft], targetChecks: Object.fromEntries(Object.entries(s.targetChecks).filter(([t]) => !engineLeft.includes(t))) }));
            void get().checkTargets();
          }
          set((s) => ({
            sending: false,
            activeRunId: started.runId,
            // The run-started event may not have arrived yet (it travels on another channel).
            live: s.live[started.runId] ? s.live : { ...s.live, [started.runId]: runFromSeeds(started.runId, started.columns) },
          }));
        } catch (err) {
          set({ sending: false, sendError: errorMessage(err) });
        }
      },

      stopAll: async () => {
        // Every run this window still sees streaming, not only the one in view.
        const running = Object.values(get().live).filter((r) => r.status === 'running');
        const results = await Promise.allSettled(running.map((r) => deps.client.compare.cancelRun({ runId: r.runId })));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) get().setNotice(`stop failed: ${errorMessage(failed.reason)}`);
      },

      stopColumn: async (columnId) => {
        const runId = get().activeRunId;
        if (!runId) return;
        try {
          await deps.client.compare.cancelColumn({ runId, columnId });
        } catch (err) {
          get().setNotice(`stop failed: ${errorMessage(err)}`);
        }
      },

      retryColumn: async (columnId) => {
        const runId = get().activeRunId;
        if (!runId) return;
        batcher.flush();
        const run = get().live[runId];
        // The engine retries a column of a finished run only; the button says so while the run streams.
        if (run?.status === 'running') {
          get().setNotice('retry waits for the run to finish (or stop it first)');
          return;
        }
        const before = run?.columns[columnId];
        set((s) => ({ live: resetColumn(s.live, runId, columnId) }));
        try {
          await deps.client.compare.retryColumn({ runId, columnId });
        } catch (err) {
          // Refused: the answer it had comes back, and the notice says why nothing new came.
          if (before) set((s) => ({ live: restoreColumn(s.live, runId, before) }));
          get().setNotice(`retry failed: ${errorMessage(err)}`);
        }
      },

      receiveEvent: (event) => admit(event),

      connectEvents: () => {
        const unsubscribe = deps.client.onCompareEvent((e) => get().receiveEvent(e));
        return () => {
          unsubscribe();
          batcher.flush();
        };
      },

      resumeActive: () => snapshot(),
      keepDraft: () => syncDraft(api, deps.client),
    };
  };
