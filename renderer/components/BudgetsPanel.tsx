import { useState, type FormEvent } from 'react';
import type { BudgetView, ProviderView } from '../../shared/contract';
import { budgetProgress, budgetTitle, formatUsd, keyRefOptions } from '../lib/spend';
import type { SaveBudgetInput } from '../store/spendSlice';

type Scope = BudgetView['scope'];
type Period = BudgetView['period'];

export interface BudgetsPanelProps {
  budgets: BudgetView[];
  loaded: boolean;
  error: string | null;
  providers: ProviderView[];
  onSave(input: SaveBudgetInput): Promise<string | null>;
  onRemove(id: string): void;
}

/** Builds the save call from the form, or says what is wrong with it. */
export function budgetFormToArgs(f: { scope: Scope; scopeValue: string; period: Period; usd: string; warnPct: string; hard: boolean }): { ok: true; args: SaveBudgetInput } | { ok: false; error: string } {
  const usd = Number(f.usd.trim());
  if (!f.usd.trim() || !Number.isFinite(usd) || usd < 0) return { ok: false, error: 'the cap must be a number of dollars, 0 or more' };
  const warn = f.warnPct.trim() ? Number(f.warnPct.trim()) : 80;
  if (!Number.isFinite(warn) || warn < 1 || warn > 100) return { ok: false, error: 'warn at must be a percentage from 1 to 100' };
  if (f.scope !== 'all' && !f.scopeValue) return { ok: false, error: `pick the ${f.scope} this budget applies to` };
  return { ok: true, args: { scope: f.scope, scopeValue: f.scope === 'all' ? '' : f.scopeValue, period: f.period, usd, warnPct: warn, hard: f.hard } };
}

function BudgetRow({ b, onRemove }: { b: BudgetView; onRemove(): void }) {
  const [confirming, setConfirming] = useState(false);
  const p = budgetProgress(b);
  const pctText = Number.isFinite(p.pct) ? `${p.pct < 10 ? p.pct.toFixed(1) : Math.round(p.pct)}%` : 'over';
  return (
    <li className={`budget budget-${p.state}`} data-testid="budget-row" data-budget-id={b.id} data-state={p.state}>
      <div className="budget-head">
        <span className="strong">{budgetTitle(b)}</span>
        <span className={`badge ${b.hard ? 'badge-hard' : 'badge-soft'}`} title={b.hard ? 'Refuses a run whose worst case exceeds what is left' : 'Warns only'}>
          {b.hard ? 'hard stop' : 'soft'}
        </span>
        <span className="budget-actions">
          {confirming ? (
            <>
              <button type="button" className="btn btn-small btn-danger" data-testid="budget-remove-confirm" onClick={onRemove}>
                Remove
              </button>
              <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" className="btn-icon" data-testid="budget-remove" aria-label={`Remove the ${budgetTitle(b)} budget`} onClick={() => setConfirming(true)}>
              Remove
            </button>
          )}
        </span>
      </div>
      <div
        className="meter"
        role="progressbar"
        aria-label={`${budgetTitle(b)} spent`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(p.barPct)}
        aria-valuetext={`${formatUsd(b.spentUsd)} of ${formatUsd(b.usd)}`}
      >
        <div className="meter-fill" style={{ width: `${p.barPct}%` }} />
        <div className="meter-warn" style={{ left: `${Math.min(100, b.warnPct)}%` }} title={`warns at ${b.warnPct}%`} />
      </div>
      <div className="budget-figures mono">
        <span data-testid="budget-spent">
          {formatUsd(b.spentUsd)} of {formatUsd(b.usd)} · {pctText}
        </span>
        <span className="muted">
          {p.state === 'over' ? 'cap reached' : `${formatUsd(p.leftUsd)} left`} · warns at {b.warnPct}%
        </span>
      </div>
    </li>
  );
}

