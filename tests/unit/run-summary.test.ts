/** The run summary row: each failure counted as what it is, and the totals only from what was measured. */
import { describe, expect, it } from 'vitest';
import type { ColumnFacts, ColumnStatus } from '../../shared/domain';
import { failureParts, summarizeRun } from '../../shared/run-summary';

const col = (status: ColumnStatus, over: Partial<ColumnFacts> = {}): ColumnFacts => ({ status, costUsd: null, ttftMs: null, inputTokens: null, outputTokens: null, ...over });

describe('summarizeRun', () => {
  it('counts failed, incomplete, stopped and interrupted apart (today\'s "5 failed" was 3 failed and 2 incomplete)', () => {
    const t = summarizeRun([col('ok'), col('error'), col('error'), col('error'), col('incomplete'), col('incomplete'), col('cancelled'), col('interrupted'), col('running'), col('queued')]);
    expect(t).toMatchObject({ columns: 10, ok: 1, failed: 3, incomplete: 2, stopped: 1, interrupted: 1, pending: 2 });
    expect(failureParts(t)).toEqual([
      { kind: 'failed', count: 3 },
      { kind: 'incomplete', count: 2 },
      { kind: 'stopped', count: 1 },
      { kind: 'interrupted', count: 1 },
    ]);
  });

  it('sums cost and tokens over the columns that have them, and says null when none has', () => {
    const t = summarizeRun([
      col('ok', { costUsd: 0.25, inputTokens: 10, outputTokens: 100 }),
      col('error', { costUsd: null, inputTokens: null, outputTokens: null }),
      col('incomplete', { costUsd: 0.5, inputTokens: 12, outputTokens: 7 }),
    ]);
    expect(t).toMatchObject({ costUsd: 0.75, inputTokens: 22, outputTokens: 107 });
    expect(summarizeRun([col('error'), col('cancelled')])).toMatchObject({ costUsd: null, inputTokens: null, outputTokens: null, ttftFastestMs: null, ttftMedianMs: null });
    // A zero is a figure, not a missing one.
    expect(summarizeRun([col('ok', { costUsd: 0, outputTokens: 0 })])).toMatchObject({ costUsd: 0, outputTokens: 0 });
  });

  it('takes the fastest and median TTFT over the columns that measured one, odd and even counts', () => {
    const odd = summarizeRun([col('ok', { ttftMs: 900 }), col('ok', { ttftMs: 120 }), col('error'), col('incomplete', { ttftMs: 400 })]);
    expect(odd).toMatchObject({ ttftFastestMs: 120, ttftMedianMs: 400 });
    const even = summarizeRun([col('ok', { ttftMs: 300 }), col('ok', { ttftMs: 100 }), col('ok', { ttftMs: 700 }), col('ok', { ttftMs: 200 })]);
    expect(even).toMatchObject({ ttftFastestMs: 100, ttftMedianMs: 250 });
    expect(failureParts(even)).toEqual([]);
  });

  it('is empty for a run without columns', () => {
    expect(summarizeRun([])).toEqual({
      columns: 0, ok: 0, failed: 0, incomplete: 0, stopped: 0, interrupted: 0, pending: 0,
      costUsd: null, ttftFastestMs: null, ttftMedianMs: null, inputTokens: null, outputTokens: null,
    });
  });
});
