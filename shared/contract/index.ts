/**
 * The whole UI <-> engine contract, defined once. Both transports (Electron
 * IPC and the headless host's HTTP) and the renderer derive from this object.
 */
import type { Args, CallDef, Result } from './define';
import { compareContract } from './compare';
import { historyContract } from './history';
import { providersContract } from './providers';
import { settingsContract } from './settings';
import { catalogContract } from './catalog';
import { routingContract } from './routing';
import { spendContract } from './spend';
import { promptsContract } from './prompts';
import type { CompareEvent } from '../domain';

export const contract = {
  compare: compareContract,
  history: historyContract,
  providers: providersContract,
  settings: settingsContract,
  catalog: catalogContract,
  routing: routingContract,
  spend: spendContract,
  prompts: promptsContract,
} as const;

export type Contract = typeof contract;
export type Domain = keyof Contract;

/** The client the renderer talks to; implemented by the IPC preload and by the HTTP client. */
export type ContractClient = {
  [D in Domain]: { [M in keyof Contract[D]]: (args: Args<Contract[D][M]>) => Promise<Result<Contract[D][M]>> };
} & {
  /** Subscribe to compare events; returns the unsubscribe function. */
  onCompareEvent(listener: (event: CompareEvent) => void): () => void;
};

/** What the main side implements; a missing handler fails to compile. */
export type ContractHandlers = {
  [D in Domain]: {
    [M in keyof Contract[D]]: (args: import('./define').ParsedArgs<Contract[D][M]>) => Promise<Result<Contract[D][M]>>;
  };
};

/** Every call with its domain and method name, for wiring transports generically. */
export function allCalls(): Array<{ domain: Domain; method: string; def: CallDef }> {
  const out: Array<{ domain: Domain; method: string; def: CallDef }> = [];
  for (const domain of Object.keys(contract) as Domain[]) {
    for (const [method, def] of Object.entries(contract[domain])) out.push({ domain, method, def: def as CallDef });
  }
  return out;
}

export * from './compare';
export * from './history';
export * from './providers';
export * from './settings';
export * from './catalog';
export * from './routing';
export * from './spend';
export * from './prompts';
export type { Args, Result, ParsedArgs, CallDef } from './define';
export { unknownArgKeys } from './define';
