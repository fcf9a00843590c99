/**
 * One store for the whole renderer, assembled from slices. Middleware lives
 * here only; `persist` keeps nothing but layout preferences (durable data is
 * the engine's, read through the contract).
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createJSONStorage, persist, type StateStorage } from 'zustand/middleware';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createCatalogSlice } from './catalogSlice';
import { createCompareSlice } from './compareSlice';
import { createEndpointsSlice } from './endpointsSlice';
import { createExportSlice } from './exportSlice';
import { createHistorySlice } from './historySlice';
import { createPreflightSlice } from './preflightSlice';
import { createProvidersSlice } from './providersSlice';
import { createPromptsSlice } from './promptsSlice';
import { createSettingsSlice } from './settingsSlice';
import { createSpendSlice } from './spendSlice';
import { createTargetsSlice } from './targetsSlice';
import { createUiSlice, type UiPrefs } from './uiSlice';
import type { AppState, StoreDeps } from './types';

export type AppStore = StoreApi<AppState>;
export type { AppState, StoreDeps } from './types';

const memoryStorage = (): StateStorage => {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
};

/**
 * persist writes on every state change; while streaming that is every frame.
 * Only hit the real storage when the (partialized) prefs actually changed.
 */
export function dedupedStorage(inner: StateStorage): StateStorage {
  const last = new Map<string, string>();
  return {
    getItem: (k) => inner.getItem(k),
    setItem: (k, v) => {
      if (last.get(k) === v) return;
      last.set(k, v);
      return inner.setItem(k, v);
    },
    removeItem: (k) => {
      last.delete(k);
      return inner.removeItem(k);
    },
  };
}

export function createAppStore(deps: StoreDeps, prefsStorage?: StateStorage): AppStore {
  const storage = dedupedStorage(prefsStorage ?? (typeof localStorage === 'undefined' ? memoryStorage() : localStorage));
  return createStore<AppState>()(
    persist(
      (...a) => ({
        ...createCompareSlice(deps)(...a),
        ...createHistorySlice(deps)(...a),
        ...createProvidersSlice(deps)(...a),
        ...createSettingsSlice(deps)(...a),
        ...createUiSlice(...a),
        ...createCatalogSlice(deps)(...a),
        ...createSpendSlice(deps)(...a),
        ...createEndpointsSlice(deps)(...a),
        ...createPreflightSlice(deps)(...a),
        ...createExportSlice(deps)(...a),
        ...createTargetsSlice(deps)(...a),
        ...createPromptsSlice(deps)(...a),
      }),
      {
        name: 'switchyard.ui-prefs',
        version: 1,
        storage: createJSONStorage<{ prefs: UiPrefs }>(() => storage),
        partialize: (s) => ({ prefs: s.prefs }),
        merge: (persisted, current) => {
          const prefs = (persisted as { prefs?: Partial<UiPrefs> } | undefined)?.prefs;
          return prefs ? { ...current, prefs: { ...current.prefs, ...prefs } } : current;
        },
      },
    ),
  );
}

export const StoreContext = createContext<AppStore | null>(null);

export function useApp<T>(selector: (s: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp needs a <StoreContext.Provider>');
  return useStore(store, selector);
}

export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore needs a <StoreContext.Provider>');
  return store;
}
