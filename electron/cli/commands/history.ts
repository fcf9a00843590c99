/** `switchyard history list|show|stats`. */
import type { Command } from 'commander';
import { CliExit, EXIT_OK, type WithCtx } from '../errors';
import { COLUMN_HEADERS, columnRow, fmtBytes, fmtDate, fmtUsd, runJson, table } from '../output';
import { num } from '../parse';
import { quote } from '../../../shared/quote';


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
          process.stdout.write(`--- [${c.index + 1}] ${c.target} (${c.status}) ---\n${c.text || c.error || ''}\n\n`);
        }
        process.stdout.write(table(COLUMN_HEADERS, run.columns.map(columnRow)) + '\n');
        return EXIT_OK;
      }, 'read');
    });
}
