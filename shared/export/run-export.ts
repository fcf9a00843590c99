/**
 * A run (or several) as a file to take away: Markdown, JSON, CSV or one
 * self-contained HTML page. Pure, so the CLI and the window produce the same
 * bytes. Only what a RunResult carries is exported; nothing of the request's
 * transport (headers, keys) ever reaches one.
 */
import type { ColumnResult, RunResult } from '../domain';
import { runHtml } from './html';
import { csvRows, exportJson, fence, metricCells, METRIC_HEADERS, promptOf, runDate, toolBlocks } from './shape';

export const EXPORT_FORMATS = ['md', 'json', 'csv', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_MIME: Record<ExportFormat, string> = {
  md: 'text/markdown;charset=utf-8',
  json: 'application/json;charset=utf-8',
  csv: 'text/csv;charset=utf-8',
  html: 'text/html;charset=utf-8',
};

export function isExportFormat(v: string): v is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(v);
}

/**
 * @example exportRuns([run], 'json') // the same text `history show <runId> --json` prints
 */
export function exportRuns(runs: readonly RunResult[], format: ExportFormat): string {
  if (runs.length === 0) throw new Error('nothing to export: no runs given');
  switch (format) {
    case 'json':
      return JSON.stringify(runs.length === 1 ? exportJson(runs[0]!) : runs.map(exportJson), null, 2) + '\n';
    case 'csv':
      return csvRows(runs);
    case 'md':
      return runs.map(runMarkdown).join('\n---\n\n');
    case 'html':
      return runHtml(runs);
  }
}

/** `switchyard-r_abc.md`, or `switchyard-3-runs-2026-12-03.md` for several. */
export function exportFilename(runs: readonly RunResult[], format: ExportFormat, now = Date.now()): string {
  const base = runs.length === 1 ? runs[0]!.runId : `${runs.length}-runs-${new Date(now).toISOString().slice(0, 10)}`;
  return `switchyard-${base.replace(/[^A-Za-z0-9_.-]/g, '_')}.${format}`;
}

/** A table cell: pipes and line breaks would end the cell or the row. */
const mdCell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function runMarkdown(run: RunResult): string {
  const out: string[] = [`# Run ${run.runId}`, ''];
  const date = runDate(run);
  if (date) out.push(`${date} UTC${run.status ? ` · ${run.status}` : ''}`, '');
  if (run.tags?.length) out.push(`Tags: ${run.tags.map((t) => mdCell(t)).join(', ')}`, '');
  if (run.note) out.push('**Note**', '', fence(run.note), '');
  if (run.request?.system) out.push('**System prompt**', '', fence(run.request.system), '');
  out.push('**Prompt**', '', fence(promptOf(run)), '');
  out.push(`| # | ${METRIC_HEADERS.join(' | ')} |`, `|---|${METRIC_HEADERS.map(() => '---').join('|')}|`);
  for (const c of run.columns) out.push(`| ${c.index + 1} | ${metricCells(c).map(mdCell).join(' | ')} |`);
  out.push('');
  for (const c of run.columns) out.push(...answerMarkdown(c));
  return out.join('\n');
}

function answerMarkdown(c: ColumnResult): string[] {
  const out = [`## [${c.index + 1}] ${c.target}`, ''];
  if (c.error) out.push(`> ${c.status}: ${c.error.replace(/\r?\n/g, ' ')}`, '');
  // The answer is the model's own Markdown: kept as written, so it reads as it did in the window.
  const tools = toolBlocks(c);
  if (c.text) out.push(c.text.trimEnd(), '');
  else if (!c.error && tools.calls.length === 0) out.push('_(no answer)_', '');
  for (const t of tools.calls) out.push(`**Tool call** \`${t.title}\`${t.note ? ` (${t.note})` : ''}`, '', fence(t.args).replace(/^(`+)text/, '$1json'), '');
  if (tools.schema) out.push(`**Schema:** ${tools.schema}`, '');
  return out;
}
