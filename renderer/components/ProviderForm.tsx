import { useState, type FormEvent } from 'react';
import type { ProviderView } from '../../shared/contract';
import type { ProviderType } from '../../shared/domain';
import type { SaveProviderInput } from '../store/providersSlice';

export const DEFAULT_BASE_URLS: Record<ProviderType, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
};

type KeyMode = 'keep' | 'key' | 'env';
interface ServeRow {
  modelId: string;
  upstreamModel: string;
}

export interface ProviderFormProps {
  /** null for a new provider. */
  initial: ProviderView | null;
  onSubmit(args: SaveProviderInput): Promise<string | null>;
  onCancel(): void;
}

/** Builds the save call from the form; the key is only sent when the user typed one. */
export function formToArgs(f: { id: string; type: ProviderType; baseUrl: string; keyMode: KeyMode; apiKey: string; apiKeyEnv: string; serves: ServeRow[] }): SaveProviderInput {
  const args: SaveProviderInput = {
    id: f.id.trim(),
    type: f.type,
    baseUrl: f.baseUrl.trim(),
    serves: f.serves.map((s) => ({ modelId: s.modelId.trim(), upstreamModel: s.upstreamModel.trim() })).filter((s) => s.modelId && s.upstreamModel),
  };
  if (f.keyMode === 'key' && f.apiKey) args.apiKey = f.apiKey;
  if (f.keyMode === 'env' && f.apiKeyEnv.trim()) args.apiKeyEnv = f.apiKeyEnv.trim();
  return args;
}

export function ProviderForm({ initial, onSubmit, onCancel }: ProviderFormProps) {
  const editing = initial !== null;
  const [id, setId] = useState(initial?.id ?? '');
  const [type, setType] = useState<ProviderType>(initial?.type ?? 'openai');
  const [baseUrl, setBaseUrl] = useState(initial?.baseUrl ?? DEFAULT_BASE_URLS.openai);
  const envKey = initial?.keys.find((k) => k.kind === 'env');
  const [keyMode, setKeyMode] = useState<KeyMode>(initial?.keys.length ? 'keep' : 'key');
  const [apiKey, setApiKey] = useState('');
  const [apiKeyEnv, setApiKeyEnv] = useState(envKey?.label ?? '');
  const [serves, setServes] = useState<ServeRow[]>(initial?.serves.map((s) => ({ ...s })) ?? []);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const changeType = (next: ProviderType): void => {
    // Only replace a URL the user has not customised.
    if (!baseUrl.trim() || Object.values(DEFAULT_BASE_URLS).includes(baseUrl.trim())) setBaseUrl(DEFAULT_BASE_URLS[next]);
    setType(next);
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    const err = await onSubmit(formToArgs({ id, type, baseUrl, keyMode, apiKey, apiKeyEnv, serves }));
    setSaving(false);
    // The key leaves the form as soon as it is sent: it is write-only.
    setApiKey('');
    if (err) setError(err);
  };

  const setServe = (i: number, patch: Partial<ServeRow>): void => setServes((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <form className="provider-form" data-testid="provider-form" onSubmit={(e) => void submit(e)} aria-label={editing ? `Edit provider ${initial.id}` : 'Add provider'}>
      <h3>{editing ? `Edit ${initial.id}` : 'Add provider'}</h3>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">ID</span>
          <input className="input mono" data-testid="provider-id" value={id} disabled={editing} required placeholder="e.g. openai, groq, my-vllm" spellCheck={false} onChange={(e) => setId(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Type</span>
          <select className="input" data-testid="provider-type" value={type} onChange={(e) => changeType(e.target.value as ProviderType)}>
            <option value="openai">openai (and compatible)</option>
            <option value="anthropic">anthropic</option>
            <option value="gemini">gemini</option>
          </select>
        </label>
        <label className="field field-wide">
          <span className="field-label">Base URL</span>
          <input className="input mono" data-testid="provider-base-url" value={baseUrl} required spellCheck={false} onChange={(e) => setBaseUrl(e.target.value)} />
        </label>
      </div>
      <fieldset className="key-mode">
        <legend className="field-label">API key</legend>
        {editing && initial.keys.length > 0 && (
          <label className="radio">
            <input type="radio" name="keymode" checked={keyMode === 'keep'} onChange={() => setKeyMode('keep')} /> keep the current key
          </label>
        )}
        <label className="radio">
          <input type="radio" name="keymode" data-testid="provider-key-mode-key" checked={keyMode === 'key'} onChange={() => setKeyMode('key')} /> paste a key
        </label>
        <label className="radio">
          <input type="radio" name="keymode" data-testid="provider-key-mode-env" checked={keyMode === 'env'} onChange={() => setKeyMode('env')} /> read from an environment variable
        </label>
        {keyMode === 'key' && (
          <input
            className="input mono"
            type="password"
            data-testid="provider-api-key"
            aria-label="API key"
            autoComplete="off"
            placeholder={editing ? 'new key (the stored one is never shown)' : 'sk-…'}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
          />
        )}
        {keyMode === 'env' && (
          <input className="input mono" data-testid="provider-api-key-env" aria-label="Environment variable name" placeholder="OPENAI_API_KEY" value={apiKeyEnv} spellCheck={false} onChange={(e) => setApiKeyEnv(e.target.value)} />
        )}
      </fieldset>
      <fieldset className="serves">
        <legend className="field-label" title="Canonical model id = the provider's own model name">Serves (model id = upstream name)</legend>
        {serves.map((row, i) => (
          <div key={i} className="serve-row">
            <input className="input mono" data-testid="serve-model-id" aria-label={`model id ${i + 1}`} placeholder="openai/gpt-4o-mini" value={row.modelId} onChange={(e) => setServe(i, { modelId: e.target.value })} />
            <span aria-hidden="true">=</span>
            <input className="input mono" data-testid="serve-upstream" aria-label={`upstream model ${i + 1}`} placeholder="gpt-4o-mini" value={row.upstreamModel} onChange={(e) => setServe(i, { upstreamModel: e.target.value })} />
            <button type="button" className="btn-icon" aria-label={`remove mapping ${i + 1}`} onClick={() => setServes((rows) => rows.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
        ))}
        <button type="button" className="btn btn-small" data-testid="provider-serves-add" onClick={() => setServes((rows) => [...rows, { modelId: '', upstreamModel: '' }])}>
          + mapping
        </button>
      </fieldset>
      {error && (
        <p className="field-error" role="alert" data-testid="provider-form-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="provider-save" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
