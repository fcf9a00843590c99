/**
 * Desktop transport: the preload exposes the ContractClient shape on
 * `window.switchyard` (one method per call, no generic invoke).
 */
import type { ContractClient } from '../../shared/contract';
import { buildClient, parseCompareEvent } from './build';

declare global {
  interface Window {
    switchyard?: ContractClient;
  }
}

// ipcRenderer.invoke wraps main-side errors as "Error invoking remote method 'x': Error: cause".
const REMOTE_PREFIX = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

export function cleanIpcError(message: string): string {
  return message.replace(REMOTE_PREFIX, '');
}

type Method = (args: unknown) => Promise<unknown>;

export function createIpcClient(bridge: ContractClient): ContractClient {
  // Indexed by name because the calls are wired from the contract, not written out one by one.
  const methods = bridge as unknown as Record<string, Record<string, Method> | undefined>;
  return buildClient(
    async ({ domain, method, def }, args) => {
      const fn = methods[domain]?.[method];
      if (!fn) throw new Error(`the desktop bridge has no ${def.channel}`);
      try {
        return await fn(args);
      } catch (err) {
        throw new Error(cleanIpcError(err instanceof Error ? err.message : String(err)));
      }
    },
    (listener) =>
      bridge.onCompareEvent((raw) => {
        const event = parseCompareEvent(raw);
        if (event) listener(event);
      }),
  );
}
