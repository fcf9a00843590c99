/**
 * One self-contained HTML page: inline styles only, no script, and a CSP that
 * lets the page fetch nothing at all, so an exported answer opened from disk
 * can neither run code nor call home. Every answer is escaped text: a model's
 * output is never HTML here.
 */
import type { ColumnResult, RunResult } from '../domain';
import { METRIC_HEADERS, metricCells, promptOf, runDate, toolBlocks } from './shape';

export const EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ESC[ch]!);

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #59636e; --line: #d0d7de; --panel: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --panel: #151b23; } }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.4rem; margin: 2rem 0 .25rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.meta, .status { color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .75rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .75rem; font: 13px/1.45 ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
.error { color: #cf222e; }
section.run + section.run { border-top: 2px solid var(--line); margin-top: 2rem; }
@media print { body { margin: 0; max-width: none; } pre { break-inside: avoid-page; } section.run + section.run { break-before: page; border: 0; } }
`;

function answerHtml(c: ColumnResult): string {
  const parts = [`<article class="answer"><h2>[${c.index + 1}] ${escapeHtml(c.target)}</h2>`];
  if (c.error) parts.push(`<p class="error">${escapeHtml(c.status)}: ${escapeHtml(c.error)}</p>`);
  const tools = toolBlocks(c);
  parts.push(c.text ? `<pre>${escapeHtml(c.text)}</pre>` : c.error || tools.calls.length ? '' : '<p class="status">(no answer)</p>');
  for (const t of tools.calls) parts.push(`<h3>Tool call ${escapeHtml(t.title)}</h3>${t.note ? `<p class="error">${escapeHtml(t.note)}</p>` : ''}<pre class="tool-call">${escapeHtml(t.args)}</pre>`);
  if (tools.schema) parts.push(`<p class="schema">Schema: ${escapeHtml(tools.schema)}</p>`);
  parts.push('</article>');
  return parts.join('');
}

function runSection(run: RunResult): string {
  const date = runDate(run);
  const head = METRIC_HEADERS.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const rows = run.columns.map((c) => `<tr><td>${c.index + 1}</td>${metricCells(c).map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`).join('\n');
  return [
    `<section class="run" id="${escapeHtml(run.runId)}">`,
    `<h1>Run ${escapeHtml(run.runId)}</h1>`,
    date ? `<p class="meta">${escapeHtml(date)} UTC${run.status ? ` · ${escapeHtml(run.status)}` : ''}</p>` : '',
    run.tags?.length ? `<p class="meta">Tags: ${run.tags.map(escapeHtml).join(', ')}</p>` : '',
    run.note ? `<h2>Note</h2><pre>${escapeHtml(run.note)}</pre>` : '',
    run.request?.system ? `<h2>System prompt</h2><pre>${escapeHtml(run.request.system)}</pre>` : '',
    `<h2>Prompt</h2><pre>${escapeHtml(promptOf(run))}</pre>`,
    `<table class="metrics"><thead><tr><th scope="col">#</th>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`,
    ...run.columns.map(answerHtml),
    '</section>',
  ].join('\n');
}

export function runHtml(runs: readonly RunResult[]): string {
  const title = runs.length === 1 ? `Switchyard run ${runs[0]!.runId}` : `Switchyard: ${runs.length} runs`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${EXPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${runs.map(runSection).join('\n')}
</body>
</html>
`;
}
