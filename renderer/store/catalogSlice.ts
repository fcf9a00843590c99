import type { CatalogAbout, CatalogHit, ProviderFactsView } from '../../shared/contract';
import type { CatalogModel } from '../../shared/catalog-types';
import type { Endpoint } from '../../shared/domain';
import { buildCatalogQuery, emptyCatalogFilters, type CatalogFilters } from '../lib/catalog';
import { errorMessage } from '../transport/build';
import type { SliceCreator, StoreDeps } from './types';

/** Side by side stays readable up to this many models. */
export const MAX_COMPARED = 4;

export type CatalogDetail = { status: 'loading' } | { status: 'ok'; model: CatalogModel; endpoints: Endpoint[] } | { status: 'error'; error: string };

export interface CatalogSlice {
  catalogFilters: CatalogFilters;
  catalogHits: CatalogHit[];
  catalogLoading: boolean;
  catalogError: string | null;
  /** Model ids ticked for the side-by-side comparison, in the order they were ticked. */
  catalogSelected: string[];
  /** Every endpoint of a ticked model (the search only returns those matching the filters). */
  catalogDetails: Record<string, CatalogDetail>;
  catalogAbout: CatalogAbout | null;
  catalogProviders: ProviderFactsView[];
  catalogMetaError: string | null;
  /** Changes the filters only; the view debounces and then calls searchCatalog. */
  setCatalogFilters(patch: Partial<CatalogFilters>): void;
  searchCatalog(): Promise<void>;
  toggleCatalogModel(modelId: string): void;
  clearCatalogSelection(): void;
  /** About text and provider facts: loaded once, they only change with a catalog refresh. */
  loadCatalogMeta(force?: boolean): Promise<void>;
}

export const createCatalogSlice =
  (deps: StoreDeps): SliceCreator<CatalogSlice> =>
  (set, get) => {
    let seq = 0;
    let meta: Promise<void> | null = null;

    const loadDetail = async (modelId: string): Promise<void> => {
      set((s) => ({ catalogDetails: { ...s.catalogDetails, [modelId]: { status: 'loading' } } }));
      let detail: CatalogDetail;
      try {
        const r = await deps.client.catalog.getModel({ modelId });
        detail = { status: 'ok', model: r.model, endpoints: r.endpoints };
      } catch (err) {
        detail = { status: 'error', error: errorMessage(err) };
      }
      set((s) => (s.catalogSelected.includes(modelId) ? { catalogDetails: { ...s.catalogDetails, [modelId]: detail } } : s));
    };

    return {
      catalogFilters: emptyCatalogFilters,
      catalogHits: [],
      catalogLoading: false,
      catalogError: null,
      catalogSelected: [],
      catalogDetails: {},
      catalogAbout: null,
      catalogProviders: [],
      catalogMetaError: null,

      setCatalogFilters: (patch) => set((s) => ({ catalogFilters: { ...s.catalogFilters, ...patch } })),

      searchCatalog: async () => {
        // Answers to an older query can land after a newer one; only the latest may win.
        const mine = ++seq;
        set({ catalogLoading: true });
        try {
          const hits = await deps.client.catalog.searchModels(buildCatalogQuery(get().catalogFilters));
          if (mine === seq) set({ catalogHits: hits, catalogLoading: false, catalogError: null });
        } catch (err) {
          if (mine === seq) set({ catalogLoading: false, catalogError: errorMessage(err) });
        }
      },

      toggleCatalogModel: (modelId) => {
        const s = get();
        if (s.catalogSelected.includes(modelId)) {
          const catalogDetails = { ...s.catalogDetails };
          delete catalogDetails[modelId];
          set({ catalogSelected: s.catalogSelected.filter((id) => id !== modelId), catalogDetails });
          return;
        }
        if (s.catalogSelected.length >= MAX_COMPARED) {
          s.setNotice(`compare up to ${MAX_COMPARED} models at a time: untick one first`);
          return;
        }
        set({ catalogSelected: [...s.catalogSelected, modelId] });
        void loadDetail(modelId);
      },

      clearCatalogSelection: () => set({ catalogSelected: [], catalogDetails: {} }),

      loadCatalogMeta: (force = false) => {
        if (meta && !force) return meta;
        meta = (async () => {
          try {
            const [about, providers] = await Promise.all([deps.client.catalog.getAbout({}), deps.client.catalog.listProviders({})]);
            set({ catalogAbout: about, catalogProviders: providers, catalogMetaError: null });
          } catch (err) {
            meta = null;
            set({ catalogMetaError: errorMessage(err) });
          }
        })();
        return meta;
      },
    };
  };
