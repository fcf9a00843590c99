import { useId } from 'react';
import { RouteStrategy } from '../../shared/domain';
import type { FieldErrors } from '../store/draft';
import type { RoutingDraft, RoutingField } from '../store/routingDraft';

export interface RoutingControlsProps {
  value: RoutingDraft;
  errors: FieldErrors;
  open: boolean;
  onToggle(open: boolean): void;
  onChange(patch: Partial<RoutingDraft>): void;
}

/** The text fields, each the CLI flag it stands for (the title says which). */
const TEXT: Array<{ key: RoutingField; label: string; flag: string; placeholder: string }> = [
  { key: 'order', label: 'order', flag: '--order', placeholder: 'provider ids, e.g. groq, openai' },
  { key: 'only', label: 'only', flag: '--only', placeholder: 'any provider' },
  { key: 'ignore', label: 'ignore', flag: '--ignore', placeholder: 'none' },
  { key: 'jurisdictions', label: 'jurisdictions', flag: '--jurisdiction', placeholder: 'any, e.g. EU, US' },
  { key: 'maxPriceIn', label: 'max in $/M', flag: '--max-price IN,…', placeholder: 'any' },
  { key: 'maxPriceOut', label: 'max out $/M', flag: '--max-price …,OUT', placeholder: 'any' },
];

const CHECKS: Array<{ key: 'zdr' | 'noTraining' | 'noFallback' | 'continueElsewhere'; label: string; flag: string; title: string }> = [
  { key: 'zdr', label: 'zero data retention', flag: '--zdr', title: 'Only endpoints known to keep nothing' },
  { key: 'noTraining', label: 'no training', flag: '--no-training', title: 'Deny endpoints that train on prompts' },
  { key: 'noFallback', label: 'no fallback', flag: '--no-fallback', title: 'Pin each column to its first-choice endpoint' },
  { key: 'continueElsewhere', label: 'continue elsewhere', flag: '--continue-elsewhere', title: 'After a mid-stream failure, restart on another endpoint (recorded, never spliced)' },
];

/** How many controls differ from the defaults, said on the closed group so a set constraint is never hidden. */
function countSet(v: RoutingDraft): number {
  const texts = TEXT.filter((f) => v[f.key].trim()).length;
  return texts + CHECKS.filter((c) => v[c.key]).length + (v.strategy ? 1 : 0);
}

/** The CLI's routing flags for the whole run; a column's own menu sets a few of them for that column. */
export function RoutingControls({ value, errors, open, onToggle, onChange }: RoutingControlsProps) {
  const base = useId();
  const set = countSet(value);
  return (
    <details className="params routing" open={open} onToggle={(e) => onToggle(e.currentTarget.open)} data-testid="routing-group">
      <summary className="field-label">
        Routing{set > 0 && <span className="muted"> · {set} set</span>}
      </summary>
      <div className="routing-grid">
        <label className="param" title="--route: how each column's endpoints are ranked">
          <span>strategy</span>
          <select className="input" data-testid="routing-strategy" value={value.strategy} onChange={(e) => onChange({ strategy: e.target.value as RoutingDraft['strategy'] })}>
            <option value="">default (balanced; order when an order is set)</option>
            {RouteStrategy.options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        {TEXT.map((f) => {
          const err = errors[f.key];
          const errId = `${base}-${f.key}-err`;
          return (
            <label key={f.key} className="param" title={f.flag}>
              <span>{f.label}</span>
              <input
                className="input mono"
                type="text"
                spellCheck={false}
                data-testid={`routing-${f.key}`}
                placeholder={f.placeholder}
                value={value[f.key]}
                aria-invalid={err ? true : undefined}
                aria-describedby={err ? errId : undefined}
                onChange={(e) => onChange({ [f.key]: e.target.value })}
              />
              {err && (
                <span className="field-error param-error" id={errId} data-testid={`routing-${f.key}-error`}>
                  {err}
                </span>
              )}
            </label>
          );
        })}
        {CHECKS.map((c) => (
          <label key={c.key} className="param param-check" title={`${c.flag}: ${c.title}`}>
            <input type="checkbox" data-testid={`routing-${c.key}`} checked={value[c.key]} onChange={(e) => onChange({ [c.key]: e.target.checked })} />
            <span>{c.label}</span>
          </label>
        ))}
      </div>
    </details>
  );
}
