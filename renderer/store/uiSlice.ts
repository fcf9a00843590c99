import type { SliceCreator } from './types';

export type View = 'compare' | 'history' | 'providers' | 'catalog' | 'spend' | 'endpoints';

/** The only renderer state that survives a reload: layout preferences, never data. */
export interface UiPrefs {
  /** Column widths in px by column position; absent means "share the width equally". */
  columnWidths: Record<number, number>;
  systemOpen: boolean;
  /** The Routing group of the prompt editor is open. */
  routingOpen: boolean;
  /** The Compare view's side panel (models, prompt, pre-flight) is folded away, so more columns fit. */
  sideCollapsed: boolean;
}

export interface UiSlice {
  view: View;
  /** One-line message from the last failed action, shown until dismissed. */
  notice: string | null;
  prefs: UiPrefs;
  /** The About dialog (version, catalog source, licences). */
  aboutOpen: boolean;
  setView(view: View): void;
  setAboutOpen(open: boolean): void;
  setNotice(notice: string | null): void;
  setColumnWidth(index: number, width: number | null): void;
  setSystemOpen(open: boolean): void;
  setRoutingOpen(open: boolean): void;
  setSideCollapsed(collapsed: boolean): void;
}

export const MIN_COLUMN_WIDTH = 260;
export const MAX_COLUMN_WIDTH = 1600;

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  view: 'compare',
  notice: null,
  prefs: { columnWidths: {}, systemOpen: false, routingOpen: false, sideCollapsed: false },
  aboutOpen: false,
  setView: (view) => set({ view }),
  setAboutOpen: (aboutOpen) => set({ aboutOpen }),
  setNotice: (notice) => set({ notice }),
  setColumnWidth: (index, width) =>
    set((s) => {
      const columnWidths = { ...s.prefs.columnWidths };
      if (width === null) delete columnWidths[index];
      else columnWidths[index] = Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));
      return { prefs: { ...s.prefs, columnWidths } };
    }),
  setSystemOpen: (systemOpen) => set((s) => ({ prefs: { ...s.prefs, systemOpen } })),
  setRoutingOpen: (routingOpen) => set((s) => ({ prefs: { ...s.prefs, routingOpen } })),
  setSideCollapsed: (sideCollapsed) => set((s) => ({ prefs: { ...s.prefs, sideCollapsed } })),
});
