/**
 * The one way a contract call reaches the main process. Compile-time types do
 * not protect against a compromised renderer, so every call is checked here:
 * the sender must be the top frame of our own page, and the arguments must
 * parse with the contract's schema before a handler sees them.
 */
import { allCalls, type CallDef, type ContractHandlers } from '../../shared/contract';
import type { CompareEvent } from '../../shared/domain';
import { oneLine, type Envelope } from './envelope';
import { scrub } from '../engine/scrub';

export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
}

export interface InvokeEventLike {
  readonly senderFrame: FrameLike | null;
  readonly sender: { readonly mainFrame: FrameLike };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<Envelope>): void;
  removeHandler(channel: string): void;
}

/** The page origin we trust; everything else (other schemes, hosts, file://) is foreign. */
export type TrustedOrigin = (url: string) => boolean;

/** Why a sender is refused, or null when it may call. */
export function senderProblem(event: InvokeEventLike, isTrustedUrl: TrustedOrigin): string | null {
  const frame = event.senderFrame;
  // Null when the frame navigated away or was destroyed before the message was handled.
  if (!frame) return 'sender frame is gone';
  const main = event.sender.mainFrame;
  if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) return 'sender is not the main frame';
  if (!isTrustedUrl(frame.url)) return 'sender is not the Switchyard page';
  return null;
}

function argsProblem(def: CallDef, issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  const parts = issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || 'arguments'}: ${i.message}`);
  const more = issues.length > 3 ? ` (+${issues.length - 3} more)` : '';
  return `invalid arguments for ${def.channel}: ${parts.join('; ')}${more}`;
}

type AnyHandler = (args: unknown) => Promise<unknown>;

/**
 * Wraps one handler: sender check, argument parse, result parse. The result is
 * parsed too because `z.object` strips keys the contract does not name, so
 * nothing the engine happens to attach (key material included) crosses.
 */
export function guardHandler(def: CallDef, handler: AnyHandler, isTrustedUrl: TrustedOrigin, log: (msg: string) => void = console.error) {
  return async (event: InvokeEventLike, ...raw: unknown[]): Promise<Envelope> => {
    const refused = senderProblem(event, isTrustedUrl);
    if (refused) {
      log(`[ipc] refused ${def.channel}: ${refused} (${event.senderFrame?.url ?? 'no frame'})`);
      return { ok: false, error: `refused: ${refused}` };
    }
    if (raw.length > 1) return { ok: false, error: `invalid arguments for ${def.channel}: expected one argument object` };
    const args = def.args.safeParse(raw[0]);
    if (!args.success) return { ok: false, error: argsProblem(def, args.error.issues) };
    let value: unknown;
    try {
      value = await handler(args.data);
    } catch (err) {
      log(`[ipc] ${def.channel} failed: ${scrub(err instanceof Error ? (err.stack ?? err.message) : String(err), [], Infinity)}`);
      return { ok: false, error: scrub(oneLine(err)) };
    }
    const result = def.result.safeParse(value);
    if (!result.success) {
      log(`[ipc] ${def.channel} returned a value outside the contract: ${argsProblem(def, result.error.issues)}`);
      return { ok: false, error: `internal error: ${def.channel} returned an invalid result` };
    }
    return { ok: true, value: result.data };
  };
}

/**
 * Registers every contract call. `handlers` is typed by the contract, so a
 * missing handler fails to compile where the handlers are built; the runtime
 * check covers a handler map assembled dynamically. Returns an unregister.
 *
 * @example registerContract(ipcMain, app.handlers, isAppUrl)
 */
export function registerContract(ipc: IpcMainLike, handlers: ContractHandlers, isTrustedUrl: TrustedOrigin, log?: (msg: string) => void): () => void {
  const channels: string[] = [];
  for (const { domain, method, def } of allCalls()) {
    const handler = (handlers[domain] as Record<string, AnyHandler | undefined>)[method];
    if (typeof handler !== 'function') throw new Error(`no handler for ${def.channel} (${domain}.${method})`);
    ipc.handle(def.channel, guardHandler(def, handler.bind(handlers[domain]), isTrustedUrl, log));
    channels.push(def.channel);
  }
  return () => channels.forEach((c) => ipc.removeHandler(c));
}

export interface EventSink {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** Sends every compare event to the windows alive at that moment. */
export function forwardCompareEvents(
  subscribe: (listener: (e: CompareEvent) => void) => () => void,
  targets: () => EventSink[],
  channel: string,
): () => void {
  return subscribe((e) => {
    for (const t of targets()) if (!t.isDestroyed()) t.send(channel, e);
  });
}
