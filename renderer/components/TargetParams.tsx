/**
 * Per-column parameters beside the shared ones: each picked model opens a
 * small panel of its own temperature, max tokens, reasoning effort (OpenAI)
 * and thinking budget (Anthropic, Gemini). Blank keeps the shared value.
 */
import { memo } from 'react';
import { emptyTargetParams, type TargetParamsDraft } from '../store/draft';

const FIELDS: Array<{ key: Exclude<keyof TargetParamsDraft, 'reasoningEffort'>; label: string; title: string }> = [
  { key: 'temperature', label: 'temperature', title: '0-2; blank: the shared one' },
  { key: 'maxTokens', label: 'max tokens', title: 'blank: the shared one' },
  { key: 'thinkingBudget', label: 'thinking budget', title: 'Anthropic thinking.budget_tokens, Gemini thinkingBudget (0 turns Gemini thinking off); OpenAI has none' },
];

export interface TargetParamsProps {
  targets: string[];
  values: Record<string, TargetParamsDraft>;
  onChange: (target: string, value: TargetParamsDraft) => void;
}

export const TargetParams = memo(function TargetParams({ targets, values, onChange }: TargetParamsProps) {
  if (targets.length === 0) return null;
  return (
    <fieldset className="params target-params" data-testid="target-params">
      <legend className="field-label">Per-column parameters</legend>
      {targets.map((target, i) => {
        const v = values[target] ?? emptyTargetParams;
        const set = Object.values(v).filter((x) => x.trim() !== '').length;
        const change = (patch: Partial<TargetParamsDraft>) => onChange(target, { ...v, ...patch });
        return (
          <details key={target} className="target-params-item" data-testid="target-params-item">
            <summary>
              <span className="mono">
                [{i + 1}] {target}
              </span>{' '}
              <span className="muted">{set ? `${set} set` : 'shared'}</span>
            </summary>
            {FIELDS.map((f) => (
              <label key={f.key} className="param" title={f.title}>
                <span>{f.label}</span>
                <input
                  className="input mono"
                  type="number"
                  inputMode="decimal"
                  data-testid={`target-param-${f.key}`}
                  placeholder="shared"
                  value={v[f.key]}
                  onChange={(e) => change({ [f.key]: e.target.value })}
                />
              </label>
            ))}
            <label className="param" title="OpenAI reasoning_effort (o-series, gpt-5); the other protocols ignore it">
              <span>reasoning effort</span>
              <select className="input" data-testid="target-param-reasoningEffort" value={v.reasoningEffort} onChange={(e) => change({ reasoningEffort: e.target.value })}>
                <option value="">default</option>
                <option value="minimal">minimal</option>
                <option value="low">low</option>
                <option value="medium">medium</option>
                <option value="high">high</option>
              </select>
            </label>
          </details>
        );
      })}
    </fieldset>
  );
});
