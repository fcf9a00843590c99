/** Plain-text tables and number formats for the terminal. */
import type { ColumnResult, RunResult } from '../../shared/domain';

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const fmtMs = (ms: number | null | undefined) => (ms == null ? '-' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
export const fmtTps = (v: number | null | undefined) => (v == null ? '-' : v.toFixed(1));
export const fmtUsd = (v: number | null | undefined) => (v == null ? '-' : v === 0 ? '$0' : v < 0.01 ? `$${v.toPrecision(2)}` : `$${v.toFixed(4)}`);
export const fmtBytes = (b: number) => (b < 1024 * 1024 ? `${(b / 1024).toFixed(0)} KB` : b < 1024 ** 3 ? `${(b / 1024 ** 2).toFixed(1)} MB` : `${(b / 1024 ** 3).toFixed(2)} GB`);
export const fmtDate = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

export function columnRow(c: ColumnResult): string[] {
  const tok = (n: number | null) => (n == null ? '-' : `${c.usage.estimated ? '~' : ''}${n}`);
  return [
    c.target,
    c.servedBy ? `${c.servedBy.provider}:${c.servedBy.model}${c.fellBack ? ' (fell back)' : ''}` : '-',
    fmtMs(c.metrics.ttftMs),
    fmtMs(c.metrics.totalMs),
    fmtTps(c.metrics.tokensPerSecond),
    `${tok(c.usage.inputTokens)}/${tok(c.usage.outputTokens)}`,
    fmtUsd(c.costUsd),
    c.status,
  ];
}

export const COLUMN_HEADERS = ['target', 'served by', 'TTFT', 'total', 'tok/s', 'tokens in/out', 'cost', 'status'];

/** The `--json` contract of compare and history show; a conversation adds its `turns` and `totals`. */
export function runJson(r: Pick<RunResult, 'runId' | 'columns' | 'turns' | 'totals'>) {
  return { runId: r.runId, columns: r.columns, ...(r.turns ? { turns: r.turns, totals: r.totals } : {}) };
}

/** A conversation's sums under its table (the table shows each column's latest turn); nothing for one turn. */
export function totalsLine(r: Pick<RunResult, 'turns' | 'totals'>): string {
  if (!r.turns || !r.totals) return '';
  return `${r.turns.length} turns, in total: cost ${fmtUsd(r.totals.costUsd)}, tokens ${r.totals.inputTokens ?? '-'}/${r.totals.outputTokens ?? '-'}\n`;
}
