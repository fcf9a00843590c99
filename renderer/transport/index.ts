/**
 * Picks the transport: the preload's bridge inside Electron, HTTP against the
 * headless host otherwise. Nothing else in the renderer knows which one it got.
 */
import type { ContractClient } from '../../shared/contract';
import { createHttpClient } from './http';
import { createIpcClient } from './ipc';
import { takeToken } from './token';

export type TransportKind = 'ipc' | 'http';

export interface Connection {
  client: ContractClient;
  kind: TransportKind;
  /** Set when the page cannot work as loaded (no token): shown as a banner, never a blank page. */
  problem: string | null;
}

export function createClient(): Connection {
  if (window.switchyard) return { client: createIpcClient(window.switchyard), kind: 'ipc', problem: null };
  const token = takeToken({ location: window.location, storage: window.sessionStorage, history: window.history });
  return {
    client: createHttpClient({ token: token ?? '' }),
    kind: 'http',
    problem: token ? null : 'No access token: open the full URL that `switchyard serve` printed (it ends in #token=…).',
  };
}
