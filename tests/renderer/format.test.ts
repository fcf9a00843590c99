import { describe, expect, it } from 'vitest';
import { columnHeader, failureCause, formatCost, formatMs, formatTps } from '../../renderer/lib/format';
import { attempt, column } from './helpers';

describe('column header formatting', () => {
  it('shows served-by, metrics and cost of a finished column', () => {
    const h = columnHeader(
      column({
        status: 'ok',
        servedBy: { provider: 'openai', model: 'gpt-4o-mini' },
        metrics: { queuedAt: 0, sentAt: 0, ttftMs: 312.4, totalMs: 4210, tokensPerSecond: 85.34 },
        usage: { inputTokens: 1234, outputTokens: 512, reasoningTokens: null, cachedInputTokens: null, estimated: false },
        costUsd: 0.00123,
      }),
    );
    expect(h).toMatchObject({
      servedBy: 'openai:gpt-4o-mini',
      servedByPending: false,
      statusLabel: 'done',
      ttft: '312 ms',
      total: '4.21 s',
      tps: '85.3 tok/s',
      tokensIn: '1,234',
      tokensOut: '512',
      cost: '$0.0012',
      costNote: null,
    });
  });

  it('marks estimated token counts with "~" and unknowns with a dash, never 0', () => {
    const h = columnHeader(column({ usage: { inputTokens: 40, outputTokens: null, reasoningTokens: null, cachedInputTokens: null, estimated: true } }));
    expect(h.tokensIn).toBe('~40');
    expect(h.tokensOut).toBe('—');
    expect(h.cost).toBe('—');
    expect(h.ttft).toBe('—');
    expect(h.servedBy).toBe('mock:m1');
    expect(h.servedByPending).toBe(true);
  });

  it('shows a cost the provider reported when there is no price to compute one, and says so', () => {
    const h = columnHeader(column({ status: 'ok', costUsd: null, providerCostUsd: 0.0123 }));
    expect(h.cost).toBe('$0.0123 (reported)');
    expect(h.costNote).toMatch(/reported by the provider/);
    expect(columnHeader(column({ status: 'ok', costUsd: null, providerCostUsd: null })).cost).toBe('—');
  });

  it('shows the locally measured TTFT until the engine reports its own', () => {
    expect(columnHeader(column({ status: 'running' }), 240).ttft).toBe('~240 ms');
    const reported = column({ status: 'ok', metrics: { queuedAt: 0, sentAt: 0, ttftMs: 200, totalMs: 900, tokensPerSecond: 10 } });
    expect(columnHeader(reported, 240).ttft).toBe('200 ms');
  });

  it('flags a fallback and a provider-reported cost that drifts', () => {
    const h = columnHeader(column({ fellBack: true, costUsd: 0.01, providerCostUsd: 0.009, costDrift: 0.111 }));
    expect(h.fellBack).toBe(true);
    expect(h.costNote).toBe('provider reported $0.0090 (+11.1%)');
  });

  it('formats edge values', () => {
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(12_345)).toBe('12.3 s');
    expect(formatMs(65_000)).toBe('1m 05s');
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(0.00001)).toBe('<$0.0001');
    expect(formatCost(12.5)).toBe('$12.50');
    expect(formatTps(150.4)).toBe('150 tok/s');
  });
});

describe('failure cause', () => {
  it('uses the column error', () => {
    expect(failureCause(column({ status: 'error', error: '401 from openai: invalid API key' }))).toBe('401 from openai: invalid API key');
  });
  it('falls back to the last attempt error, then to a sentence, never blank', () => {
    expect(failureCause(column({ status: 'error', attempts: [attempt({ status: 'error', error: '500 from mock' })] }))).toBe('500 from mock');
    expect(failureCause(column({ status: 'error' }))).toBe('failed without a reported cause');
    expect(failureCause(column({ status: 'interrupted' }))).toMatch(/interrupted/);
  });
  it('is empty for a healthy column', () => {
    expect(failureCause(column({ status: 'ok' }))).toBeNull();
  });
});
