/** What every export format shares: the JSON shape, the metric cells, the CSV writer. */
import type { ColumnResult, RunResult } from '../domain';
import { prettyArguments } from '../tools';

/**
 * The `compare --json` / `history show --json` shape: the run without its
 * stored request and bookkeeping. Anything else a RunResult comes to carry
 * (a conversation's turns) flows through as it is.
 */
export function exportJson(run: RunResult): Omit<RunResult, 'request' | 'createdAt' | 'status' | 'source'> {
  const { request: _request, createdAt: _createdAt, status: _status, tags: _tags, note: _note, source: _source, ...rest } = run;
  return { ...rest, ...labelsJson(run) };
}

/**
 * A run's tags and note in its JSON, only when it has them: an unlabelled run's
 * `history show --json` stays exactly its `compare --json`.
 */
export function labelsJson(run: Pick<RunResult, 'tags' | 'note'>): { tags?: string[]; note?: string } {
  return { ...(run.tags?.length ? { tags: run.tags } : {}), ...(run.note ? { note: run.note } : {}) };
}

export function promptOf(run: RunResult): string {
  return run.request?.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

export function runDate(run: RunResult): string | null {
  return run.createdAt === undefined ? null : new Date(run.createdAt).toISOString().replace('T', ' ').slice(0, 19);
}

/** A fence longer than any run of backticks inside, so the text cannot close it early. */
export function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}text\n${text}\n${f}`;
}

const ms = (v: number | null) => (v == null ? '-' : `${Math.round(v)} ms`);
const usd = (v: number | null) => (v == null ? '-' : `$${v.toFixed(6)}`);
const tok = (c: ColumnResult, n: number | null) => (n == null ? '-' : `${c.usage.estimated ? '~' : ''}${n}`);

export const METRIC_HEADERS = ['target', 'served by', 'status', 'TTFT', 'total', 'tok/s', 'tokens in', 'tokens out', 'cost'];

export function servedByLabel(c: ColumnResult): string {
  return c.servedBy ? `${c.servedBy.provider}:${c.servedBy.model}${c.fellBack ? ' (fell back)' : ''}` : '-';
}

/** The readable metric cells of one column (Markdown and HTML tables). */
export function metricCells(c: ColumnResult): string[] {
  return [
    c.target, servedByLabel(c), c.status, ms(c.metrics.ttftMs), ms(c.metrics.totalMs),
    c.metrics.tokensPerSecond == null ? '-' : c.metrics.tokensPerSecond.toFixed(1),
    tok(c, c.usage.inputTokens), tok(c, c.usage.outputTokens), usd(c.costUsd),
  ];
}

const CSV_HEAD = [
  'run_id', 'created_at_utc', 'turn', 'column', 'target', 'status', 'served_provider', 'served_model', 'fell_back',
  'ttft_ms', 'total_ms', 'tokens_per_second', 'input_tokens', 'output_tokens', 'tokens_estimated', 'cost_usd', 'error', 'tags', 'note',
  'tool_calls', 'schema_valid',
];

/** A column's tool calls and schema check as text blocks: `name (id)` and the pretty-printed arguments; null when there is nothing. */
export function toolBlocks(c: Pick<ColumnResult, 'toolCalls' | 'structured'>): { calls: Array<{ title: string; args: string; note: string | null }>; schema: string | null } {
  const calls = (c.toolCalls ?? []).map((t) => ({ title: `${t.name} (${t.id})`, args: prettyArguments(t), note: t.parseError ?? null }));
  const schema = c.structured ? (c.structured.valid ? 'valid JSON per schema' : `invalid: ${(c.structured.errors ?? []).join('; ')}`) : null;
  return { calls, schema };
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  // A text field a spreadsheet would run as a formula is defused; numbers are written as numbers.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) || safe !== v ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A conversation's turns, each with the columns that answered it: the run lists
 * its turns (`turns[].turn`), each column the turns it answered (`columns[].turns`).
 * A one-turn run is its columns.
 */
function turnsOf(run: RunResult): ColumnResult[][] {
  if (!run.turns?.length) return [run.columns];
  return run.turns.map((t) =>
    run.columns.flatMap((c) => (c.turns ?? []).filter((x) => x.turn === t.turn).map(({ turn: _turn, prompt: _prompt, ...answer }) => answer as ColumnResult)),
  );
}

/** One row per column (per turn, in a conversation), CRLF line ends as RFC 4180 writes them. */
export function csvRows(runs: readonly RunResult[]): string {
  const rows: Array<Array<string | number | boolean | null>> = [CSV_HEAD];
  for (const run of runs) {
    const created = run.createdAt === undefined ? null : new Date(run.createdAt).toISOString();
    turnsOf(run).forEach((columns, turn) => {
      for (const c of columns) {
        rows.push([
          run.runId, created, turn + 1, c.index + 1, c.target, c.status, c.servedBy?.provider ?? null, c.servedBy?.model ?? null, c.fellBack,
          c.metrics.ttftMs == null ? null : Math.round(c.metrics.ttftMs), c.metrics.totalMs == null ? null : Math.round(c.metrics.totalMs),
          c.metrics.tokensPerSecond == null ? null : Number(c.metrics.tokensPerSecond.toFixed(2)),
          c.usage.inputTokens, c.usage.outputTokens, c.usage.estimated, c.costUsd, c.error,
          // The run's labels on each of its rows, tags joined by "; ".
          (run.tags ?? []).join('; ') || null, run.note ?? null,
          c.toolCalls?.length ? c.toolCalls.map((t) => t.name).join(' ') : null, c.structured ? c.structured.valid : null,
        ]);
      }
    });
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
