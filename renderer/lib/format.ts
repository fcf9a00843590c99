/** Display formatting for column headers and lists. Missing values are "—", never 0. */
import type { ColumnResult, ColumnStatus } from '../../shared/domain';

export const DASH = '—';

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m ${String(s).padStart(2, '0')}s`;
}

export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return DASH;
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  if (usd < 1) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

export function formatTps(tps: number | null | undefined): string {
  if (tps === null || tps === undefined || !Number.isFinite(tps)) return DASH;
  return `${tps >= 100 ? Math.round(tps) : tps.toFixed(1)} tok/s`;
}

export function formatCount(n: number | null | undefined, estimated: boolean): string {
  if (n === null || n === undefined) return DASH;
  // "~" marks a local tokenizer count, not the provider's own usage report.
  return `${estimated ? '~' : ''}${n.toLocaleString('en-US')}`;
}

export const STATUS_LABEL: Record<ColumnStatus, string> = {
  queued: 'queued',
  running: 'streaming',
  ok: 'done',
  error: 'failed',
  incomplete: 'incomplete',
  cancelled: 'stopped',
  interrupted: 'interrupted',
};

export interface ColumnHeaderView {
  servedBy: string;
  /** True while nothing has been chosen to serve the column yet. */
  servedByPending: boolean;
  fellBack: boolean;
  /** The plan the pre-flight showed was not the one the run followed (health changed before the send). */
  replanned: boolean;
  status: ColumnStatus;
  statusLabel: string;
  ttft: string;
  total: string;
  tps: string;
  tokensIn: string;
  tokensOut: string;
  cost: string;
  /** Shown as a tooltip when the provider reported a different cost. */
  costNote: string | null;
  /** Whether there is an answer to copy (a failed column with no text offers no Copy). */
  hasText: boolean;
}

/** `liveTtftMs`: measured by this window while the engine's own figure is not in yet. */
export function columnHeader(c: ColumnResult, liveTtftMs: number | null = null): ColumnHeaderView {
  // Before anything serves it, the endpoint the plan tries first (or the target, before a plan).
  const planned = c.plan?.primary ? `${c.plan.primary.provider}:${c.plan.primary.upstream}` : c.target;
  const served = c.servedBy ? `${c.servedBy.provider}:${c.servedBy.model}` : planned;
  const drift = c.costDrift;
  return {
    servedBy: served,
    servedByPending: !c.servedBy,
    fellBack: c.fellBack,
    replanned: c.replanned === true,
    status: c.status,
    statusLabel: STATUS_LABEL[c.status],
    // "~": timed by this window (it includes the trip from the engine) until the engine's own figure arrives.
    ttft: c.metrics.ttftMs !== null ? formatMs(c.metrics.ttftMs) : liveTtftMs !== null ? `~${formatMs(liveTtftMs)}` : DASH,
    total: formatMs(c.metrics.totalMs),
    tps: formatTps(c.metrics.tokensPerSecond),
    tokensIn: formatCount(c.usage.inputTokens, c.usage.estimated),
    tokensOut: formatCount(c.usage.outputTokens, c.usage.estimated),
    // No price to compute from, but the provider said what it charged: show that, and say so.
    cost: c.costUsd === null && c.providerCostUsd !== null ? `${formatCost(c.providerCostUsd)} (reported)` : formatCost(c.costUsd),
    costNote:
      c.providerCostUsd !== null && drift !== null
        ? `provider reported ${formatCost(c.providerCostUsd)} (${drift >= 0 ? '+' : ''}${(drift * 100).toFixed(1)}%)`
        : c.costUsd === null && c.providerCostUsd !== null
          ? 'reported by the provider; no price in the catalog to check it against'
          : null,
    hasText: c.text.length > 0,
  };
}

/** The cause of a failed column, in one line; never empty for a failed column. */
export function failureCause(c: ColumnResult): string | null {
  if (c.status !== 'error' && c.status !== 'incomplete' && c.status !== 'interrupted') return c.error;
  if (c.error) return c.error;
  const last = [...c.attempts].reverse().find((a) => a.error);
  if (last?.error) return last.error;
  if (c.status === 'interrupted') return 'interrupted before it finished (the app or host stopped)';
  if (c.status === 'incomplete') return 'the stream ended before the provider said it was done';
  return 'failed without a reported cause';
}

export function formatDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
