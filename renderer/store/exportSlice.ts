/**
 * Runs picked in History for export (checkboxes, shift-click for a range) and
 * the export itself: the engine writes the file's bytes (the same as
 * `switchyard history export`), the page only saves them.
 */
import type { ExportFormat } from '../../shared/export/run-export';
import { errorMessage } from '../transport/build';
import type { SliceCreator, StoreDeps } from './types';

export interface ExportSlice {
  /** Run ids ticked for export, in the order they were ticked. */
  exportPicks: string[];
  /** Where a shift-click range starts: the last run ticked or unticked. */
  exportAnchor: string | null;
  exporting: boolean;
  /** `range`: shift-click, ticking every run between the anchor and this one (in the list's order). */
  togglePick(runId: string, range?: boolean): void;
  clearPicks(): void;
  /** Resolves with the file's name once saved, or null when the engine refused (the notice says why). */
  exportRuns(runIds: readonly string[], format: ExportFormat, save: (filename: string, content: string, mime: string) => void): Promise<string | null>;
}

export const createExportSlice =
  (deps: StoreDeps): SliceCreator<ExportSlice> =>
  (set, get) => ({
    exportPicks: [],
    exportAnchor: null,
    exporting: false,

    togglePick: (runId, range = false) =>
      set((s) => {
        const order = s.runs.map((r) => r.runId);
        const from = s.exportAnchor ? order.indexOf(s.exportAnchor) : -1;
        const to = order.indexOf(runId);
        if (range && from >= 0 && to >= 0) {
          const span = order.slice(Math.min(from, to), Math.max(from, to) + 1);
          const picks = [...s.exportPicks, ...span.filter((id) => !s.exportPicks.includes(id))];
          return { exportPicks: picks, exportAnchor: runId };
        }
        const picks = s.exportPicks.includes(runId) ? s.exportPicks.filter((id) => id !== runId) : [...s.exportPicks, runId];
        return { exportPicks: picks, exportAnchor: runId };
      }),
    clearPicks: () => set({ exportPicks: [], exportAnchor: null }),

    exportRuns: async (runIds, format, save) => {
      if (runIds.length === 0) return null;
      set({ exporting: true });
      try {
        const file = await deps.client.history.exportRuns({ runIds: [...runIds], format });
        save(file.filename, file.content, file.mime);
        return file.filename;
      } catch (err) {
        get().setNotice(`export failed: ${errorMessage(err)}`);
        return null;
      } finally {
        set({ exporting: false });
      }
    },
  });
