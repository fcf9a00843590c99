import type { EndpointHealthView } from '../../shared/contract';
import { errorMessage } from '../transport/build';
import type { SliceCreator, StoreDeps } from './types';

export interface EndpointsSlice {
  endpoints: EndpointHealthView[];
  endpointsLoaded: boolean;
  endpointsLoading: boolean;
  endpointsError: string | null;
  loadEndpoints(): Promise<void>;
}

/** Busiest first: the endpoints with the most samples say the most about this machine's traffic. */
export function sortEndpoints(list: EndpointHealthView[]): EndpointHealthView[] {
  return [...list].sort((a, b) => b.samples - a.samples || a.endpointId.localeCompare(b.endpointId));
}

export const createEndpointsSlice =
  (deps: StoreDeps): SliceCreator<EndpointsSlice> =>
  (set) => {
    let seq = 0;
    return {
      endpoints: [],
      endpointsLoaded: false,
      endpointsLoading: false,
      endpointsError: null,
      loadEndpoints: async () => {
        const mine = ++seq;
        set({ endpointsLoading: true });
        try {
          const list = await deps.client.routing.listEndpoints({});
          if (mine === seq) set({ endpoints: sortEndpoints(list), endpointsLoaded: true, endpointsLoading: false, endpointsError: null });
        } catch (err) {
          if (mine === seq) set({ endpointsLoaded: true, endpointsLoading: false, endpointsError: errorMessage(err) });
        }
      },
    };
  };
