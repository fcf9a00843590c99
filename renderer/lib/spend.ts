/**
 * Pure shaping of spend data for the dashboard: periods, day buckets, cost per
 * run, the cost-versus-latency series and budget progress. Days are UTC, as the
 * engine's ledger groups them.
 */
import type { BudgetView, ProviderView, SpendEntry, SpendRow } from '../../shared/contract';

export type SpendPeriod = '7d' | '30d' | '90d' | 'all';
export const SPEND_PERIODS: Array<{ value: SpendPeriod; label: string; days: number | null }> = [
  { value: '7d', label: '7 days', days: 7 },
  { value: '30d', label: '30 days', days: 30 },
  { value: '90d', label: '90 days', days: 90 },
  { value: 'all', label: 'All', days: null },
];

const DAY = 86_400_000;
const utcDay = (ms: number): number => Math.floor(ms / DAY) * DAY;
export const dayKey = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Start of the period: whole UTC days, today included (7d = today and the 6 days before). */
export function sinceFor(period: SpendPeriod, now: number): number {
  const days = SPEND_PERIODS.find((p) => p.value === period)?.days ?? null;
  return days === null ? 0 : utcDay(now) - (days - 1) * DAY;
}

/** One row per day from the start of the period (or the first spend, for "all") to today; missing days are zero. */
export function fillDays(rows: SpendRow[], sinceMs: number, now: number): SpendRow[] {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const first = sinceMs > 0 ? sinceMs : rows.length ? Date.parse(`${rows[0]!.key}T00:00:00Z`) : NaN;
  if (!Number.isFinite(first)) return [];
  const out: SpendRow[] = [];
  // Bounded: "all" over years is still one bar per day, at most ~10 years of them.
  for (let t = utcDay(first), n = 0; t <= utcDay(now) && n < 3660; t += DAY, n++) {
    const key = dayKey(t);
    out.push(byKey.get(key) ?? { key, usd: 0, runs: 0, inputTokens: 0, outputTokens: 0 });
  }
  return out;
}

export interface RunCost {
  runId: string;
  /** When its first column was recorded. */
  at: number;
  usd: number;
  columns: number;
  inputTokens: number;
  outputTokens: number;
  models: string[];
}

export const modelLabel = (e: Pick<SpendEntry, 'modelId' | 'provider' | 'model'>): string => e.modelId ?? `${e.provider}:${e.model}`;

/** Ledger rows are per column; a run's cost is the sum of its columns. Oldest first. */
export function costPerRun(entries: SpendEntry[]): RunCost[] {
  const runs = new Map<string, RunCost>();
  for (const e of entries) {
    let r = runs.get(e.runId);
    if (!r) runs.set(e.runId, (r = { runId: e.runId, at: e.at, usd: 0, columns: 0, inputTokens: 0, outputTokens: 0, models: [] }));
    r.at = Math.min(r.at, e.at);
    r.usd += e.costUsd;
    r.columns += 1;
    r.inputTokens += e.inputTokens ?? 0;
    r.outputTokens += e.outputTokens ?? 0;
    const m = modelLabel(e);
    if (!r.models.includes(m)) r.models.push(m);
  }
  return [...runs.values()].sort((a, b) => a.at - b.at || a.runId.localeCompare(b.runId));
}

export type LatencyAxis = 'totalMs' | 'ttftMs';
export interface ScatterPoint {
  x: number;
  y: number;
  runId: string;
}

/** One series per model; columns without the chosen timing are left out, not drawn at zero. */
export function scatterSeries(entries: SpendEntry[], axis: LatencyAxis): Array<{ name: string; points: ScatterPoint[] }> {
  const series = new Map<string, ScatterPoint[]>();
  for (const e of entries) {
    const x = e[axis];
    if (x === null || !Number.isFinite(x)) continue;
    const name = modelLabel(e);
    let pts = series.get(name);
    if (!pts) series.set(name, (pts = []));
    pts.push({ x: Math.round(x), y: e.costUsd, runId: e.runId });
  }
  return [...series.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, points]) => ({ name, points }));
}

/** Dollars readable at any size, the engine's own way: $12.50, $0.0042, $0.00000315. */
export function formatUsd(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '$0';
  if (Math.abs(v) >= 1) return `$${v.toFixed(2)}`;
  return `$${Number(v.toPrecision(3))}`;
}

export type BudgetState = 'ok' | 'warn' | 'over';

export interface BudgetProgress {
  /** Spent as a percentage of the cap (may pass 100). */
  pct: number;
  /** Width of the bar, 0..100. */
  barPct: number;
  state: BudgetState;
  leftUsd: number;
}

export function budgetProgress(b: Pick<BudgetView, 'usd' | 'spentUsd' | 'warnPct'>): BudgetProgress {
  const pct = b.usd > 0 ? (b.spentUsd / b.usd) * 100 : b.spentUsd > 0 ? Infinity : 0;
  const over = b.usd > 0 ? b.spentUsd >= b.usd : b.spentUsd > 0;
  const state: BudgetState = over ? 'over' : pct >= b.warnPct ? 'warn' : 'ok';
  return { pct, barPct: Math.min(100, Math.max(0, pct)), state, leftUsd: Math.max(0, b.usd - b.spentUsd) };
}

const PERIOD_WORD: Record<BudgetView['period'], string> = { day: 'daily', week: 'weekly', month: 'monthly' };

/** "Daily · overall", "Weekly · provider openai": the same words as the engine's refusals. */
export function budgetTitle(b: Pick<BudgetView, 'scope' | 'scopeValue' | 'period'>): string {
  const scope = b.scope === 'all' ? 'overall' : `${b.scope} ${b.scopeValue}`;
  const per = PERIOD_WORD[b.period];
  return `${per[0]!.toUpperCase()}${per.slice(1)} · ${scope}`;
}

/**
 * The key references a key budget can name, as the engine labels them:
 * `env:NAME` for an environment variable, `key:<provider>` for a keychain key.
 */
export function keyRefOptions(providers: ProviderView[]): Array<{ value: string; label: string }> {
  const out: Array<{ value: string; label: string }> = [];
  for (const p of providers) {
    for (const k of p.keys) {
      const value = k.kind === 'env' ? `env:${k.label}` : `key:${p.id}`;
      if (out.some((o) => o.value === value)) continue;
      out.push({ value, label: k.kind === 'env' ? `$${k.label} (${p.id})` : `${p.id} keychain key${k.last4 ? ` …${k.last4}` : ''}` });
    }
  }
  return out;
}
