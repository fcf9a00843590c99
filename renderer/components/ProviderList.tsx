import { useState } from 'react';
import type { KeyView, ProviderView } from '../../shared/contract';
import type { ProviderTestState } from '../store/providersSlice';
import { formatMs } from '../lib/format';

/**
 * "set · …abcd (keychain)" / "not set ($OPENAI_API_KEY)" / "no key": the renderer never sees more of a key than this.
 * "no key" is a choice (a local Ollama), not a fault; "not set" is a configured key that is missing.
 */
export function keyStatus(keys: KeyView[]): string {
  if (keys.length === 0) return 'no key';
  return keys
    .map((k) => {
      const where = k.kind === 'env' ? `$${k.label}` : k.label;
      const state = k.set ? `set${k.last4 ? ` · …${k.last4}` : ''}` : 'not set';
      return `${state} (${where})`;
    })
    .join('; ');
}

/** Muted for no key on purpose, a warning only when every configured key is missing. */
function keyTone(keys: KeyView[]): string {
  if (keys.length === 0) return ' muted';
  return keys.some((k) => k.set) ? '' : ' warn-text';
}

export interface ProviderListProps {
  providers: ProviderView[];
  tests: Record<string, ProviderTestState>;
  onTest(id: string): void;
  onEdit(id: string): void;
  onRemove(id: string): void;
}

function TestResult({ state }: { state: ProviderTestState | undefined }) {
  if (!state) return null;
  if (state.pending) return <span className="test-result muted" data-testid="provider-test-result">testing…</span>;
  if ('error' in state) return <span className="test-result test-bad" data-testid="provider-test-result">{state.error}</span>;
  const r = state.result;
  return r.ok ? (
    <span className="test-result test-ok" data-testid="provider-test-result">
      ok · {formatMs(r.latencyMs)} · {r.models.length} model{r.models.length === 1 ? '' : 's'}
    </span>
  ) : (
    <span className="test-result test-bad" data-testid="provider-test-result">
      {r.error ?? 'failed'}
    </span>
  );
}

export function ProviderList({ providers, tests, onTest, onEdit, onRemove }: ProviderListProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (providers.length === 0) return <p className="empty">No providers yet. Add one to start comparing.</p>;
  return (
    <table className="table providers-table" data-testid="providers-list">
      <thead>
        <tr>
          <th>ID</th>
          <th>Type</th>
          <th>Base URL</th>
          <th>Key</th>
          <th>Serves</th>
          <th>
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {providers.map((p) => (
          <tr key={p.id} data-testid="provider-row" data-provider-id={p.id}>
            <td className="mono strong">{p.id}</td>
            <td>{p.type}</td>
            <td className="mono url" title={p.baseUrl}>
              {p.baseUrl}
            </td>
            <td className={`mono key-status${keyTone(p.keys)}`} data-testid="provider-key-status">
              {keyStatus(p.keys)}
            </td>
            <td className="mono" title={p.serves.map((s) => `${s.modelId}=${s.upstreamModel}`).join('\n')}>
              {p.serves.length || '—'}
            </td>
            <td className="row-actions">
              <div className="row-buttons">
                <button type="button" className="btn btn-small" data-testid="provider-test" onClick={() => onTest(p.id)}>
                  Test
                </button>
                <button type="button" className="btn btn-small" data-testid="provider-edit" onClick={() => onEdit(p.id)}>
                  Edit
                </button>
                {confirming === p.id ? (
                  <>
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      data-testid="provider-remove-confirm"
                      onClick={() => {
                        setConfirming(null);
                        onRemove(p.id);
                      }}
                    >
                      Remove {p.id}
                    </button>
                    <button type="button" className="btn btn-small" onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" className="btn btn-small" data-testid="provider-remove" onClick={() => setConfirming(p.id)}>
                    Remove
                  </button>
                )}
              </div>
              <TestResult state={tests[p.id]} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
