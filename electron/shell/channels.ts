/**
 * The contract's channel names as a plain map, for the preload.
 *
 * A sandboxed preload can only `require('electron')`, so everything it uses is
 * bundled into it; deriving the map here keeps one source of truth, and
 * scripts/build-node.mjs replaces this module in the preload bundle with the
 * map it evaluates at build time, so zod and the schemas stay out of the
 * renderer's process.
 *
 * @example channels.calls.history.getRun // 'history:get-run'
 */
import { allCalls, COMPARE_EVENT_CHANNEL, type Contract, type Domain } from '../../shared/contract';

export type CallChannels = { [D in Domain]: { [M in keyof Contract[D]]: string } };

export interface ChannelMap {
  calls: CallChannels;
  compareEvent: string;
}

export function buildChannelMap(): ChannelMap {
  const calls: Record<string, Record<string, string>> = {};
  for (const { domain, method, def } of allCalls()) (calls[domain] ??= {})[method] = def.channel;
  return { calls: calls as CallChannels, compareEvent: COMPARE_EVENT_CHANNEL };
}

export const channels: ChannelMap = buildChannelMap();
