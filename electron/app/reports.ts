/** Read models shared by the CLI and the UI: endpoint health and spend. */
import type { EndpointHealthView, SpendEntry } from '../../shared/contract';
import type { AppContext } from './context';

export function endpointsReport(ctx: Pick<AppContext, 'engine' | 'store'>): EndpointHealthView[] {
  const mis = new Map(ctx.store.routing.listMisconfigured().map((m) => [m.endpointId, m.message]));
  const breakers = ctx.engine.breakers.list();
  return ctx.engine.health.list().map((h) => {
    const provider = h.endpointId.split(':')[0] ?? '';
    const model = h.endpointId.slice(provider.length + 1);
    // Breakers are per (provider, key, model): the endpoint shows the worst of its keys.
    const own = breakers.filter((b) => b.breakerKey.startsWith(`${provider}|`) && b.breakerKey.endsWith(`|${model}`));
    const breaker = own.some((b) => b.current === 'open') ? 'open' : own.some((b) => b.current === 'half-open') ? 'half-open' : 'closed';
    return {
      endpointId: h.endpointId, samples: h.samples, errorRate: h.errorRate, ttftP50Ms: h.ttftP50Ms, ttftP95Ms: h.ttftP95Ms,
      tokensPerSecond: h.tokensPerSecond, lastErrorAt: h.lastErrorAt, lastErrorKind: h.lastErrorKind, breaker, misconfigured: mis.get(h.endpointId) ?? null,
    };
  });
}

export function spendEntries(ctx: Pick<AppContext, 'store'>, sinceMs: number, limit: number): SpendEntry[] {
  return ctx.store.spend.entriesSince(sinceMs).slice(-limit).map((r) => ({
    columnId: String(r.column_id), runId: String(r.run_id), at: Number(r.at), provider: String(r.provider), model: String(r.model),
    modelId: r.model_id == null ? null : String(r.model_id), inputTokens: r.input_tokens == null ? null : Number(r.input_tokens),
    outputTokens: r.output_tokens == null ? null : Number(r.output_tokens), costUsd: Number(r.cost_usd), estimated: r.estimated === 1,
    ttftMs: r.ttft_ms == null ? null : Number(r.ttft_ms), totalMs: r.total_ms == null ? null : Number(r.total_ms),
  }));
}

const csvCell = (v: unknown) => {
  const s = v == null ? '' : String(v);
  // Quote everything that could break a row, and defuse spreadsheet formulas.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function spendCsv(entries: SpendEntry[]): string {
  const head = ['at_utc', 'run_id', 'column_id', 'provider', 'model', 'model_id', 'input_tokens', 'output_tokens', 'cost_usd', 'estimated', 'ttft_ms', 'total_ms'];
  const rows = entries.map((e) => [new Date(e.at).toISOString(), e.runId, e.columnId, e.provider, e.model, e.modelId, e.inputTokens, e.outputTokens, e.costUsd, e.estimated, e.ttftMs == null ? null : Math.round(e.ttftMs), e.totalMs == null ? null : Math.round(e.totalMs)]);
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
