/** Runs to export: what the store gives back, awkward text included. */
import { RunResult, type ColumnResult } from '../../../shared/domain';

export const HOSTILE = '<script>alert(1)</script> & "quotes", commas,\nnew lines | pipes ``` fences';

function column(i: number, over: Partial<ColumnResult>): ColumnResult {
  return {
    columnId: `c_${i}`, index: i, target: `mock:model-${i}`, status: 'ok', servedBy: { provider: 'mock', model: `model-${i}` }, fellBack: false,
    text: `answer ${i}`, reasoning: '', finishReason: 'stop', error: null,
    attempts: [{ provider: 'mock', model: `model-${i}`, status: 'ok', httpStatus: 200, error: null, errorKind: null, startedAt: 1_764_000_000_000, ttftMs: 120, totalMs: 900, keyIndex: 0, retryAfterMs: null, outputTokens: 42 }],
    usage: { inputTokens: 12, outputTokens: 42, reasoningTokens: null, cachedInputTokens: null, estimated: false },
    metrics: { queuedAt: 1_764_000_000_000, sentAt: 1_764_000_000_001, ttftMs: 120.4, totalMs: 900.6, tokensPerSecond: 53.25 },
    costUsd: 0.000123, providerCostUsd: null, costDrift: null,
    ...over,
  };
}

export function sampleRun(runId = 'r_export1'): RunResult {
  return RunResult.parse({
    runId, createdAt: Date.UTC(2026, 11, 3, 14, 0, 0), status: 'done',
    request: { system: 'Be brief', messages: [{ role: 'user', content: `Explain ${HOSTILE}` }], params: {}, targets: ['mock:model-0', 'mock:model-1'] },
    columns: [
      column(0, { text: `Here is **markdown** and ${HOSTILE}` }),
      column(1, {
        status: 'error', servedBy: null, text: '', error: '401 from mock: bad key [redacted key …abcd]', costUsd: null,
        usage: { inputTokens: null, outputTokens: null, reasoningTokens: null, cachedInputTokens: null, estimated: false },
        metrics: { queuedAt: null, sentAt: null, ttftMs: null, totalMs: null, tokensPerSecond: null },
      }),
    ],
  });
}

/** A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF records; anything else throws. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote in an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) i += 2;
    else if (i < text.length) throw new Error(`expected a comma or CRLF at ${i}, found ${JSON.stringify(text[i])}`);
    rows.push(row);
    row = [];
  }
  if (row.length) throw new Error('last record has no CRLF');
  return rows;
}
