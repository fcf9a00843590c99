/** `switchyard history list|show|stats|export`. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CliExit, EXIT_OK, EXIT_USAGE, type WithCtx } from '../errors';
import { toolLines } from '../tool-flags';
import { COLUMN_HEADERS, columnRow, fmtBytes, fmtDate, fmtUsd, runJson, table, totalsLine } from '../output';
import { num } from '../parse';
import { quote } from '../../../shared/quote';
import { EXPORT_FORMATS, exportRuns, isExportFormat, type ExportFormat } from '../../../shared/export/run-export';
import { describeSystemError, showPath } from '../../engine/system-errors';

/** `--format`, or the extension of `--out` when it names one of the formats. */
function formatOf(f: { format?: string; out?: string }): ExportFormat {
  const formats = EXPORT_FORMATS.join('|');
  if (f.format !== undefined) {
    if (!isExportFormat(f.format)) throw new CliExit(`invalid --format ${quote(f.format)}: expected ${formats}`, EXIT_USAGE);
    return f.format;
  }
  const ext = f.out ? extname(f.out).slice(1).toLowerCase() : '';
  if (isExportFormat(ext)) return ext;
  throw new CliExit(`give --format ${formats}`, EXIT_USAGE);
}


export function registerHistory(program: Command, withCtx: WithCtx) {
  const history = program.command('history').description('runs kept in the local database');
  history
    .command('list')
    .description('list recent runs, newest first')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'how many runs', num('--limit', 1, 100_000, true), 20)
    .option('--search <query>', 'full-text search over prompts and answers')
    .action(async (f: { json?: boolean; limit: number; search?: string }) => {
      await withCtx(async (ctx) => {
        const runs = ctx.store.runs.listRuns({ limit: f.limit, offset: 0, query: f.search });
        if (f.json) process.stdout.write(JSON.stringify(runs, null, 2) + '\n');
        else if (!runs.length) process.stdout.write(f.search?.trim() ? `no runs match ${quote(f.search.trim())}\n` : 'no runs yet\n');
        else
          process.stdout.write(
            table(
              ['run', 'date (UTC)', 'status', 'models', 'cost', 'prompt'],
              runs.map((r) => [r.runId, fmtDate(r.createdAt), r.status, r.targets.join(' '), fmtUsd(r.costUsd), r.promptPreview.slice(0, 50)]),
            ) + '\n',
          );
        return EXIT_OK;
      }, 'read');
    });
  history
    .command('stats')
    .description('how big history is: runs, answers, and the database on disk')
    .option('--json', 'print JSON')
    .action(async (f: { json?: boolean }) => {
      await withCtx(async (ctx) => {
        const st = ctx.store.runs.stats();
        if (f.json) process.stdout.write(JSON.stringify({ ...st, file: ctx.store.db.name }, null, 2) + '\n');
        else
          process.stdout.write(
            `${st.runs.toLocaleString('en-US')} runs, ${st.columns?.toLocaleString('en-US') ?? '?'} answers; database ${fmtBytes(st.dbBytes)} + WAL ${fmtBytes(st.walBytes)} (${ctx.store.db.name})\n`,
          );
        return EXIT_OK;
      });
    });
  history
    .command('show')
    .description('show one run (same JSON shape as compare --json)')
    .argument('<runId>')
    .option('--json', 'print JSON')
    .action(async (runId: string, f: { json?: boolean }) => {
      await withCtx(async (ctx) => {
        const run = ctx.store.runs.getRun(runId);
        if (!run) throw new CliExit(`no run ${quote(runId)} (see switchyard history list)`, 1);
        if (f.json) {
          process.stdout.write(JSON.stringify(runJson(run), null, 2) + '\n');
          return EXIT_OK;
        }
        process.stdout.write(`run ${run.runId}  ${fmtDate(run.createdAt ?? 0)} UTC  ${run.status}\n`);
        if (run.request?.system) process.stdout.write(`system: ${run.request.system}\n`);
        process.stdout.write(`prompt: ${run.request?.messages.at(-1)?.content ?? ''}\n\n`);
        for (const c of run.columns) {
          // A conversation prints every turn the column answered, each under its prompt.
          for (const t of c.turns ?? []) {
            if (t.columnId === c.columnId) break;
            process.stdout.write(`--- [${c.index + 1}] ${c.target} turn ${t.turn + 1} (${t.status}) ---\n> ${t.prompt}\n${t.text || t.error || ''}\n${withNewline(toolLines(t))}\n`);
          }
          const turn = c.turns?.at(-1);
          const label = turn ? ` turn ${turn.turn + 1}` : '';
          process.stdout.write(`--- [${c.index + 1}] ${c.target}${label} (${c.status}) ---\n${turn ? `> ${turn.prompt}\n` : ''}${c.text || c.error || ''}\n${withNewline(toolLines(c))}\n`);
        }
        process.stdout.write(table(COLUMN_HEADERS, run.columns.map(columnRow)) + '\n' + totalsLine(run));
        return EXIT_OK;
      }, 'read');
    });
  history
    .command('export')
    .description('write runs as Markdown, JSON (the compare --json shape), CSV of the metrics or one self-contained HTML page')
    .argument('<runId...>')
    .option('--format <format>', `${EXPORT_FORMATS.join('|')} (default: from the --out extension)`)
    .option('--out <file>', 'where to write (default: standard output)')
    .action(async (runIds: string[], f: { format?: string; out?: string }) => {
      await withCtx(async (ctx) => {
        const format = formatOf(f);
        const runs = runIds.map((id) => {
          const run = ctx.store.runs.getRun(id);
          if (!run) throw new CliExit(`no run ${quote(id)} (see switchyard history list)`, 1);
          return run;
        });
        const text = exportRuns(runs, format);
        if (!f.out) {
          process.stdout.write(text);
          return EXIT_OK;
        }
        try {
          writeFileSync(f.out, text);
        } catch (err) {
          throw new CliExit(describeSystemError(err, { action: 'write', path: f.out }) ?? `cannot write ${showPath(f.out)}`, EXIT_USAGE);
        }
        process.stdout.write(`exported ${runs.length} run${runs.length === 1 ? '' : 's'} as ${format} to ${showPath(f.out)}\n`);
        return EXIT_OK;
      }, 'read');
    });
}

function withNewline(lines: string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}
