/** A reload keeps the form and picks a streaming run up again (store side; the browser side is e2e/reload.spec.ts). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../renderer/store';
import { draftFromSaved } from '../../renderer/store/draftSync';
import { emptyDraft } from '../../renderer/store/draft';
import type { CompareEvent, RunResult } from '../../shared/domain';
import { column, fakeClient, manualFrames } from './helpers';

function setup() {
  const fake = fakeClient();
  const frames = manualFrames();
  const store = createAppStore({ client: fake.client, frames }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  return { fake, frames, store };
}

const d = (text: string, seq: number): CompareEvent => ({ type: 'delta', runId: 'r1', columnId: 'c1', text, reasoning: '', seq });
const snapshotAt = (seq: number, text: string): { seq: number; runs: RunResult[] } => ({
  seq,
  runs: [{ runId: 'r1', status: 'running', columns: [column({ status: 'running', text }), column({ columnId: 'c2', index: 1, target: 'mock:m2', status: 'ok', text: 'fin' })] }],
});

/** A promise and its resolve, to answer a call when the test says so. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('reattaching a run after a reload', () => {
  it('shows the snapshot, drops the events it already holds and applies the later ones', async () => {
    const { fake, frames, store } = setup();
    const reply = deferred<unknown>();
    fake.calls.compare!.listActive!.mockReturnValueOnce(reply.promise);
    store.getState().connectEvents();
    const resumed = store.getState().resumeActive();
    // Events that cross the snapshot on the wire: 1-2 are in it, 3 is not.
    fake.emit(d('Hel', 1));
    fake.emit(d('lo', 2));
    reply.resolve(snapshotAt(2, 'Hello'));
    await resumed;
    fake.emit(d(', wor', 3));
    fake.emit(d('ld', 4));
    frames.tick();
    const s = store.getState();
    expect(s.activeRunId).toBe('r1');
    expect(s.live.r1!.status).toBe('running');
    expect(s.live.r1!.order).toEqual(['c1', 'c2']);
    expect(s.live.r1!.columns.c1!.text).toBe('Hello, world');
    expect(s.live.r1!.columns.c2!.text).toBe('fin');
    expect(fake.calls.compare!.listActive).toHaveBeenCalledTimes(1);
  });

  it('takes the snapshot again when the stream connected after it (a gap in the numbers)', async () => {
    const { fake, frames, store } = setup();
    fake.calls.compare!.listActive!.mockResolvedValueOnce(snapshotAt(2, 'Hello')).mockResolvedValueOnce(snapshotAt(4, 'Hello, world'));
    store.getState().connectEvents();
    await store.getState().resumeActive();
    // 3 and 4 went out before this window was listening: the first one it sees is 5.
    fake.emit(d('!', 5));
    await vi.waitFor(() => expect(fake.calls.compare!.listActive).toHaveBeenCalledTimes(2));
    await vi.waitFor(() => {
      frames.tick();
      expect(store.getState().live.r1!.columns.c1!.text).toBe('Hello, world!');
    });
  });

  it('an engine without the call leaves the stream as it is', async () => {
    const { fake, frames, store } = setup();
    store.getState().connectEvents();
    await store.getState().resumeActive();
    fake.emit({ type: 'run-started', runId: 'r9', columns: [{ columnId: 'c1', index: 0, target: 'mock:m1' }] });
    frames.tick();
    expect(store.getState().live.r9!.order).toEqual(['c1']);
  });
});

describe('the draft across a reload', () => {
  it('comes back from the engine and every change is saved after a pause', async () => {
    vi.useFakeTimers();
    const { fake, store } = setup();
    const saved = { ...emptyDraft, prompt: 'half-typed', system: 'Be brief', temperature: '0.3', targets: ['mock:m1', 'mock:m2'] };
    fake.calls.settings!.getDraft!.mockResolvedValue({ draft: saved });
    fake.calls.settings!.saveDraft!.mockResolvedValue({ ok: true });
    const stop = store.getState().keepDraft();
    await vi.waitFor(() => expect(store.getState().draft).toEqual(saved));
    // Restoring is not a change to save.
    await vi.runAllTimersAsync();
    expect(fake.calls.settings!.saveDraft).not.toHaveBeenCalled();

    store.getState().setDraft({ prompt: 'half-typed, now whole' });
    store.getState().setDraft({ prompt: 'half-typed, now whole.' });
    await vi.runAllTimersAsync();
    expect(fake.calls.settings!.saveDraft).toHaveBeenCalledTimes(1);
    expect(fake.calls.settings!.saveDraft).toHaveBeenCalledWith({ draft: { ...saved, prompt: 'half-typed, now whole.' } });
    stop();
  });

  it('what was typed before the saved draft came back wins over it', async () => {
    vi.useFakeTimers();
    const { fake, store } = setup();
    const reply = deferred<unknown>();
    fake.calls.settings!.getDraft!.mockReturnValue(reply.promise);
    fake.calls.settings!.saveDraft!.mockResolvedValue({ ok: true });
    store.getState().keepDraft();
    store.getState().setDraft({ prompt: 'typed first' });
    reply.resolve({ draft: { ...emptyDraft, prompt: 'older' } });
    await vi.runAllTimersAsync();
    expect(store.getState().draft.prompt).toBe('typed first');
    expect(fake.calls.settings!.saveDraft).toHaveBeenLastCalledWith({ draft: { ...emptyDraft, prompt: 'typed first' } });
  });

  it('a saved field of the wrong type falls back to empty; fields the form gained are kept', () => {
    const draft = draftFromSaved({ prompt: 'p', targets: 'not a list' as unknown as string[], attachments: [{ hash: 'abc' }] });
    expect(draft).toEqual({ ...emptyDraft, prompt: 'p', attachments: [{ hash: 'abc' }] });
  });

  it('a group saved with fewer fields (routing from an older form) gets the missing ones', () => {
    const draft = draftFromSaved({ prompt: 'p', routing: { strategy: 'price' } as never, columnRouting: 'junk' as never });
    expect(draft.routing).toEqual({ ...emptyDraft.routing, strategy: 'price' });
    expect(draft.columnRouting).toEqual(emptyDraft.columnRouting);
  });
});
