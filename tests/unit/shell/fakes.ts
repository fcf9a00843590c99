/**
 * Stand-ins for the parts of Electron the shell touches. The real module
 * cannot load here (its binary is not installed), and the shell takes
 * Electron as a parameter, so these are passed in directly.
 */
import { vi } from 'vitest';
import { allCalls, type ContractHandlers, type Domain } from '../../../shared/contract';
import type { FrameLike, InvokeEventLike } from '../../../electron/shell/ipc';
import type { SafeStorageLike } from '../../../electron/shell/key-vault';

type Listener = (...args: never[]) => unknown;

export class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => unknown)(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export const APP_PAGE = 'app://switchyard/index.html';

export function frame(url = APP_PAGE, over: Partial<FrameLike> = {}): FrameLike {
  return { url, parent: null, processId: 7, routingId: 1, ...over };
}

export function invokeEvent(senderFrame: FrameLike | null, mainFrame: FrameLike = frame()): InvokeEventLike {
  return { senderFrame, sender: { mainFrame } };
}

export class FakeWebContents extends Emitter {
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  readonly send = vi.fn();
  destroyed = false;
  mainFrame = frame();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

/** A preventable event as Electron passes it to `will-navigate` and friends. */
export function preventable(): { preventDefault: ReturnType<typeof vi.fn>; defaultPrevented: () => boolean } {
  const preventDefault = vi.fn();
  return { preventDefault, defaultPrevented: () => preventDefault.mock.calls.length > 0 };
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What the renderer would get back from `ipcRenderer.invoke(channel, ...args)` from `senderFrame`. */
  invoke(channel: string, senderFrame: FrameLike | null, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(invokeEvent(senderFrame), ...args);
  }
}

/** A toy cipher, so tests can see that what is stored is not the plaintext. */
export function fakeSafeStorage(opts: { async?: boolean; available?: boolean; backend?: string } = {}): SafeStorageLike & {
  calls: string[];
} {
  const { async = true, available = true, backend = 'gnome_libsecret' } = opts;
  const calls: string[] = [];
  const enc = (s: string) => Buffer.from(`v10${[...s].reverse().join('')}`);
  const dec = (b: Buffer) => [...b.toString().slice(3)].reverse().join('');
  const storage: SafeStorageLike & { calls: string[] } = {
    calls,
    isEncryptionAvailable: () => (calls.push('isEncryptionAvailable'), available),
    encryptString: (s) => (calls.push('encryptString'), enc(s)),
    decryptString: (b) => (calls.push('decryptString'), dec(b)),
    getSelectedStorageBackend: () => backend,
  };
  if (async) {
    storage.isAsyncEncryptionAvailable = async () => (calls.push('isAsyncEncryptionAvailable'), available);
    storage.encryptStringAsync = async (s) => (calls.push('encryptStringAsync'), enc(s));
    storage.decryptStringAsync = async (b) => (calls.push('decryptStringAsync'), { result: dec(b), shouldReEncrypt: false });
  }
  return storage;
}

/** Every contract method as a spy resolving to `value`; enough for wiring tests that do not look at results. */
export function spyHandlers(value: unknown = {}, overrides: { [D in Domain]?: Partial<ContractHandlers[D]> } = {}): ContractHandlers {
  const out: Record<string, Record<string, unknown>> = {};
  for (const { domain, method } of allCalls()) {
    const override = (overrides[domain] as Record<string, unknown> | undefined)?.[method];
    (out[domain] ??= {})[method] = override ?? vi.fn(async () => value);
  }
  return out as unknown as ContractHandlers;
}
