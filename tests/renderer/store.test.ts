import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../renderer/store';
import { STILL_STREAMING, WIDE_FAN_OUT } from '../../renderer/store/compareSlice';
import { FrameBatcher } from '../../renderer/store/frames';
import { reduceEvents } from '../../renderer/store/reduce';
import type { CompareEvent } from '../../shared/domain';
import { attempt, column, delta, fakeClient, manualFrames, started } from './helpers';

function setup() {
  const fake = fakeClient();
  const frames = manualFrames();
  const store = createAppStore({ client: fake.client, frames }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  return { fake, frames, store };
}

describe('event reduction', () => {
  it('run-started creates one queued column per target, in index order', () => {
    const runs = reduceEvents({}, [started()]);
    expect(runs.r1!.order).toEqual(['c1', 'c2']);
    expect(runs.r1!.columns.c2).toMatchObject({ target: 'mock:m2', status: 'queued', text: '' });
  });

  it('appends deltas in order, per column, across batches', () => {
    let runs = reduceEvents({}, [started(), delta('c1', 'Hel'), delta('c2', 'x'), delta('c1', 'lo')]);
    runs = reduceEvents(runs, [delta('c1', ', world', 'thinking')]);
    expect(runs.r1!.columns.c1!.text).toBe('Hello, world');
    expect(runs.r1!.columns.c1!.reasoning).toBe('thinking');
    expect(runs.r1!.columns.c2!.text).toBe('x');
  });

  it('does not mutate the previous state', () => {
    const before = reduceEvents({}, [started(), delta('c1', 'a')]);
    const snapshot = JSON.stringify(before);
    reduceEvents(before, [delta('c1', 'b'), { type: 'attempt-started', runId: 'r1', columnId: 'c2', attempt: attempt() }]);
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('a new attempt restarts the text and flags a fallback to another endpoint', () => {
    let runs = reduceEvents({}, [started(), { type: 'attempt-started', runId: 'r1', columnId: 'c1', attempt: attempt() }, delta('c1', 'partial')]);
    expect(runs.r1!.columns.c1).toMatchObject({ status: 'running', servedBy: { provider: 'mock', model: 'm1' }, fellBack: false });
    runs = reduceEvents(runs, [
      { type: 'attempt-finished', runId: 'r1', columnId: 'c1', attempt: attempt({ status: 'error', httpStatus: 500, error: '500 from mock' }) },
      { type: 'attempt-started', runId: 'r1', columnId: 'c1', attempt: attempt({ provider: 'backup', startedAt: 2000 }) },
      delta('c1', 'fresh'),
    ]);
    const c1 = runs.r1!.columns.c1!;
    expect(c1.text).toBe('fresh');
    expect(c1.fellBack).toBe(true);
    expect(c1.servedBy).toEqual({ provider: 'backup', model: 'm1' });
    expect(c1.attempts.map((a) => [a.provider, a.status, a.httpStatus])).toEqual([
      ['mock', 'error', 500],
      ['backup', 'running', null],
    ]);
  });

  it('column-finished replaces the column with the engine record (metrics, usage, cost)', () => {
    const final = column({
      status: 'ok',
      text: 'Hello',
      servedBy: { provider: 'mock', model: 'm1' },
      metrics: { queuedAt: 1, sentAt: 2, ttftMs: 120, totalMs: 900, tokensPerSecond: 55.5 },
      usage: { inputTokens: 10, outputTokens: 50, reasoningTokens: null, cachedInputTokens: null, estimated: true },
      costUsd: 0.0012,
    });
    const runs = reduceEvents({}, [started(), delta('c1', 'Hel'), { type: 'column-finished', runId: 'r1', column: final }]);
    expect(runs.r1!.columns.c1).toEqual(final);
    expect(runs.r1!.status).toBe('running');
    const done = reduceEvents(runs, [{ type: 'run-finished', runId: 'r1', result: { runId: 'r1', columns: [final] } }]);
    expect(done.r1!.status).toBe('done');
  });

  it('times the first token locally until the engine reports TTFT', () => {
    let runs = reduceEvents({}, [started(), { type: 'attempt-started', runId: 'r1', columnId: 'c1', attempt: attempt() }], 1_000);
    runs = reduceEvents(runs, [delta('c1', '')], 1_100);
    expect(runs.r1!.clocks.c1).toEqual({ attemptAt: 1_000, firstTokenAt: null });
    runs = reduceEvents(runs, [delta('c1', 'a')], 1_250);
    runs = reduceEvents(runs, [delta('c1', 'b')], 1_300);
    expect(runs.r1!.clocks.c1).toEqual({ attemptAt: 1_000, firstTokenAt: 1_250 });
  });

  it('times the first token from the engine\'s attempt start, so one batch holding both does not read 0 ms', () => {
    const runs = reduceEvents({}, [started(), { type: 'attempt-started', runId: 'r1', columnId: 'c1', attempt: attempt({ startedAt: 4_970 }) }, delta('c1', 'a')], 5_000);
    expect(runs.r1!.clocks.c1).toEqual({ attemptAt: 4_970, firstTokenAt: 5_000 });
    // A host clock ahead of this window's never makes it negative.
    const ahead = reduceEvents({}, [started(), { type: 'attempt-started', runId: 'r1', columnId: 'c1', attempt: attempt({ startedAt: 9_000 }) }], 5_000);
    expect(ahead.r1!.clocks.c1!.attemptAt).toBe(5_000);
  });

  it('ignores events for runs it never saw', () => {
    const runs = reduceEvents({}, [delta('c1', 'x', '', 'other')]);
    expect(runs).toEqual({});
  });
});

describe('rAF batching', () => {
  it('commits a frame of events to the store once, and nothing before the frame', () => {
    const { fake, frames, store } = setup();
    const disconnect = store.getState().connectEvents();
    let commits = 0;
    store.subscribe(() => commits++);

    fake.emit(started());
    for (let i = 0; i < 50; i++) fake.emit(delta(i % 2 ? 'c1' : 'c2', String(i % 10)));
    expect(commits).toBe(0);
    expect(frames.pending).toBe(1);

    frames.tick();
    expect(commits).toBe(1);
    expect(store.getState().live.r1!.columns.c1!.text).toBe('1357913579135791357913579');

    fake.emit(delta('c1', '!'));
    fake.emit(delta('c1', '?'));
    frames.tick();
    expect(commits).toBe(2);
    expect(store.getState().live.r1!.columns.c1!.text.endsWith('!?')).toBe(true);
    disconnect();
    expect(fake.listeners).toBe(0);
  });
});

describe('FrameBatcher pacing', () => {
  it('commits on the next frame by default, and on the second frame when asked for two', () => {
    const frames = manualFrames();
    const commits: number[][] = [];
    let perCommit = 1;
    const b = new FrameBatcher<number>((items) => commits.push(items), frames, () => perCommit);
    b.push(1);
    b.push(2);
    frames.tick();
    expect(commits).toEqual([[1, 2]]);

    perCommit = 2;
    b.push(3);
    frames.tick();
    expect(commits).toHaveLength(1);
    b.push(4);
    expect(frames.pending).toBe(1);
    frames.tick();
    expect(commits).toEqual([[1, 2], [3, 4]]);
    expect(frames.pending).toBe(0);
  });

  it('flush commits at once and cancels the frame it was waiting for', () => {
    const frames = manualFrames();
    const commits: number[][] = [];
    const b = new FrameBatcher<number>((items) => commits.push(items), frames, () => 2);
    b.push(1);
    frames.tick();
    b.flush();
    expect(commits).toEqual([[1]]);
    expect(frames.pending).toBe(0);
  });
});

/** A run-started event for `n` columns c1..cn. */
const wideRun = (n: number): CompareEvent => ({
  type: 'run-started',
  runId: 'r1',
  columns: Array.from({ length: n }, (_, i) => ({ columnId: `c${i + 1}`, index: i, target: `mock:m${i + 1}` })),
});

describe('commit pacing by fan-out', () => {
  function framesToCommit(columns: number): number {
    const { fake, frames, store } = setup();
    store.getState().connectEvents();
    fake.emit(wideRun(columns));
    frames.tick();
    let commits = 0;
    store.subscribe(() => commits++);
    fake.emit(delta('c1', 'x'));
    let ticks = 0;
    while (commits === 0 && ticks < 5) {
      frames.tick();
      ticks++;
    }
    return ticks;
  }

  it(`commits every frame with up to ${WIDE_FAN_OUT} columns streaming`, () => {
    expect(framesToCommit(WIDE_FAN_OUT)).toBe(1);
  });

  it(`commits every second frame with more than ${WIDE_FAN_OUT} columns streaming`, () => {
    expect(framesToCommit(WIDE_FAN_OUT + 1)).toBe(2);
    expect(framesToCommit(16)).toBe(2);
  });

  it('goes back to every frame once the wide run has finished streaming', () => {
    const { fake, frames, store } = setup();
    store.getState().connectEvents();
    fake.emit(wideRun(8));
    frames.tick();
    for (let i = 1; i <= 8; i++) fake.emit({ type: 'column-finished', runId: 'r1', column: column({ columnId: `c${i}`, index: i - 1, status: 'ok', text: 'done' }) });
    frames.tick();
    frames.tick();
    let commits = 0;
    store.subscribe(() => commits++);
    fake.emit(delta('c1', 'late'));
    frames.tick();
    expect(commits).toBe(1);
  });
});

describe('compare actions', () => {
  it('send() validates the draft before calling the engine', async () => {
    const { fake, store } = setup();
    await store.getState().send();
    expect(store.getState().sendError).toBe('write a prompt first');
    store.getState().setDraft({ prompt: 'hi', targets: ['mock:m1'], temperature: '3' });
    await store.getState().send();
    // The sentence sits by the field; above Send, only that fields are marked.
    expect(store.getState().sendError).toBe('fix the marked field first');
    expect(fake.calls.compare!.startRun).not.toHaveBeenCalled();
  });

  it('send() starts a run, shows it even before run-started arrives, and keeps events once they do', async () => {
    const { fake, frames, store } = setup();
    store.getState().connectEvents();
    fake.calls.compare!.startRun!.mockResolvedValue({ runId: 'r1', columns: [{ columnId: 'c1', index: 0, target: 'mock:m1' }] });
    store.getState().setDraft({ prompt: 'hi', system: 'be brief', maxTokens: '64', targets: ['mock:m1'] });
    await store.getState().send();
    expect(fake.calls.compare!.startRun).toHaveBeenCalledWith({
      system: 'be brief',
      messages: [{ role: 'user', content: 'hi' }],
      params: { maxTokens: 64 },
      targets: ['mock:m1'],
      source: 'window',
    });
    expect(store.getState().activeRunId).toBe('r1');
    expect(store.getState().live.r1!.order).toEqual(['c1']);
    fake.emit(delta('c1', 'streamed'));
    frames.tick();
    expect(store.getState().live.r1!.columns.c1!.text).toBe('streamed');
  });

  it('send() refuses while the run in view still streams, and sends again once it is done', async () => {
    const { fake, frames, store } = setup();
    store.getState().connectEvents();
    fake.calls.compare!.startRun!.mockResolvedValue({ runId: 'r1', columns: [{ columnId: 'c1', index: 0, target: 'mock:m1' }] });
    store.getState().setDraft({ prompt: 'hi', targets: ['mock:m1'] });
    await store.getState().send();
    await store.getState().send();
    expect(fake.calls.compare!.startRun).toHaveBeenCalledOnce();
    expect(store.getState().sendError).toBe(STILL_STREAMING);
    fake.emit({ type: 'run-finished', runId: 'r1', result: { runId: 'r1', createdAt: 1, status: 'done', request: null, columns: [] } } as unknown as CompareEvent);
    frames.tick();
    // True no longer: it goes without the draft being touched.
    expect(store.getState().sendError).toBeNull();
    await store.getState().send();
    expect(fake.calls.compare!.startRun).toHaveBeenCalledTimes(2);
  });

  it('stopAll() cancels every run still streaming, not only the one in view', async () => {
    const { fake, frames, store } = setup();
    store.getState().connectEvents();
    fake.calls.compare!.cancelRun!.mockResolvedValue({ ok: true });
    fake.emit(started('r1'));
    fake.emit(started('r2'));
    frames.tick();
    store.setState({ activeRunId: 'r2' });
    await store.getState().stopAll();
    expect(fake.calls.compare!.cancelRun).toHaveBeenCalledWith({ runId: 'r1' });
    expect(fake.calls.compare!.cancelRun).toHaveBeenCalledWith({ runId: 'r2' });
  });

  it('shows the engine refusal as the send error', async () => {
    const { fake, store } = setup();
    fake.calls.compare!.startRun!.mockRejectedValue(new Error('budget "daily" would be exceeded'));
    store.getState().setDraft({ prompt: 'hi', targets: ['mock:m1'] });
    await store.getState().send();
    expect(store.getState()).toMatchObject({ sending: false, sendError: 'budget "daily" would be exceeded', activeRunId: null });
  });

  it('a retry the engine refuses gives the column its answer back and says why', async () => {
    const { fake, frames, store } = setup();
    store.getState().connectEvents();
    fake.emit(started());
    const answer = column({ columnId: 'c1', index: 0, status: 'incomplete', text: 'half an answer', error: 'interrupted after 2 tokens' });
    fake.emit({ type: 'column-finished', runId: 'r1', column: answer });
    fake.emit({ type: 'run-finished', runId: 'r1', result: { runId: 'r1', createdAt: 1, status: 'done', request: null, columns: [] } } as unknown as CompareEvent);
    frames.tick();
    store.setState({ activeRunId: 'r1' });
    fake.calls.compare!.retryColumn!.mockRejectedValue(new Error('budget "daily" would be exceeded'));
    await store.getState().retryColumn('c1');
    expect(store.getState().live.r1!.columns.c1).toEqual(answer);
    expect(store.getState().notice).toBe('retry failed: budget "daily" would be exceeded');
  });

  it('does not retry a column while its run still streams: the answer stays, nothing is asked of the engine', async () => {
    const { fake, frames, store } = setup();
    store.getState().connectEvents();
    fake.emit(started());
    fake.emit(delta('c1', 'partial'));
    frames.tick();
    store.setState({ activeRunId: 'r1' });
    await store.getState().retryColumn('c1');
    expect(fake.calls.compare!.retryColumn).not.toHaveBeenCalled();
    expect(store.getState().live.r1!.columns.c1!.text).toBe('partial');
    expect(store.getState().notice).toMatch(/waits for the run to finish/);
  });

  it('persists only layout preferences', () => {
    const saved = new Map<string, string>();
    const fake = fakeClient();
    const store = createAppStore(
      { client: fake.client, frames: manualFrames() },
      { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => void saved.set(k, v), removeItem: () => undefined },
    );
    store.getState().setDraft({ prompt: 'secret prompt' });
    store.getState().setColumnWidth(2, 400);
    const blob = [...saved.values()].join('');
    expect(blob).toContain('400');
    expect(blob).not.toContain('secret prompt');
  });
});

describe('prefs storage', () => {
  it('writes only when the preferences change, not on every streamed frame', () => {
    const setItem = vi.fn();
    const fake = fakeClient();
    const frames = manualFrames();
    const store = createAppStore({ client: fake.client, frames }, { getItem: () => null, setItem, removeItem: () => undefined });
    store.getState().connectEvents();
    store.getState().setView('history'); // the first write after start-up
    const before = setItem.mock.calls.length;
    expect(before).toBe(1);
    fake.emit(started());
    for (let i = 0; i < 5; i++) {
      fake.emit(delta('c1', 'x'));
      frames.tick();
    }
    expect(setItem.mock.calls.length).toBe(before);
    store.getState().setColumnWidth(0, 500);
    expect(setItem.mock.calls.length).toBe(before + 1);
  });
});
