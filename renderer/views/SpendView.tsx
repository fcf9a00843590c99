import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { BudgetsPanel } from '../components/BudgetsPanel';
import { SpendCharts } from '../components/SpendCharts';
import { saveTextFile } from '../lib/download';
import { formatUsd, SPEND_PERIODS } from '../lib/spend';
import { useApp } from '../store';

export function SpendView() {
  const s = useApp(
    useShallow((st) => ({
      period: st.spendPeriod,
      data: st.spend,
      loading: st.spendLoading,
      error: st.spendError,
      budgets: st.budgets,
      budgetsLoaded: st.budgetsLoaded,
      budgetsError: st.budgetsError,
      providers: st.providers,
      setPeriod: st.setSpendPeriod,
      load: st.loadSpend,
      loadBudgets: st.loadBudgets,
      exportCsv: st.exportSpendCsv,
      saveBudget: st.saveBudget,
      removeBudget: st.removeBudget,
      setView: st.setView,
    })),
  );
  const { load, loadBudgets } = s;
  const [exporting, setExporting] = useState(false);
  // Runs finish while this view is hidden: refetch on every entry.
  useEffect(() => {
    void load();
    void loadBudgets();
  }, [load, loadBudgets]);

  const onExport = async (): Promise<void> => {
    setExporting(true);
    const file = await s.exportCsv();
    setExporting(false);
    if (file) saveTextFile(file.filename, file.csv);
  };

  // "Today" for the day axis is when this data arrived, not every render.
  const loadedAt = useMemo(() => (s.data ? Date.now() : 0), [s.data]);
  const runs = s.data ? new Set(s.data.entries.map((e) => e.runId)).size : 0;
  // Columns of endpoints with no known price used tokens all the same: counted here, and not "no spend".
  const unpricedColumns = s.data ? s.data.byProvider.reduce((n, r) => n + (r.unpriced?.columns ?? 0), 0) : 0;
  const empty = s.data !== null && s.data.entries.length === 0 && s.data.totalUsd === 0 && unpricedColumns === 0;

  return (
    <div className="spend" data-testid="spend-view">
      <main className="spend-main">
        <div className="spend-bar">
          <h2>Spend</h2>
          <div className="segmented" role="group" aria-label="Period">
            {SPEND_PERIODS.map((p) => (
              <button
                key={p.value}
                type="button"
                aria-pressed={s.period === p.value}
                className={`seg${s.period === p.value ? ' active' : ''}`}
                data-testid={`spend-period-${p.value}`}
                onClick={() => s.setPeriod(p.value)}
              >
                {p.label}
              </button>
            ))}
          </div>
          <span className="spend-total">
            <span className="muted">Total</span>{' '}
            <span className="mono strong" data-testid="spend-total">
              {s.data ? formatUsd(s.data.totalUsd) : '…'}
            </span>
            {s.data && s.data.entries.length > 0 && (
              <span className="muted">
                {' '}
                · {runs} run{runs === 1 ? '' : 's'} · {s.data.entries.length} column{s.data.entries.length === 1 ? '' : 's'}
              </span>
            )}
            {unpricedColumns > 0 && (
              <span className="muted" data-testid="spend-unpriced">
                {' '}
                · plus {unpricedColumns} unpriced column{unpricedColumns === 1 ? '' : 's'}
              </span>
            )}
          </span>
          <span className="spend-actions">
            <button type="button" className="btn btn-small" data-testid="spend-refresh" disabled={s.loading} onClick={() => void s.load()}>
              {s.loading ? 'Loading…' : 'Refresh'}
            </button>
            <button type="button" className="btn btn-small" data-testid="spend-export" disabled={exporting || empty} onClick={() => void onExport()} title="Every ledger row of the period as CSV">
              Export CSV
            </button>
          </span>
        </div>
        {s.error && (
          <p className="field-error spend-error" role="alert">
            {s.error}
          </p>
        )}
        {empty ? (
          <div className="empty-state" data-testid="spend-empty">
            <h2>No spend in this period</h2>
            <p>
              Costs are recorded for every answer from a priced endpoint. Add a provider the catalog knows (its id is the catalog's, e.g. <span className="mono">openai</span>), run a compare, and the
              cost shows up here. Or pick a longer period.
            </p>
            <button type="button" className="btn" onClick={() => s.setView('compare')}>
              Go to Compare
            </button>
          </div>
        ) : (
          s.data && <SpendCharts data={s.data} now={loadedAt} />
        )}
      </main>
      <aside className="spend-side">
        <BudgetsPanel budgets={s.budgets} loaded={s.budgetsLoaded} error={s.budgetsError} providers={s.providers} onSave={s.saveBudget} onRemove={(id) => void s.removeBudget(id)} />
      </aside>
    </div>
  );
}
