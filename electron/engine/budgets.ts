/**
 * Budgets for direct BYOK keys, enforced on this machine before anything is
 * sent (worst case vs what is left) and during a stream (a column that
 * crosses a hard cap is stopped and recorded).
 */
import type { ColumnResult, KeyRef } from '../../shared/domain';
import { computeCost, estimateMaxCost } from '../../shared/pricing';
import type { Store } from '../store';
import type { Budget, BudgetPeriod } from '../store/spend-repo';
import type { AbortReason } from './attempt';
import { UserError } from './errors';
import type { Candidate } from './resolve';

/** Start of the current period in UTC: day at midnight, week on Monday, month on the 1st. */
export function periodStart(period: BudgetPeriod, now: number): number {
  const d = new Date(now);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'day') return day;
  if (period === 'week') return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Dollars readable at any size: $12.50, $0.0042, $0.00000315. */
export function usd(v: number): string {
  if (v === 0) return '$0';
  if (Math.abs(v) >= 1) return `$${v.toFixed(2)}`;
  return `$${Number(v.toPrecision(3))}`;
}

export function keyLabel(ref: KeyRef | undefined): string {
  if (!ref) return '';
  return ref.kind === 'env' ? `env:${ref.name}` : ref.id;
}

export function describeBudget(b: Pick<Budget, 'scope' | 'scopeValue' | 'period' | 'usd'>): string {
  const per = b.period === 'day' ? 'daily' : b.period === 'week' ? 'weekly' : 'monthly';
  const scope = b.scope === 'all' ? 'overall' : b.scope === 'provider' ? `provider ${b.scopeValue}` : `key ${b.scopeValue}`;
  return `${per} ${scope} budget of ${usd(b.usd)}`;
}

/** Worst case of one column: the most expensive endpoint it may land on, at max output. */
export interface ColumnExposure {
  candidates: Candidate[];
  inputTokens: number;
  /** The request's max tokens; null means each endpoint's own output limit (4,096 when unknown). */
  maxOutputTokens: number | null;
}

export const DEFAULT_MAX_OUTPUT = 4096;

export function maxOutputFor(col: Pick<ColumnExposure, 'maxOutputTokens'>, c: Candidate): number {
  return col.maxOutputTokens ?? c.endpoint.maxOutput ?? DEFAULT_MAX_OUTPUT;
}

function appliesTo(b: Budget, c: Candidate): boolean {
  if (b.scope === 'all') return true;
  if (b.scope === 'provider') return c.provider.id === b.scopeValue;
  return c.provider.keys.some((k) => keyLabel(k) === b.scopeValue);
}

export class BudgetGuard {
  /** Cost of streams in flight in this process, so concurrent columns share the cap. */
  private inFlight = new Map<symbol, { cand: Candidate; usd: number }>();

  constructor(private readonly store: Store, private readonly now: () => number = Date.now) {}

  private spent(b: Budget): number {
    const since = periodStart(b.period, this.now());
    const recorded = this.store.spend.spentSince(since, b.scope, b.scopeValue);
    let live = 0;
    for (const f of this.inFlight.values()) if (appliesTo(b, f.cand)) live += f.usd;
    return recorded + live;
  }

  /** Warnings (soft) and the first hard refusal for a planned fan-out. */
  evaluate(columns: ColumnExposure[]): { warnings: string[]; blockedBy: string | null } {
    const warnings: string[] = [];
    let blockedBy: string | null = null;
    for (const b of this.store.spend.listBudgets()) {
      let worst = 0;
      for (const col of columns) {
        let max = 0;
        for (const c of col.candidates) {
          if (!appliesTo(b, c)) continue;
          max = Math.max(max, estimateMaxCost(col.inputTokens, maxOutputFor(col, c), c.endpoint.price) ?? 0);
        }
        worst += max;
      }
      if (worst === 0 && !columns.some((col) => col.candidates.some((c) => appliesTo(b, c)))) continue;
      const spent = this.spent(b);
      const left = Math.max(0, b.usd - spent);
      if (b.hard && worst > left) {
        blockedBy ??= `refused by the ${describeBudget(b)}: worst case ${usd(worst)} exceeds the ${usd(left)} left (${usd(spent)} spent this ${b.period})`;
      } else if (spent + worst >= (b.usd * b.warnPct) / 100) {
        warnings.push(`${describeBudget(b)}: ${usd(spent)} spent, up to ${usd(worst)} more would pass ${b.warnPct}%`);
      }
    }
    return { warnings, blockedBy };
  }

  /** Throws a one-line budget refusal before anything is sent. */
  enforce(columns: ColumnExposure[]): string[] {
    const r = this.evaluate(columns);
    if (r.blockedBy) throw new UserError(r.blockedBy, 'budget');
    return r.warnings;
  }

  /** Tracks a live stream's cost and aborts it when a hard cap would be crossed. */
  watch(cand: Candidate, inputTokens: number, abort: (reason: AbortReason) => void): { onText(delta: string): void; done(): void } {
    const budgets = this.store.spend.listBudgets().filter((b) => b.hard && appliesTo(b, cand));
    const price = cand.endpoint.price;
    if (!budgets.length || !price) return { onText() {}, done() {} };
    const id = Symbol('stream');
    let chars = 0;
    let checks = 0;
    const entry = { cand, usd: computeCost({ inputTokens, outputTokens: 0 }, price) };
    this.inFlight.set(id, entry);
    return {
      onText: (delta) => {
        chars += delta.length;
        // ~4 characters per token; checked every 8 deltas to stay off the hot path.
        if (++checks % 8 !== 0) return;
        entry.usd = computeCost({ inputTokens, outputTokens: Math.ceil(chars / 4) }, price);
        for (const b of budgets) {
          const spent = this.spent(b);
          if (spent > b.usd) abort({ kind: 'budget', message: `stopped by the ${describeBudget(b)}: ${usd(spent)} would be spent` });
        }
      },
      done: () => {
        this.inFlight.delete(id);
      },
    };
  }

  /**
   * Ledger row for a finished column (same transaction as the column). With no
   * price to compute from, what the provider reported it charged is still spend.
   */
  ledgerEntry(runId: string, c: ColumnResult, cand: Candidate | null, keyIndex: number | null, at: number) {
    const costUsd = c.costUsd ?? c.providerCostUsd;
    if (costUsd === null || !cand) return null;
    return {
      columnId: c.columnId, runId, at, provider: cand.provider.id, keyRef: keyLabel(cand.provider.keys[keyIndex ?? 0]),
      model: cand.endpoint.upstreamModel, modelId: cand.endpoint.modelId, inputTokens: c.usage.inputTokens, outputTokens: c.usage.outputTokens,
      costUsd, estimated: c.usage.estimated, ttftMs: c.metrics.ttftMs, totalMs: c.metrics.totalMs,
    };
  }
}
