import { vi, type Mock } from 'vitest';
import { allCalls, type ContractClient } from '../../shared/contract';
import type { AttemptRecord, ColumnResult, CompareEvent } from '../../shared/domain';
import type { FrameScheduler } from '../../renderer/store/frames';
import { emptyColumn } from '../../renderer/store/reduce';

type AnyCall = Mock<(args: unknown) => Promise<unknown>>;

/**
 * A contract client whose every call is a mock, plus a way to emit events,
 * built from the contract so a new call cannot be forgotten here.
 */
export function fakeClient(): { client: ContractClient; calls: Record<string, Record<string, AnyCall>>; emit(e: CompareEvent): void; listeners: number } {
  const calls: Record<string, Record<string, AnyCall>> = {};
  for (const { domain, method } of allCalls()) {
    (calls[domain] ??= {})[method] = vi.fn(async () => {
      throw new Error(`${domain}.${method} not stubbed`);
    });
  }
  const listeners = new Set<(e: CompareEvent) => void>();
  const client = {
    ...calls,
    onCompareEvent: (l: (e: CompareEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as ContractClient;
  return {
    client,
    calls,
    emit: (e) => listeners.forEach((l) => l(e)),
    get listeners() {
      return listeners.size;
    },
  };
}

/** Frames that only advance when the test says so. */
export function manualFrames(): FrameScheduler & { tick(): void; pending: number } {
  let queue: Array<() => void> = [];
  return {
    request(cb) {
      queue.push(cb);
      return () => {
        queue = queue.filter((q) => q !== cb);
      };
    },
    tick() {
      const run = queue;
      queue = [];
      run.forEach((cb) => cb());
    },
    get pending() {
      return queue.length;
    },
  };
}

export function attempt(over: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    provider: 'mock',
    model: 'm1',
    status: 'running',
    httpStatus: null,
    error: null,
    errorKind: null,
    startedAt: 1000,
    ttftMs: null,
    totalMs: null,
    keyIndex: 0,
    retryAfterMs: null,
    outputTokens: null,
    ...over,
  };
}

export function column(over: Partial<ColumnResult> = {}): ColumnResult {
  return { ...emptyColumn({ columnId: 'c1', index: 0, target: 'mock:m1' }), ...over };
}

export const started = (runId = 'r1'): CompareEvent => ({
  type: 'run-started',
  runId,
  columns: [
    { columnId: 'c2', index: 1, target: 'mock:m2' },
    { columnId: 'c1', index: 0, target: 'mock:m1' },
  ],
});

export const delta = (columnId: string, text: string, reasoning = '', runId = 'r1'): CompareEvent => ({ type: 'delta', runId, columnId, text, reasoning });
