/**
 * Pure reduction of compare events into live runs. Events arrive in batches
 * (one per animation frame); each run and column touched by a batch is copied
 * once, so a frame with 16 columns x 6 deltas costs 16 copies, not 96.
 */
import type { AttemptRecord, ColumnResult, ColumnTurn, CompareEvent, RunResult } from '../../shared/domain';
import { foldToolPiece } from '../../shared/tools';

/** When this window saw a column's current attempt start and its first token (local clock). */
export interface ColumnClock {
  attemptAt: number;
  firstTokenAt: number | null;
}

export interface LiveRun {
  runId: string;
  /** Column ids in display order. */
  order: string[];
  columns: Record<string, ColumnResult>;
  /** Lets the header show time to first token while the column still streams; the engine's figure replaces it. */
  clocks: Record<string, ColumnClock>;
  status: 'running' | 'done';
}

export type LiveRuns = Record<string, LiveRun>;

export interface ColumnSeed {
  columnId: string;
  index: number;
  target: string;
}

export function emptyColumn(seed: ColumnSeed): ColumnResult {
  return {
    columnId: seed.columnId,
    index: seed.index,
    target: seed.target,
    status: 'queued',
    servedBy: null,
    fellBack: false,
    text: '',
    reasoning: '',
    finishReason: null,
    error: null,
    attempts: [],
    usage: { inputTokens: null, outputTokens: null, reasoningTokens: null, cachedInputTokens: null, estimated: false },
    metrics: { queuedAt: null, sentAt: null, ttftMs: null, totalMs: null, tokensPerSecond: null },
    costUsd: null,
    providerCostUsd: null,
    costDrift: null,
  };
}

export function runFromSeeds(runId: string, seeds: ColumnSeed[]): LiveRun {
  const sorted = [...seeds].sort((a, b) => a.index - b.index);
  return {
    runId,
    order: sorted.map((s) => s.columnId),
    columns: Object.fromEntries(sorted.map((s) => [s.columnId, emptyColumn(s)])),
    clocks: {},
    status: 'running',
  };
}

/** A run read back from history, in the same shape the live view uses. */
export function runFromResult(result: RunResult): LiveRun {
  const sorted = [...result.columns].sort((a, b) => a.index - b.index);
  return {
    runId: result.runId,
    order: sorted.map((c) => c.columnId),
    columns: Object.fromEntries(sorted.map((c) => [c.columnId, c])),
    clocks: {},
    status: result.status === 'running' ? 'running' : 'done',
  };
}

function sameAttempt(a: AttemptRecord, b: AttemptRecord): boolean {
  return a.startedAt === b.startedAt && a.provider === b.provider && a.model === b.model;
}

function fellBackFrom(attempts: AttemptRecord[]): boolean {
  const first = attempts[0];
  return !!first && attempts.some((a) => a.provider !== first.provider || a.model !== first.model);
}

