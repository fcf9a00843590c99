/** Budgets and the spend ledger. */
import type { DB } from './db';

export type BudgetScope = 'all' | 'provider' | 'key';
export type BudgetPeriod = 'day' | 'week' | 'month';

export interface Budget {
  id: string;
  scope: BudgetScope;
  scopeValue: string;
  period: BudgetPeriod;
  usd: number;
  warnPct: number;
  hard: boolean;
}

export interface LedgerEntry {
  columnId: string;
  runId: string;
  at: number;
  provider: string;
  keyRef: string;
  model: string;
  modelId: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number;
  estimated: boolean;
  ttftMs: number | null;
  totalMs: number | null;
}

export type SpendGroup = 'day' | 'provider' | 'model';

/** Tokens an endpoint with no known price used: counted, never priced (a local model, a gateway the catalog does not know). */
export interface UnpricedUsage {
  columns: number;
  inputTokens: number;
  outputTokens: number;
}

export interface SpendGroupRow {
  key: string;
  usd: number;
  runs: number;
  inputTokens: number;
  outputTokens: number;
  /** Only on keys with unpriced columns; their tokens are not in inputTokens/outputTokens (those are the ledger's). */
  unpriced?: UnpricedUsage;
}

/**
 * A column served (it has tokens) whose cost is unknown has no ledger row: the
 * ledger holds money. Its tokens are read from the column itself, at the time it was sent.
 */
const UNPRICED_AT = 'COALESCE(sent_at, queued_at, updated_at)';
const UNPRICED_SUMS = `COUNT(*) AS n, SUM(input_tokens) AS tin, SUM(output_tokens) AS tout FROM columns
  WHERE served_provider IS NOT NULL AND cost_usd IS NULL AND provider_cost_usd IS NULL
    AND (input_tokens IS NOT NULL OR output_tokens IS NOT NULL) AND ${UNPRICED_AT} >= ?`;

export function createSpendRepo(db: DB) {
  const s = {
    putBudget: db.prepare(`INSERT INTO budgets (id, scope, scope_value, period, usd, warn_pct, hard, created_at) VALUES (@id, @scope, @scopeValue, @period, @usd, @warnPct, @hard, @now)
      ON CONFLICT(scope, scope_value, period) DO UPDATE SET usd = excluded.usd, warn_pct = excluded.warn_pct, hard = excluded.hard`),
    listBudgets: db.prepare('SELECT id, scope, scope_value AS scopeValue, period, usd, warn_pct AS warnPct, hard FROM budgets ORDER BY scope, scope_value, period'),
    removeBudget: db.prepare('DELETE FROM budgets WHERE scope = ? AND scope_value = ? AND period = ?'),
    // INSERT OR IGNORE: the column id is the key, so recording twice never counts twice.
    record: db.prepare(`INSERT OR IGNORE INTO spend_ledger (column_id, run_id, at, provider, key_ref, model, model_id, input_tokens, output_tokens, cost_usd, estimated, ttft_ms, total_ms)
      VALUES (@columnId, @runId, @at, @provider, @keyRef, @model, @modelId, @inputTokens, @outputTokens, @costUsd, @estimated, @ttftMs, @totalMs)`),
    total: db.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS usd FROM spend_ledger WHERE at >= ?'),
    totalProvider: db.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS usd FROM spend_ledger WHERE at >= ? AND provider = ?'),
    totalKey: db.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS usd FROM spend_ledger WHERE at >= ? AND key_ref = ?'),
    byDay: db.prepare(`SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS k, SUM(cost_usd) AS usd, COUNT(*) AS n, SUM(input_tokens) AS tin, SUM(output_tokens) AS tout FROM spend_ledger WHERE at >= ? GROUP BY k ORDER BY k`),
    byProvider: db.prepare('SELECT provider AS k, SUM(cost_usd) AS usd, COUNT(*) AS n, SUM(input_tokens) AS tin, SUM(output_tokens) AS tout FROM spend_ledger WHERE at >= ? GROUP BY k ORDER BY usd DESC'),
    byModel: db.prepare(`SELECT COALESCE(model_id, provider || ':' || model) AS k, SUM(cost_usd) AS usd, COUNT(*) AS n, SUM(input_tokens) AS tin, SUM(output_tokens) AS tout FROM spend_ledger WHERE at >= ? GROUP BY k ORDER BY usd DESC`),
    entries: db.prepare('SELECT * FROM spend_ledger WHERE at >= ? ORDER BY at'),
    unpriced: {
      day: db.prepare(`SELECT strftime('%Y-%m-%d', ${UNPRICED_AT} / 1000, 'unixepoch') AS k, ${UNPRICED_SUMS} GROUP BY k`),
      provider: db.prepare(`SELECT served_provider AS k, ${UNPRICED_SUMS} GROUP BY k`),
      model: db.prepare(`SELECT served_provider || ':' || served_model AS k, ${UNPRICED_SUMS} GROUP BY k`),
    },
  };
  return {
    putBudget(b: Budget, now: number) {
      s.putBudget.run({ ...b, hard: b.hard ? 1 : 0, now });
    },
    listBudgets(): Budget[] {
      return (s.listBudgets.all() as Array<Omit<Budget, 'hard'> & { hard: number }>).map((b) => ({ ...b, hard: b.hard === 1 }));
    },
    removeBudget(scope: BudgetScope, scopeValue: string, period: BudgetPeriod): boolean {
      return s.removeBudget.run(scope, scopeValue, period).changes > 0;
    },
    record(e: LedgerEntry) {
      s.record.run({ ...e, estimated: e.estimated ? 1 : 0 });
    },
    spentSince(since: number, scope: BudgetScope = 'all', value = ''): number {
      const row = scope === 'all' ? s.total.get(since) : scope === 'provider' ? s.totalProvider.get(since, value) : s.totalKey.get(since, value);
      return (row as { usd: number }).usd;
    },
    /** Priced spend by key from the ledger, with each key's unpriced tokens beside it; keys with only unpriced use come last (days stay in order). */
    grouped(by: SpendGroup, since: number): SpendGroupRow[] {
      type Sums = { k: string; usd: number; n: number; tin: number | null; tout: number | null };
      const stmt = by === 'day' ? s.byDay : by === 'provider' ? s.byProvider : s.byModel;
      const rows: SpendGroupRow[] = (stmt.all(since) as Sums[]).map((r) => ({ key: r.k, usd: r.usd, runs: r.n, inputTokens: r.tin ?? 0, outputTokens: r.tout ?? 0 }));
      const byKey = new Map(rows.map((r) => [r.key, r]));
      for (const u of s.unpriced[by].all(since) as Array<Omit<Sums, 'usd'>>) {
        const unpriced = { columns: u.n, inputTokens: u.tin ?? 0, outputTokens: u.tout ?? 0 };
        const row = byKey.get(u.k);
        if (row) row.unpriced = unpriced;
        else rows.push({ key: u.k, usd: 0, runs: 0, inputTokens: 0, outputTokens: 0, unpriced });
      }
      return by === 'day' ? rows.sort((a, b) => a.key.localeCompare(b.key)) : rows;
    },
    entriesSince(since: number): Array<Record<string, unknown>> {
      return s.entries.all(since) as Array<Record<string, unknown>>;
    },
  };
}
export type SpendRepo = ReturnType<typeof createSpendRepo>;
