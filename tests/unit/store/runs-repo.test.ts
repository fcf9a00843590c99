/**
 * The runs repository on an in-memory database: a run written the way the
 * engine writes it reads back the same, full-text search treats user input as
 * words, and crash recovery interrupts only runs whose process is gone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/store/db';
import { createStore, type Store } from '../../../electron/store';
import { CompareRequest, type ColumnResult } from '../../../shared/domain';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function memoryStore(): Store {
  const store = createStore(openDatabase(':memory:'));
  stores.push(store);
  return store;
}

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

let nextId = 0;
/** Creates a run of `targets` (one column each), as Engine.start does; returns its ids. */
function newRun(store: Store, prompt: string, targets: string[], opts: { pid?: number; at?: number; system?: string } = {}) {
  const runId = `r${++nextId}`;
  const columns = targets.map((target, index) => ({ columnId: `${runId}c${index}`, index, target }));
  const request = CompareRequest.parse({ system: opts.system, messages: [{ role: 'user', content: prompt }], targets });
  const createdAt = opts.at ?? T0 + nextId;
  store.runs.createRun({ runId, createdAt, request, columns, pid: opts.pid ?? 4242 });
  return { runId, createdAt, columnIds: columns.map((c) => c.columnId) };
}

/** A finished ok column, as run-column.ts writes it. */
function okColumn(columnId: string, index: number, target: string, text: string, over: Partial<ColumnResult> = {}): ColumnResult {
  return {
    columnId, index, target, status: 'ok', servedBy: { provider: 'openai', model: 'gpt-4o-mini' }, fellBack: false, text, reasoning: 'thinking…',
    finishReason: 'stop', error: null,
    attempts: [{ provider: 'openai', model: 'gpt-4o-mini', status: 'ok', httpStatus: 200, error: null, errorKind: null, startedAt: T0, ttftMs: 120, totalMs: 900, keyIndex: 0, retryAfterMs: null, outputTokens: 42 }],
    usage: { inputTokens: 12, outputTokens: 42, reasoningTokens: 3, cachedInputTokens: 4, estimated: false },
    metrics: { queuedAt: T0, sentAt: T0 + 5, ttftMs: 120, totalMs: 900, tokensPerSecond: 53.8 },
    costUsd: 0.0000270, providerCostUsd: 0.000027, costDrift: 0,
    ...over,
  };
}

/** Drives one column through running, streamed text, one attempt and its finish. */
function runColumnToOk(store: Store, runId: string, columnId: string, index: number, target: string, text: string): ColumnResult {
  const col = okColumn(columnId, index, target, text);
  const attemptId = store.runs.startAttempt(columnId, { ...col.attempts[0]!, status: 'running', endpointId: 'openai:gpt-4o-mini', seq: 0 }, true);
  store.runs.saveText(columnId, text.slice(0, 5), '', T0 + 100);
  store.runs.finishAttempt(attemptId, col.attempts[0]!, T0 + 900);
  store.runs.finishColumn(col, { endpointId: 'openai:gpt-4o-mini', priceJson: '{"inputPerM":0.15,"outputPerM":0.6}' }, T0 + 900);
  return col;
}