/** `now` is when the batch is applied: all events of one frame share it. */
export function reduceEvents(prev: LiveRuns, events: readonly CompareEvent[], now: number = Date.now()): LiveRuns {
  if (events.length === 0) return prev;
  const runs: LiveRuns = { ...prev };
  const copiedRuns = new Set<string>();
  const copiedCols = new Set<string>();

  const editRun = (runId: string): LiveRun | null => {
    const run = runs[runId];
    if (!run) return null;
    if (copiedRuns.has(runId)) return run;
    const copy = { ...run, columns: { ...run.columns }, clocks: { ...run.clocks } };
    runs[runId] = copy;
    copiedRuns.add(runId);
    return copy;
  };
  const editColumn = (runId: string, columnId: string): ColumnResult | null => {
    const run = editRun(runId);
    const col = run?.columns[columnId];
    if (!run || !col) return null;
    const key = `${runId}\u0000${columnId}`;
    if (copiedCols.has(key)) return col;
    const copy = { ...col };
    run.columns[columnId] = copy;
    copiedCols.add(key);
    return copy;
  };

  for (const e of events) {
    switch (e.type) {
      case 'run-started': {
        if (e.turn) {
          const run = editRun(e.runId);
          if (run) startTurn(run, e.columns, e.turn);
          break;
        }
        // A column that already streamed (the startRun reply raced ahead) keeps its state.
        const existing = runs[e.runId];
        const fresh = runFromSeeds(e.runId, e.columns);
        if (existing) {
          for (const id of fresh.order) fresh.columns[id] = existing.columns[id] ?? fresh.columns[id]!;
          fresh.clocks = { ...existing.clocks };
        }
        runs[e.runId] = fresh;
        copiedRuns.add(e.runId);
        break;
      }
      case 'attempt-started': {
        const col = editColumn(e.runId, e.columnId);
        if (!col) break;
        col.attempts = [...col.attempts, e.attempt];
        col.status = 'running';
        col.servedBy = { provider: e.attempt.provider, model: e.attempt.model };
        col.fellBack = fellBackFrom(col.attempts);
        // A new attempt restarts the answer: text from a failed attempt is never spliced into the next.
        col.text = '';
        col.reasoning = '';
        col.error = null;
        delete col.toolCalls;
        // The engine's start time, not this batch's: the first token often lands in the same batch
        // (a frame later at most), which would read as 0 ms. Capped at now for a host whose clock runs ahead.
        runs[e.runId]!.clocks[e.columnId] = { attemptAt: Math.min(now, e.attempt.startedAt), firstTokenAt: null };
        break;
      }
      case 'delta': {
        const col = editColumn(e.runId, e.columnId);
        if (!col) break;
        if (e.text) col.text += e.text;
        if (e.reasoning) col.reasoning += e.reasoning;
        if (col.status === 'queued') col.status = 'running';
        const clock = runs[e.runId]!.clocks[e.columnId];
        if (clock && clock.firstTokenAt === null && (e.text || e.reasoning)) runs[e.runId]!.clocks[e.columnId] = { ...clock, firstTokenAt: now };
        break;
      }
      case 'tool-delta': {
        // A call shows as it streams; the column's final record brings it parsed.
        const col = editColumn(e.runId, e.columnId);
        if (!col) break;
        col.toolCalls = foldToolPiece(col.toolCalls, e);
        if (col.status === 'queued') col.status = 'running';
        const clock = runs[e.runId]!.clocks[e.columnId];
        if (clock && clock.firstTokenAt === null) runs[e.runId]!.clocks[e.columnId] = { ...clock, firstTokenAt: now };
        break;
      }
      case 'attempt-finished': {
        const col = editColumn(e.runId, e.columnId);
        if (!col) break;
        const attempts = [...col.attempts];
        let at = attempts.findIndex((a) => sameAttempt(a, e.attempt));
        if (at < 0) at = attempts.findLastIndex((a) => a.status === 'running');
        if (at < 0) attempts.push(e.attempt);
        else attempts[at] = e.attempt;
        col.attempts = attempts;
        break;
      }
      case 'column-finished': {
        const run = editRun(e.runId);
        if (!run || !run.columns[e.column.columnId]) break;
        // The engine's final record is authoritative (text, usage, cost, attempts); the turns before it are the window's until run-finished.
        const before = run.columns[e.column.columnId]!.turns;
        run.columns[e.column.columnId] = e.column.turns || !before ? e.column : { ...e.column, turns: before };
        copiedCols.add(`${e.runId}\u0000${e.column.columnId}`);
        break;
      }
      case 'run-finished': {
        const run = editRun(e.runId);
        if (!run) break;
        run.status = 'done';
        for (const c of e.result.columns) if (run.columns[c.columnId]) run.columns[c.columnId] = c;
        break;
      }
    }
  }
  return runs;
}

/** A column as one turn of its conversation (a one-turn column is its own turn 0). */
function asTurns(c: ColumnResult): ColumnTurn[] {
  if (c.turns?.length) return c.turns;
  const { turns: _turns, totals: _totals, ...fields } = c;
  return [{ ...fields, turn: 0, prompt: '' }];
}

/**
 * A follow-up turn starts: each continuing column takes its new id in the
 * same place, empty, carrying the turns before it so they stay in view.
 */
function startTurn(run: LiveRun, seeds: ColumnSeed[], turn: number): void {
  run.status = 'running';
  const order = [...run.order];
  for (const seed of seeds) {
    const at = order.findIndex((id) => run.columns[id]?.index === seed.index);
    const previous = at >= 0 ? run.columns[order[at]!] : undefined;
    const fresh: ColumnResult = { ...emptyColumn(seed), turns: previous ? asTurns(previous).filter((t) => t.turn < turn) : [] };
    if (at >= 0) order[at] = seed.columnId;
    else order.push(seed.columnId);
    run.columns[seed.columnId] = fresh;
  }
  run.order = order;
}

/** A retried turn keeps the turns before it in view. */
function withEarlierTurns(fresh: ColumnResult, col: ColumnResult): ColumnResult {
  return col.turns ? { ...fresh, turns: col.turns.filter((t) => t.columnId !== col.columnId) } : fresh;
}

/** Puts one column back to "queued" before a retry, so the old answer does not linger. */
export function resetColumn(prev: LiveRuns, runId: string, columnId: string): LiveRuns {
  const run = prev[runId];
  const col = run?.columns[columnId];
  if (!run || !col) return prev;
  return {
    ...prev,
    [runId]: { ...run, status: 'running', columns: { ...run.columns, [columnId]: withEarlierTurns(emptyColumn(col), col) } },
  };
}

/** Puts a column back as it was (a retry the engine refused), so its answer is not lost. */
export function restoreColumn(prev: LiveRuns, runId: string, column: ColumnResult): LiveRuns {
  const run = prev[runId];
  if (!run?.columns[column.columnId]) return prev;
  return { ...prev, [runId]: { ...run, columns: { ...run.columns, [column.columnId]: column } } };
}

/** Keeps the runs in view plus a few recent ones; anything else lives in history. */
export function pruneRuns(runs: LiveRuns, keep: ReadonlySet<string>, maxDone = 4): LiveRuns {
  const done = Object.values(runs).filter((r) => r.status === 'done' && !keep.has(r.runId));
  if (done.length <= maxDone) return runs;
  const drop = new Set(done.slice(0, done.length - maxDone).map((r) => r.runId));
  return Object.fromEntries(Object.entries(runs).filter(([id]) => !drop.has(id)));
}
