/** `switchyard history list|show|stats|export`. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CliExit, EXIT_OK, EXIT_USAGE, type WithCtx } from '../errors';
import { toolLines } from '../tool-flags';
import { COLUMN_HEADERS, columnRow, fmtBytes, fmtDate, fmtUsd, runJson, table, totalsLine } from '../output';
import { collect, num } from '../parse';
import { parseSince } from './spend';
import { HistoryFilters, RunSource, STATUS_KINDS, StatusKind, checkTag, type HistoryFilters as Filters } from '../../../shared/run-labels';
import type { RunResult } from '../../../shared/domain';
import { quote } from '../../../shared/quote';
import { EXPORT_FORMATS, exportRuns, isExportFormat, type ExportFormat } from '../../../shared/export/run-export';
import { labelsJson } from '../../../shared/export/shape';
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

interface ListFlags { json?: boolean; limit: number; search?: string; model?: string; provider?: string; status?: string; tag?: string[]; since?: string; until?: string; source?: string }

/**
 * The list's filters from its flags. `--until` is exclusive; a bare date
 * (2026-12-01) there means up to the end of that day.
 */
export function filtersOf(f: ListFlags, now = Date.now()): Filters {
  if (f.status !== undefined && !StatusKind.safeParse(f.status).success) {
    throw new CliExit(`invalid --status ${quote(f.status)}: expected ${STATUS_KINDS.join(', ')}`, EXIT_USAGE);
  }
  if (f.source !== undefined && !RunSource.safeParse(f.source).success) {
    throw new CliExit(`invalid --source ${quote(f.source)}: expected a source such as window, cli, rerun, fork or unknown`, EXIT_USAGE);
  }
  for (const t of f.tag ?? []) {
    const c = checkTag(t);
    if (!c.ok) throw new CliExit(`invalid --tag: ${c.error}`, EXIT_USAGE);
  }
  const wholeDay = f.until !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(f.until) ? 86_400_000 : 0;
  const since = f.since === undefined ? undefined : parseSince(f.since, now, '--since');
  const until = f.until === undefined ? undefined : parseSince(f.until, now, '--until') + wholeDay;
  const filters = HistoryFilters.safeParse({
    model: f.model, provider: f.provider, status: f.status, tags: f.tag, source: f.source, since, until,
  });
  if (!filters.success) throw new CliExit(`invalid filter: ${filters.error.issues[0]?.message ?? 'not understood'}`, EXIT_USAGE);
  return filters.data;
}

/** The labels `history show` prints above the prompt. */
function labelLines(run: RunResult): string {
  const lines = [`source: ${run.source ?? 'unknown'}`];
  if (run.tags?.length) lines.push(`tags: ${run.tags.join(', ')}`);
  if (run.note) lines.push(`note: ${run.note.replace(/\n/g, '\n      ')}`);
  return lines.join('\n') + '\n';
}

export function registerHistory(program: Command, withCtx: WithCtx) {
  const history = program.command('history').description('runs kept in the local database');
  history
    .command('list')
    .description('list recent runs, newest first')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'how many runs', num('--limit', 1, 100_000, true), 20)
    .option('--search <query>', 'full-text search over prompts and answers')
    .option('--model <id>', "a column's target or the model that served it (exact, any case)")
    .option('--provider <id>', 'the provider that served a column')
    .option('--status <kind>', `${STATUS_KINDS.join('|')} (ok: every column; the others: at least one)`)
    .option('--tag <tag>', 'runs with this tag (repeat: all of them)', collect)
    .option('--since <date>', 'created at or after: a date (2026-11-01) or a span back from now (7d, 4w, 3m)')
    .option('--until <date>', 'created before: a date (a bare date includes that day) or a span (7d)')
    .option('--source <source>', 'where the run was made: window, cli, rerun, fork, unknown…')
    .action(async (f: ListFlags) => {
      await withCtx(async (ctx) => {
        const filters = filtersOf(f);
        const runs = ctx.store.runs.listRuns({ limit: f.limit, offset: 0, query: f.search, filters });
        const filtered = Object.values(filters).some((v) => v !== undefined);
        if (f.json) process.stdout.write(JSON.stringify(runs, null, 2) + '\n');
        else if (!runs.length)
          process.stdout.write(f.search?.trim() ? `no runs match ${quote(f.search.trim())}${filtered ? ' with these filters' : ''}\n` : filtered ? 'no runs match these filters\n' : 'no runs yet\n');
        else
          process.stdout.write(
            table(
              ['run', 'date (UTC)', 'status', 'models', 'cost', 'tags', 'prompt'],
              runs.map((r) => [r.runId, fmtDate(r.createdAt), r.status, r.targets.join(' '), fmtUsd(r.costUsd), (r.tags ?? []).join(', '), r.promptPreview.slice(0, 50)]),
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
          process.stdout.write(JSON.stringify({ ...runJson(run), ...labelsJson(run) }, null, 2) + '\n');
          return EXIT_OK;
        }
        process.stdout.write(`run ${run.runId}  ${fmtDate(run.createdAt ?? 0)} UTC  ${run.status}\n${labelLines(run)}`);
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
    .command('tag')
    .description("add tags to a run (or take them off with --remove); prints the run's tags")
    .argument('<runId>')
    .argument('<tag...>')
    .option('--remove', 'remove these tags instead')
    .action(async (runId: string, tags: string[], f: { remove?: boolean }) => {
      await withCtx(async (ctx) => {
        for (const t of tags) {
          const c = checkTag(t);
          if (!c.ok) throw new CliExit(c.error, EXIT_USAGE);
        }
        if (!ctx.store.runs.getRun(runId)) throw new CliExit(`no run ${quote(runId)} (see switchyard history list)`, EXIT_USAGE);
        const now = ctx.store.labels.editTags(runId, f.remove ? { remove: tags } : { add: tags });
        process.stdout.write(now.length ? `tags of ${runId}: ${now.join(', ')}\n` : `${runId} has no tags\n`);
        return EXIT_OK;
      });
    });
  history
    .command('note')
    .description("set a run's note (up to 10,000 characters), or --clear it")
    .argument('<runId>')
    .argument('[text]')
    .option('--clear', 'remove the note')
    .action(async (runId: string, text: string | undefined, f: { clear?: boolean }) => {
      await withCtx(async (ctx) => {
        if (f.clear && text !== undefined) throw new CliExit('give the note text or --clear, not both', EXIT_USAGE);
        if (!f.clear && text === undefined) throw new CliExit('history note needs the text (or --clear): history note <runId> "what you noticed"', EXIT_USAGE);
        if (!ctx.store.runs.getRun(runId)) throw new CliExit(`no run ${quote(runId)} (see switchyard history list)`, EXIT_USAGE);
        const stored = ctx.store.labels.setNote(runId, f.clear ? null : text!);
        process.stdout.write(stored === null ? `note of ${runId} cleared\n` : `note of ${runId} saved (${[...stored].length} characters)\n`);
        return EXIT_OK;
      });
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
