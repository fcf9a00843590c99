/** Handlers of the catalog, routing and spend domains (see services.ts for the rest). */
import type { ContractHandlers } from '../../shared/contract';
import { policyFor } from '../engine/catalog/provider-facts';
import { periodStart } from '../engine/budgets';
import { newId } from '../engine/engine';
import { UserError } from '../engine/errors';
import type { AppContext } from './context';
import { endpointsReport, spendCsv, spendEntries } from './reports';
import { quote } from '../../shared/quote';
import { userCatalogPath } from '../engine/catalog/load';

const one = <T>(v: T | readonly T[] | undefined): T | readonly T[] | undefined => (Array.isArray(v) && v.length === 1 ? (v[0] as T) : v);

export function dataHandlers(ctx: AppContext): Pick<ContractHandlers, 'catalog' | 'routing' | 'spend'> {
  const budgetView = (now: number) =>
    ctx.store.spend.listBudgets().map((b) => ({ ...b, spentUsd: ctx.store.spend.spentSince(periodStart(b.period, now), b.scope, b.scopeValue) }));
  return {
    catalog: {
      async searchModels(q) {
        return ctx.catalog.full().search({
          query: q.query, provider: one(q.provider), capability: one(q.capability), modality: one(q.modality), maxInputPrice: q.maxInputPrice,
          minContext: q.minContext, zdr: q.zdr, jurisdiction: one(q.jurisdiction), sort: q.sort, limit: q.limit,
        });
      },
      async getModel({ modelId }) {
        const cat = ctx.catalog.full();
        const model = cat.getModel(modelId);
        if (!model) throw new UserError(`unknown model ${quote(modelId)}`, 'not_found');
        return { model, endpoints: cat.endpointsFor(modelId) };
      },
      async listProviders() {
        return ctx.catalog.full().listProviders().map((p) => ({ ...p, policy: policyFor(p.id) }));
      },
      async getAbout() {
        const cat = ctx.catalog.full();
        // Said in words, not as a path: the renderer (and whoever holds the host's token) learns nothing of the file system.
        const source = ctx.catalog.source() === userCatalogPath(ctx.dataDir) ? 'catalog.json in the data directory (refreshed or imported)' : 'the snapshot shipped with Switchyard';
        return { asOf: cat.asOf, source, license: cat.license, stats: cat.stats() };
      },
    },
    routing: {
      async listEndpoints() {
        return endpointsReport(ctx);
      },
    },
    spend: {
      async getSummary({ sinceMs, by }) {
        const rows = ctx.store.spend.grouped(by, sinceMs);
        return { totalUsd: rows.reduce((s, r) => s + r.usd, 0), rows };
      },
      async listEntries({ sinceMs, limit }) {
        return spendEntries(ctx, sinceMs, limit);
      },
      async exportCsv({ sinceMs }) {
        return { csv: spendCsv(spendEntries(ctx, sinceMs, 1_000_000)), filename: `switchyard-spend-${new Date().toISOString().slice(0, 10)}.csv` };
      },
      async listBudgets() {
        return budgetView(Date.now());
      },
      async saveBudget(b) {
        if (b.scope !== 'all' && !b.scopeValue) throw new UserError(`a ${b.scope} budget needs the ${b.scope} it applies to`);
        const scopeValue = b.scope === 'all' ? '' : b.scopeValue;
        ctx.store.spend.putBudget({ id: newId('b_'), ...b, scopeValue }, Date.now());
        ctx.audit.append({ kind: 'budget', action: 'set', scope: b.scope, scopeValue, period: b.period, usd: b.usd, hard: b.hard, warnPct: b.warnPct });
        const saved = budgetView(Date.now()).find((x) => x.scope === b.scope && x.scopeValue === scopeValue && x.period === b.period);
        if (!saved) throw new Error('budget was not saved');
        return saved;
      },
      async removeBudget({ id }) {
        const b = ctx.store.spend.listBudgets().find((x) => x.id === id);
        if (!b) throw new UserError(`no budget ${quote(id)}`, 'not_found');
        const ok = ctx.store.spend.removeBudget(b.scope, b.scopeValue, b.period);
        if (ok) ctx.audit.append({ kind: 'budget', action: 'remove', scope: b.scope, scopeValue: b.scopeValue, period: b.period, usd: null, hard: null, warnPct: null });
        return { ok };
      },
    },
  };
}
