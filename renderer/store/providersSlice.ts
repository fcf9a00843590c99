import type { ModelOption, ProviderTestResult, ProviderView, SaveProviderArgs } from '../../shared/contract';
import type { z } from 'zod';
import { errorMessage } from '../transport/build';
import type { SliceCreator, StoreDeps } from './types';

export type SaveProviderInput = z.input<typeof SaveProviderArgs>;

export type ProviderTestState = { pending: true } | { pending: false; result: ProviderTestResult } | { pending: false; error: string };

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
          set((s) => {
            const rest = s.providers.filter((p) => p.id !== saved.id);
            return { providers: [...rest, saved].sort((a, b) => a.id.localeCompare(b.id)) };
          });
          // New provider, new models: the picker's cached options are stale now.
          void get().searchModels(get().modelQuery);
          return null;
        } catch (err) {
          return errorMessage(err);
        }
      },
      removeProvider: async (id) => {
        try {
          await deps.client.providers.removeProvider({ id });
          set((s) => {
            const providerTests = { ...s.providerTests };
            delete providerTests[id];
            return { providers: s.providers.filter((p) => p.id !== id), providerTests };
          });
        } catch (err) {
          get().setNotice(`remove failed: ${errorMessage(err)}`);
        }
      },
      testProvider: async (id) => {
        set((s) => ({ providerTests: { ...s.providerTests, [id]: { pending: true } } }));
        let state: ProviderTestState;
        try {
          state = { pending: false, result: await deps.client.providers.testProvider({ id }) };
        } catch (err) {
          state = { pending: false, error: errorMessage(err) };
        }
        set((s) => ({ providerTests: { ...s.providerTests, [id]: state } }));
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