describe('runs repository', () => {
  it('round-trips a run: createRun, streamed text, attempts, finishColumn, getRun', () => {
    const store = memoryStore();
    const { runId, createdAt, columnIds } = newRun(store, 'Why is the sky blue?', ['openai:gpt-4o-mini', 'anthropic/claude-3-5-haiku'], { system: 'be brief' });

    const fresh = store.runs.getRun(runId)!;
    expect(fresh.status).toBe('running');
    expect(fresh.request?.system).toBe('be brief');
    expect(fresh.columns.map((c) => [c.index, c.target, c.status, c.text])).toEqual([
      [0, 'openai:gpt-4o-mini', 'queued', ''],
      [1, 'anthropic/claude-3-5-haiku', 'queued', ''],
    ]);

    // Text saved mid-stream is readable before the column finishes (what a crash leaves behind).
    store.runs.saveText(columnIds[1]!, 'Rayleigh', 'hmm', T0 + 50);
    expect(store.runs.getRun(runId)!.columns[1]).toMatchObject({ text: 'Rayleigh', reasoning: 'hmm', status: 'queued' });

    const ok = runColumnToOk(store, runId, columnIds[0]!, 0, 'openai:gpt-4o-mini', 'Because of Rayleigh scattering.');
    store.runs.finishRun(runId, T0 + 1000);

    const run = store.runs.getRun(runId)!;
    expect(run.status).toBe('done');
    // Everything the column finished with, and the queue time recorded when the run was created.
    expect(run.columns[0]).toEqual({ ...ok, metrics: { ...ok.metrics, queuedAt: createdAt } });
    expect(run.columns[1]!.status).toBe('queued');
    expect(store.runs.getRun('r-missing')).toBeNull();

    const [summary] = store.runs.listRuns({ limit: 10, offset: 0 });
    expect(summary).toMatchObject({ runId, status: 'done', promptPreview: 'Why is the sky blue?', targets: ['openai:gpt-4o-mini', 'anthropic/claude-3-5-haiku'], columnStatuses: ['ok', 'queued'], costUsd: 0.000027 });
  });

  it('lists newest first, with limit and offset', () => {
    const store = memoryStore();
    const ids = ['first', 'second', 'third'].map((p, i) => newRun(store, p, ['a:b'], { at: T0 + i * 1000 }).runId);
    expect(store.runs.listRuns({ limit: 10, offset: 0 }).map((r) => r.runId)).toEqual([...ids].reverse());
    expect(store.runs.listRuns({ limit: 1, offset: 1 }).map((r) => r.runId)).toEqual([ids[1]]);
  });

  describe('full-text search', () => {
    function searchable() {
      const store = memoryStore();
      const sky = newRun(store, 'Why is the sky blue?', ['openai:gpt-4o-mini']);
      runColumnToOk(store, sky.runId, sky.columnIds[0]!, 0, 'openai:gpt-4o-mini', 'Because of Rayleigh scattering of sunlight.');
      store.runs.finishRun(sky.runId, T0 + 1000);
      const code = newRun(store, 'Explain C++ templates: "SFINAE" (and NEAR/OR operators)', ['groq:llama-3.3-70b']);
      store.runs.finishRun(code.runId, T0 + 1000);
      const search = (query: string) => store.runs.listRuns({ limit: 10, offset: 0, query }).map((r) => r.runId);
      return { sky: sky.runId, code: code.runId, search };
    }

    it('finds runs by prompt words, answer words and word prefixes, case-insensitively', () => {
      const { sky, code, search } = searchable();
      expect(search('sky')).toEqual([sky]);
      expect(search('rayleigh')).toEqual([sky]);
      expect(search('SCATTER')).toEqual([sky]);
      expect(search('blue scattering')).toEqual([sky]);
      expect(search('templates')).toEqual([code]);
      expect(search('sky templates')).toEqual([]);
      expect(search('   ')).toHaveLength(2);
    });

    it('treats FTS syntax in user input as plain text', () => {
      const { sky, code, search } = searchable();
      // Each of these is an FTS5 syntax error or operator if passed through raw.
      for (const q of ['"', 'sky"', 'C++', 'NEAR/OR', 'AND', 'sky OR', '(sky', 'sky*', '-sky', 'prompt:sky', '^sky', 'NOT sky']) {
        expect(() => search(q), q).not.toThrow();
      }
      expect(search('"SFINAE"')).toEqual([code]);
      expect(search('sky)')).toEqual([sky]);
      expect(search('OR')).toEqual([code]);
      expect(search('NOT sky')).toEqual([]);
      expect(search('answers:rayleigh')).toEqual([]);
    });
  });

  describe('recoverInterrupted', () => {
    it('interrupts runs of dead processes, keeping their text, and leaves live ones alone', () => {
      const store = memoryStore();
      const dead = newRun(store, 'dead', ['a:one', 'a:two'], { pid: 111 });
      const live = newRun(store, 'live', ['a:one'], { pid: 222 });
      const done = newRun(store, 'done', ['a:one'], { pid: 111 });
      runColumnToOk(store, done.runId, done.columnIds[0]!, 0, 'a:one', 'finished answer');
      store.runs.finishRun(done.runId, T0);

      // dead: column 0 streamed a little and has a running attempt; column 1 finished before the crash.
      store.runs.startAttempt(dead.columnIds[0]!, { provider: 'a', model: 'one', status: 'running', httpStatus: null, error: null, errorKind: null, startedAt: T0, ttftMs: null, totalMs: null, keyIndex: 0, retryAfterMs: null, outputTokens: null, endpointId: 'a:one', seq: 0 }, true);
      store.runs.saveText(dead.columnIds[0]!, 'half an ans', '', T0 + 10);
      runColumnToOk(store, dead.runId, dead.columnIds[1]!, 1, 'a:two', 'complete');
      store.runs.startAttempt(live.columnIds[0]!, { provider: 'a', model: 'one', status: 'running', httpStatus: null, error: null, errorKind: null, startedAt: T0, ttftMs: null, totalMs: null, keyIndex: 0, retryAfterMs: null, outputTokens: null, endpointId: 'a:one', seq: 0 }, true);

      const asked: number[] = [];
      const recovered = store.runs.recoverInterrupted((pid) => (asked.push(pid), pid === 222), T0 + 5000);
      expect(recovered).toEqual([dead.runId]);
      expect([...new Set(asked)].sort()).toEqual([111, 222]);

      const d = store.runs.getRun(dead.runId)!;
      expect(d.status).toBe('interrupted');
      expect(d.columns[0]).toMatchObject({ status: 'interrupted', text: 'half an ans', error: expect.stringMatching(/interrupted/) });
      expect(d.columns[0]!.attempts.map((a) => a.status)).toEqual(['interrupted']);
      expect(d.columns[1]).toMatchObject({ status: 'ok', text: 'complete', error: null });

      const l = store.runs.getRun(live.runId)!;
      expect(l.status).toBe('running');
      expect(l.columns[0]!.status).toBe('running');
      expect(l.columns[0]!.attempts.map((a) => a.status)).toEqual(['running']);
      expect(store.runs.getRun(done.runId)!.status).toBe('done');

      // Idempotent: a second start finds nothing more to recover.
      expect(store.runs.recoverInterrupted((pid) => pid === 222, T0 + 6000)).toEqual([]);
      expect(store.db.prepare(`SELECT COUNT(*) AS n FROM attempts WHERE status = 'running'`).get()).toEqual({ n: 1 });
    });

    it('interrupts a running run that has no pid recorded', () => {
      const store = memoryStore();
      const { runId } = newRun(store, 'orphan', ['a:one']);
      store.db.prepare('UPDATE runs SET pid = NULL WHERE id = ?').run(runId);
      expect(store.runs.recoverInterrupted(() => true, T0)).toEqual([runId]);
      expect(store.runs.getRun(runId)!.columns[0]!.status).toBe('interrupted');
    });
  });
});

