/**
 * A run's summary row, the same in History and in Compare's run bar: what it
 * cost, how fast the first tokens came, the tokens, and what each column came
 * to, every failure counted as what it is ("5 failed" used to be 3 failed and
 * 2 incomplete, and History left stopped columns out).
 */
import type { ColumnFacts, ColumnResult, ColumnStatus } from './domain';

export interface RunTotals {
  columns: number;
  ok: number;
  /** status `error`: the column got no answer. */
  failed: number;
  /** The stream ended before the provider said it was done. */
  incomplete: number;
  /** Stopped by you (status `cancelled`). */
  stopped: number;
  /** The process running it stopped (a crash, kill -9). */
  interrupted: number;
  /** Queued or streaming still. */
  pending: number;
  /** Sum of the columns' costs; null when no column has one. */
  costUsd: number | null;
  ttftFastestMs: number | null;
  ttftMedianMs: number | null;
  /** Sums over the columns that reported them; null when none did. */
  inputTokens: number | null;
  outputTokens: number | null;
}

const COUNTED: Record<ColumnStatus, keyof Pick<RunTotals, 'ok' | 'failed' | 'incomplete' | 'stopped' | 'interrupted' | 'pending'>> = {
  ok: 'ok', error: 'failed', incomplete: 'incomplete', cancelled: 'stopped', interrupted: 'interrupted', queued: 'pending', running: 'pending',
};

/**
 * The facts of a whole column (a live one in Compare, an opened one in History).
 * A conversation's column counts every turn's cost and tokens; its status and TTFT are its latest turn's.
 */
export function columnFacts(c: ColumnResult): ColumnFacts {
  const t = c.totals;
  return {
    status: c.status, costUsd: t ? t.costUsd : c.costUsd, ttftMs: c.metrics.ttftMs,
    inputTokens: t ? t.inputTokens : c.usage.inputTokens, outputTokens: t ? t.outputTokens : c.usage.outputTokens,
  };
}

const addOrNull = (sum: number | null, v: number | null): number | null => (v === null ? sum : (sum ?? 0) + v);

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * @example summarizeRun([{ status: 'ok', costUsd: 0.01, ttftMs: 200, inputTokens: 10, outputTokens: 50 },
 *   { status: 'incomplete', costUsd: null, ttftMs: 400, inputTokens: 10, outputTokens: 7 }])
 *   // { columns: 2, ok: 1, incomplete: 1, costUsd: 0.01, ttftFastestMs: 200, ttftMedianMs: 300, inputTokens: 20, outputTokens: 57, … }
 */
export function summarizeRun(columns: readonly ColumnFacts[]): RunTotals {
  const t: RunTotals = {
    columns: columns.length, ok: 0, failed: 0, incomplete: 0, stopped: 0, interrupted: 0, pending: 0,
    costUsd: null, ttftFastestMs: null, ttftMedianMs: null, inputTokens: null, outputTokens: null,
  };
  const ttfts: number[] = [];
  for (const c of columns) {
    t[COUNTED[c.status]]++;
    t.costUsd = addOrNull(t.costUsd, c.costUsd);
    t.inputTokens = addOrNull(t.inputTokens, c.inputTokens);
    t.outputTokens = addOrNull(t.outputTokens, c.outputTokens);
    // A column cut off after its first token still measured one; only a measured TTFT counts.
    if (c.ttftMs !== null && Number.isFinite(c.ttftMs)) ttfts.push(c.ttftMs);
  }
  ttfts.sort((a, b) => a - b);
  t.ttftFastestMs = ttfts[0] ?? null;
  t.ttftMedianMs = median(ttfts);
  return t;
}

/** The failure counts worth saying, in a fixed order, each under its own name. */
export function failureParts(t: RunTotals): Array<{ kind: 'failed' | 'incomplete' | 'stopped' | 'interrupted'; count: number }> {
  return (['failed', 'incomplete', 'stopped', 'interrupted'] as const).filter((k) => t[k] > 0).map((kind) => ({ kind, count: t[kind] }));
}
