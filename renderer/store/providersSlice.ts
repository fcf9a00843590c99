import type { ModelOption, ProviderTestResult, ProviderView, SaveProviderArgs } from '../../shared/contract';
import type { z } from 'zod';
import { errorMessage } from '../transport/build';
import type { SliceCreator, StoreDeps } from './types';

export type SaveProviderInput = z.input<typeof SaveProviderArgs>;

export type ProviderTestState = { pending: true } | { pending: false; result: ProviderTestResult } | { pending: false; error: string };

const withoutTest = (tests: Record<string, ProviderTestState>, id: string): Record<string, ProviderTestState> => {
  const rest = { ...tests };
  delete rest[id];
  return rest;
};

export interface ProvidersSlice {
  providers: ProviderView[];
  providersLoaded: boolean;
  providersError: string | null;
  providerTests: Record<string, ProviderTestState>;
  modelOptions: ModelOption[];
  modelQuery: string;
  modelsLoading: boolean;
  modelsError: string | null;
  loadProviders(): Promise<void>;
  /** Resolves with an error message for the form, or null on success. */
  saveProvider(args: SaveProviderInput): Promise<string | null>;
  removeProvider(id: string): Promise<void>;
  testProvider(id: string): Promise<void>;
  searchModels(query: string): Promise<void>;
}

export const createProvidersSlice =
  (deps: StoreDeps): SliceCreator<ProvidersSlice> =>
  (set, get) => {
    let modelSeq = 0;
    // Bumped when a provider changes, so a test started against the old settings cannot land after the save.
    const testGen = new Map<string, number>();
    const forget = (id: string): void => void testGen.set(id, (testGen.get(id) ?? 0) + 1);
    return {
      providers: [],
      providersLoaded: false,
      providersError: null,
      providerTests: {},
      modelOptions: [],
      modelQuery: '',
      modelsLoading: false,
      modelsError: null,

      loadProviders: async () => {
        try {
          const providers = await deps.client.providers.listProviders({});
          set({ providers, providersLoaded: true, providersError: null });
        } catch (err) {
          set({ providersLoaded: true, providersError: errorMessage(err) });
        }
      },
      saveProvider: async (args) => {
        try {
          const saved = await deps.client.providers.saveProvider(args);
          forget(saved.id);
          set((s) => {
            const rest = s.providers.filter((p) => p.id !== saved.id);
            // The old result describes the old URL or key: showing it next to the new ones would mislead.
            return { providers: [...rest, saved].sort((a, b) => a.id.localeCompare(b.id)), providerTests: withoutTest(s.providerTests, saved.id) };
          });
          // New provider, new models: the picker's cached options are stale now. A test right away
          // shows whether URL and key work, and what the provider lists feeds the picker.
          void get().searchModels(get().modelQuery);
          void get()
            .testProvider(saved.id)
            .then(() => get().searchModels(get().modelQuery));
          return null;
        } catch (err) {
          return errorMessage(err);
        }
      },
      removeProvider: async (id) => {
        try {
          await deps.client.providers.removeProvider({ id });
          forget(id);
          set((s) => ({ providers: s.providers.filter((p) => p.id !== id), providerTests: withoutTest(s.providerTests, id) }));
        } catch (err) {
          get().setNotice(`remove failed: ${errorMessage(err)}`);
        }
      },
      testProvider: async (id) => {
        const gen = testGen.get(id) ?? 0;
        set((s) => ({ providerTests: { ...s.providerTests, [id]: { pending: true } } }));
        let state: ProviderTestState;
        try {
          state = { pending: false, result: await deps.client.providers.testProvider({ id }) };
        } catch (err) {
          state = { pending: false, error: errorMessage(err) };
        }
        if ((testGen.get(id) ?? 0) === gen) set((s) => ({ providerTests: { ...s.providerTests, [id]: state } }));
      },
      searchModels: async (query) => {
        const mine = ++modelSeq;
        set({ modelQuery: query, modelsLoading: true });
        try {
          const modelOptions = await deps.client.providers.listModels(query.trim() ? { query: query.trim() } : {});
          if (mine === modelSeq) set({ modelOptions, modelsLoading: false, modelsError: null });
        } catch (err) {
          if (mine === modelSeq) set({ modelsLoading: false, modelsError: errorMessage(err) });
        }
      },
    };
  };