describe('runs repository: conversation turns', () => {
  it('a follow-up turn is a row of its own; the run reads back as every turn, the list shows each column once at its latest', () => {
    const store = memoryStore();
    const { runId, columnIds } = newRun(store, 'first?', ['openai:gpt-4o-mini', 'anthropic/claude-3-5-haiku']);
    runColumnToOk(store, runId, columnIds[0]!, 0, 'openai:gpt-4o-mini', 'answer one');
    runColumnToOk(store, runId, columnIds[1]!, 1, 'anthropic/claude-3-5-haiku', 'answer two');
    store.runs.finishRun(runId, T0 + 1000);
    expect(store.runs.getRun(runId)!.turns).toBeUndefined();
    expect(store.runs.nextTurn(runId)).toBe(1);

    store.runs.addTurn({ runId, turn: 1, prompt: 'second?', createdAt: T0 + 2000, columns: [{ columnId: 't1', index: 1, target: 'anthropic/claude-3-5-haiku' }] });
    expect(store.runs.getRun(runId)!.status).toBe('running');
    runColumnToOk(store, runId, 't1', 1, 'anthropic/claude-3-5-haiku', 'answer three');
    store.runs.finishRun(runId, T0 + 3000);

    const run = store.runs.getRun(runId)!;
    expect(run.turns).toEqual([
      { turn: 0, prompt: 'first?', createdAt: run.createdAt, columns: [0, 1] },
      { turn: 1, prompt: 'second?', createdAt: T0 + 2000, columns: [1] },
    ]);
    expect(run.columns.map((c) => [c.columnId, c.text, c.turns?.map((t) => t.turn)])).toEqual([
      [columnIds[0], 'answer one', [0]],
      ['t1', 'answer three', [0, 1]],
    ]);
    expect(run.columns[1]!.totals).toEqual({ costUsd: 0.000054, inputTokens: 24, outputTokens: 84, totalMs: 1800 });
    expect(run.totals!.costUsd).toBeCloseTo(0.000081, 12);
    expect(store.runs.nextTurn(runId)).toBe(2);
    const [summary] = store.runs.listRuns({ limit: 5, offset: 0 });
    expect(summary).toMatchObject({ targets: ['openai:gpt-4o-mini', 'anthropic/claude-3-5-haiku'], columnStatuses: ['ok', 'ok'] });
    expect(summary!.costUsd).toBeCloseTo(0.000081, 12);
    // One entry per column: its latest turn's status, its turns' cost and tokens summed.
    expect(summary!.columns?.map((c) => [c.status, c.inputTokens, c.outputTokens])).toEqual([['ok', 12, 42], ['ok', 24, 84]]);
    expect(summary!.columns![1]!.costUsd).toBeCloseTo(0.000054, 12);
    // The follow-up's prompt and answer are searchable like the first ones.
    expect(store.runs.listRuns({ limit: 5, offset: 0, query: 'second' }).map((r) => r.runId)).toEqual([runId]);
    expect(store.runs.listRuns({ limit: 5, offset: 0, query: 'three' }).map((r) => r.runId)).toEqual([runId]);
  });

  it('an interrupted follow-up turn is billed for the conversation it was sent, not the run\'s first prompt', () => {
    const store = memoryStore();
    const { runId, columnIds } = newRun(store, 'first?', ['openai:gpt-4o-mini'], { pid: 111 });
    runColumnToOk(store, runId, columnIds[0]!, 0, 'openai:gpt-4o-mini', 'answer one');
    store.runs.finishRun(runId, T0 + 1000);
    store.runs.addTurn({ runId, turn: 1, prompt: 'second?', createdAt: T0 + 2000, columns: [{ columnId: 't1', index: 0, target: 'openai:gpt-4o-mini' }] });
    store.runs.startAttempt('t1', { ...okColumn('t1', 0, 'x', '').attempts[0]!, status: 'running', endpointId: 'openai:gpt-4o-mini', seq: 0 }, true);
    store.runs.saveText('t1', 'partial', '', T0 + 2100);
    expect(store.runs.recoverInterrupted(() => false, T0 + 3000)).toEqual([runId]);
    const [unsettled] = store.runs.unsettledInterrupted();
    expect(unsettled!.columnId).toBe('t1');
    expect(unsettled!.request.messages).toEqual([
      { role: 'user', content: 'first?' }, { role: 'assistant', content: 'answer one' }, { role: 'user', content: 'second?' },
    ]);
  });
});