export function BudgetsPanel({ budgets, loaded, error, providers, onSave, onRemove }: BudgetsPanelProps) {
  const [scope, setScope] = useState<Scope>('all');
  const [scopeValue, setScopeValue] = useState('');
  const [period, setPeriod] = useState<Period>('day');
  const [usd, setUsd] = useState('');
  const [warnPct, setWarnPct] = useState('80');
  const [hard, setHard] = useState(true);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const keys = keyRefOptions(providers);
  const choices = scope === 'provider' ? providers.map((p) => ({ value: p.id, label: p.id })) : scope === 'key' ? keys : [];

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const built = budgetFormToArgs({ scope, scopeValue, period, usd, warnPct, hard });
    if (!built.ok) {
      setFormError(built.error);
      return;
    }
    setSaving(true);
    const err = await onSave(built.args);
    setSaving(false);
    setFormError(err);
    if (!err) setUsd('');
  };

  return (
    <section className="budgets" aria-labelledby="budgets-title" data-testid="budgets-panel">
      <h2 id="budgets-title">Budgets</h2>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {loaded && budgets.length === 0 && !error && (
        <p className="muted" data-testid="budgets-empty">
          No budgets yet. Set a cap per day, week or month below: a hard one refuses a run before anything is sent when its worst case would pass the cap; a soft one only warns.
        </p>
      )}
      <ul className="budget-list">
        {budgets.map((b) => (
          <BudgetRow key={b.id} b={b} onRemove={() => onRemove(b.id)} />
        ))}
      </ul>
      <form className="budget-form" data-testid="budget-form" onSubmit={(e) => void submit(e)}>
        <h3>Add a budget</h3>
        <div className="form-grid">
          <label className="field">
            <span className="field-label">Applies to</span>
            <select
              className="input"
              data-testid="budget-scope"
              value={scope}
              onChange={(e) => {
                const next = e.target.value as Scope;
                setScope(next);
                setScopeValue(next === 'provider' ? (providers[0]?.id ?? '') : next === 'key' ? (keys[0]?.value ?? '') : '');
                setFormError(null);
              }}
            >
              <option value="all">everything</option>
              <option value="provider">one provider</option>
              <option value="key">one key</option>
            </select>
          </label>
          <label className="field">
            <span className="field-label">Period</span>
            <select className="input" data-testid="budget-period" value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
              <option value="day">per day</option>
              <option value="week">per week</option>
              <option value="month">per month</option>
            </select>
          </label>
          {scope !== 'all' && (
            <label className="field field-wide">
              <span className="field-label">{scope === 'provider' ? 'Provider' : 'Key'}</span>
              {choices.length ? (
                <select className="input" data-testid="budget-scope-value" value={scopeValue} onChange={(e) => setScopeValue(e.target.value)}>
                  {choices.map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.label}
                    </option>
                  ))}
                </select>
              ) : (
                <span className="muted">{scope === 'provider' ? 'No providers configured yet.' : 'No keys configured yet.'}</span>
              )}
            </label>
          )}
          <label className="field">
            <span className="field-label">Cap (USD)</span>
            <input className="input mono" type="number" min="0" step="any" inputMode="decimal" data-testid="budget-usd" placeholder="e.g. 5" value={usd} onChange={(e) => setUsd(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Warn at (%)</span>
            <input className="input mono" type="number" min="1" max="100" step="1" data-testid="budget-warn" value={warnPct} onChange={(e) => setWarnPct(e.target.value)} />
          </label>
          <label className="radio field-wide">
            <input type="checkbox" data-testid="budget-hard" checked={hard} onChange={(e) => setHard(e.target.checked)} />
            Hard stop: refuse runs that could pass the cap
          </label>
        </div>
        {formError && (
          <p className="field-error" role="alert" data-testid="budget-error">
            {formError}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="budget-save" disabled={saving}>
            {saving ? 'Saving…' : 'Add budget'}
          </button>
        </div>
      </form>
    </section>
  );
}
