/**
 * The object the preload exposes as `window.switchyard`: one method per
 * contract call plus the compare-event subscription. Nothing generic: the
 * renderer cannot name a channel, and never sees `ipcRenderer` or an IPC event.
 */
import type { ContractClient } from '../../shared/contract';
import type { CompareEvent } from '../../shared/domain';
import type { ChannelMap } from './channels';
import { unwrapEnvelope } from './envelope';

/** The slice of `ipcRenderer` the API needs (injected so tests need no Electron). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type Invoke = (args?: unknown) => Promise<unknown>;

export function buildPreloadApi(ipc: IpcRendererLike, map: ChannelMap): ContractClient {
  const api: Record<string, unknown> = {};
  for (const [domain, methods] of Object.entries(map.calls)) {
    const group: Record<string, Invoke> = {};
    for (const [method, channel] of Object.entries(methods as Record<string, string>)) {
      group[method] = async (args?: unknown) => unwrapEnvelope(channel, await ipc.invoke(channel, args));
    }
    api[domain] = Object.freeze(group);
  }
  api.onCompareEvent = (listener: (event: CompareEvent) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('onCompareEvent needs a function');
    // A fresh wrapper per subscription: it drops the IPC event (sender details stay out of the page) and makes unsubscribe exact.
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload as CompareEvent);
    ipc.on(map.compareEvent, wrapped);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(map.compareEvent, wrapped);
    };
  };
  return Object.freeze(api) as unknown as ContractClient;
}
