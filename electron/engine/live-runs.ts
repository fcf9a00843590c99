/**
 * What every run in flight has shown so far, kept from the very events the
 * engine emits: a window that reloads mid-stream asks for this snapshot and
 * then applies only the events numbered after it, so nothing shows twice and
 * nothing is missed.
 */
import type { ColumnResult, CompareEvent, RunResult } from '../../shared/domain';
import { foldToolPiece } from '../../shared/tools';

interface Seed {
  columnId: string;
  index: number;
  target: string;
}

function blank(seed: Seed): ColumnResult {
  return {
    columnId: seed.columnId, index: seed.index, target: seed.target, status: 'queued', servedBy: null, fellBack: false,
    text: '', reasoning: '', finishReason: null, error: null, attempts: [],
    usage: { inputTokens: null, outputTokens: null, reasoningTokens: null, cachedInputTokens: null, estimated: false },
    metrics: { queuedAt: null, sentAt: null, ttftMs: null, totalMs: null, tokensPerSecond: null },
    costUsd: null, providerCostUsd: null, costDrift: null,
  };
}

export class LiveRuns {
  private readonly runs = new Map<string, { createdAt: number; columns: Map<string, ColumnResult> }>();

  /** A run (or a retried column of a finished one) starts: its columns as they stand. */
  begin(runId: string, createdAt: number, columns: readonly ColumnResult[]): void {
    this.runs.set(runId, { createdAt, columns: new Map(columns.map((c) => [c.columnId, { ...c }])) });
  }

  apply(e: CompareEvent): void {
    if (e.type === 'run-started') {
      if (!this.runs.has(e.runId)) this.begin(e.runId, Date.now(), e.columns.map(blank));
      return;
    }
    const run = this.runs.get(e.runId);
    if (!run) return;
    if (e.type === 'run-finished') {
      this.runs.delete(e.runId);
      return;
    }
    if (e.type === 'column-finished') {
      run.columns.set(e.column.columnId, e.column);
      return;
    }
    const col = run.columns.get(e.columnId);
    if (!col) return;
    if (e.type === 'attempt-started') {
      // As the window does: a new attempt restarts the answer, text from a failed one is never kept.
      col.attempts = [...col.attempts, e.attempt];
      col.status = 'running';
      col.servedBy = { provider: e.attempt.provider, model: e.attempt.model };
      col.fellBack = col.attempts.some((a) => a.provider !== col.attempts[0]!.provider || a.model !== col.attempts[0]!.model);
      col.text = '';
      col.reasoning = '';
      col.error = null;
      delete col.toolCalls;
    } else if (e.type === 'tool-delta') {
      col.toolCalls = foldToolPiece(col.toolCalls, e);
      if (col.status === 'queued') col.status = 'running';
    } else if (e.type === 'delta') {
      col.text += e.text;
      col.reasoning += e.reasoning;
      if (col.status === 'queued') col.status = 'running';
    } else {
      const at = col.attempts.findIndex((a) => a.startedAt === e.attempt.startedAt && a.provider === e.attempt.provider && a.model === e.attempt.model);
      col.attempts = at < 0 ? [...col.attempts, e.attempt] : col.attempts.map((a, i) => (i === at ? e.attempt : a));
    }
  }

  /** Every run in flight, oldest first, in the `compare --json` shape. */
  snapshot(): RunResult[] {
    return [...this.runs.entries()]
      .sort((a, b) => a[1].createdAt - b[1].createdAt)
      .map(([runId, r]) => ({ runId, createdAt: r.createdAt, status: 'running' as const, columns: [...r.columns.values()].sort((a, b) => a.index - b.index).map((c) => ({ ...c })) }));
  }
}
