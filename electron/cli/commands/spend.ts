/** `switchyard budgets set|list|remove` and `switchyard spend`. */
import type { Command } from 'commander';
import type { BudgetPeriod, BudgetScope, SpendGroupRow } from '../../store/spend-repo';
import { describeBudget, periodStart } from '../../engine/budgets';
import { newId } from '../../engine/engine';
import { CliExit, EXIT_OK, EXIT_USAGE, type WithCtx } from '../errors';
import { fmtUsd, table } from '../output';
import { num } from '../parse';
import { quote } from '../../../shared/quote';


function period(v: string): BudgetPeriod {
  if (v !== 'day' && v !== 'week' && v !== 'month') throw new CliExit(`invalid --period ${quote(v)}: expected day, week or month`, EXIT_USAGE);
  return v;
}

function scopeOf(f: { provider?: string; key?: string }): { scope: BudgetScope; scopeValue: string } {
  if (f.provider && f.key) throw new CliExit('give --provider or --key, not both', EXIT_USAGE);
  if (f.provider) return { scope: 'provider', scopeValue: f.provider };
  if (f.key) return { scope: 'key', scopeValue: f.key.includes(':') ? f.key : `env:${f.key}` };
  return { scope: 'all', scopeValue: '' };
}

/** A date (2026-11-01, or with a time) or a span back from now (7d, 4w, 3m); `flag` names it in the error. */
export function parseSince(v: string | undefined, now = Date.now(), flag = '--since'): number {
  if (v === undefined) return 0;
  const rel = /^(\d+)([dwm])$/.exec(v);
  if (rel) return now - Number(rel[1]) * { d: 1, w: 7, m: 30 }[rel[2] as 'd' | 'w' | 'm'] * 86_400_000;
  const t = Date.parse(v);
  if (Number.isNaN(t) || t < 0) throw new CliExit(`invalid ${flag} ${quote(v)}: expected a date like 2026-11-01 or 7d`, EXIT_USAGE);
  return t;
}

/** Unpriced tokens are shown beside the priced ones, never added into a cost. */
function spendTable(by: string, rows: SpendGroupRow[], totalUsd: number): string {
  const anyUnpriced = rows.some((r) => r.unpriced);
  const unpricedCell = (r: SpendGroupRow) => (r.unpriced ? `${r.unpriced.columns} col, ${r.unpriced.inputTokens}/${r.unpriced.outputTokens} tok` : '-');
  const head = [by, 'cost', 'columns', 'tokens in', 'tokens out', ...(anyUnpriced ? ['unpriced (columns, tokens in/out)'] : [])];
  const body = rows.map((r) => [
    r.key, r.runs === 0 && r.unpriced ? 'unpriced' : fmtUsd(r.usd), String(r.runs), String(r.inputTokens), String(r.outputTokens), ...(anyUnpriced ? [unpricedCell(r)] : []),
  ]);
  const u = rows.reduce((a, r) => (r.unpriced ? { columns: a.columns + r.unpriced.columns, tin: a.tin + r.unpriced.inputTokens, tout: a.tout + r.unpriced.outputTokens } : a), { columns: 0, tin: 0, tout: 0 });
  const note = u.columns ? ` (plus ${u.columns} unpriced column${u.columns === 1 ? '' : 's'}: ${u.tin} tokens in, ${u.tout} out, no price known)` : '';
  return table(head, body) + `\ntotal ${fmtUsd(totalUsd)}${note}\n`;
}

export function registerSpend(program: Command, withCtx: WithCtx) {
  const budgets = program.command('budgets').description('spending caps enforced before and during every request');
  budgets
    .command('set')
    .description('set a budget (hard by default: refuse before sending, stop a stream that crosses it)')
    .requiredOption('--period <p>', 'day|week|month')
    .requiredOption('--usd <n>', 'cap in USD', num('--usd', 0, 1_000_000))
    .option('--provider <id>', 'only spend through this provider')
    .option('--key <env-var>', 'only spend through this key (environment variable name)')
    .option('--warn <pct>', 'warn at this percentage', num('--warn', 1, 100), 80)
    .option('--soft', 'warn only, never refuse')
    .action(async (f: { period: string; usd: number; provider?: string; key?: string; warn: number; soft?: boolean }) => {
      await withCtx(async (ctx) => {
        const b = { id: newId('b_'), ...scopeOf(f), period: period(f.period), usd: f.usd, warnPct: f.warn, hard: !f.soft };
        ctx.store.spend.putBudget(b, Date.now());
        process.stdout.write(`budget set: ${f.soft ? 'soft ' : ''}${describeBudget(b)} (warn at ${f.warn}%)\n`);
        return EXIT_OK;
      });
    });
  budgets
    .command('list')
    .description('budgets with what has been spent this period')
    .option('--json', 'print JSON')
    .action(async (f: { json?: boolean }) => {
      await withCtx(async (ctx) => {
        const now = Date.now();
        const rows = ctx.store.spend.listBudgets().map((b) => ({ ...b, spentUsd: ctx.store.spend.spentSince(periodStart(b.period, now), b.scope, b.scopeValue) }));
        if (f.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        else if (!rows.length) process.stdout.write('no budgets: switchyard budgets set --period day --usd 5\n');
        else process.stdout.write(table(['scope', 'period', 'cap', 'spent', 'kind'], rows.map((r) => [r.scope === 'all' ? 'all' : `${r.scope} ${r.scopeValue}`, r.period, fmtUsd(r.usd), fmtUsd(r.spentUsd), r.hard ? `hard (warn ${r.warnPct}%)` : 'soft'])) + '\n');
        return EXIT_OK;
      }, 'read');
    });
  budgets
    .command('remove')
    .description('remove a budget')
    .requiredOption('--period <p>', 'day|week|month')
    .option('--provider <id>')
    .option('--key <env-var>')
    .action(async (f: { period: string; provider?: string; key?: string }) => {
      await withCtx(async (ctx) => {
        const s = scopeOf(f);
        if (!ctx.store.spend.removeBudget(s.scope, s.scopeValue, period(f.period))) throw new CliExit('no such budget (see switchyard budgets list)', EXIT_USAGE);
        process.stdout.write('budget removed\n');
        return EXIT_OK;
      });
    });

  program
    .command('spend')
    .description('what you spent, from the local ledger')
    .option('--since <date>', 'a date (2026-11-01) or a span (7d, 4w, 3m)')
    .option('--by <group>', 'day|provider|model', 'day')
    .option('--json', 'print JSON')
    .action(async (f: { since?: string; by: string; json?: boolean }) => {
      await withCtx(async (ctx) => {
        if (f.by !== 'day' && f.by !== 'provider' && f.by !== 'model') throw new CliExit(`invalid --by ${quote(f.by)}: expected day, provider or model`, EXIT_USAGE);
        const since = parseSince(f.since);
        const rows = ctx.store.spend.grouped(f.by, since);
        const totalUsd = rows.reduce((s, r) => s + r.usd, 0);
        if (f.json) process.stdout.write(JSON.stringify({ since: since ? new Date(since).toISOString() : null, by: f.by, totalUsd, rows }, null, 2) + '\n');
        else process.stdout.write(spendTable(f.by, rows, totalUsd));
        return EXIT_OK;
      }, 'read');
    });
}
