import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ProviderView } from '../../shared/contract';
import type { ProviderType } from '../../shared/domain';
import type { SaveProviderInput } from '../store/providersSlice';

export const DEFAULT_BASE_URLS: Record<ProviderType, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
};

type KeyMode = 'keep' | 'none' | 'key' | 'env';
const FIELDS = ['id', 'type', 'baseUrl', 'apiKey', 'apiKeyEnv', 'serves'] as const;
type Field = (typeof FIELDS)[number];
interface FormError {
  /** The input to mark, or null for an error about the whole form. */
  field: Field | null;
  message: string;
}
interface ServeRow {
  modelId: string;
  upstreamModel: string;
}
interface FormValues {
  id: string;
  type: ProviderType;
  baseUrl: string;
  keyMode: KeyMode;
  apiKey: string;
  apiKeyEnv: string;
  serves: ServeRow[];
  /** Editing only: the user confirmed changing the provider's type (wire protocol). */
  replaceType?: boolean;
}

/** Fields whose schema has no sentence of its own: zod's default ("Invalid string: must match pattern …") is not for people. */
const PLAIN: Partial<Record<Field, string>> = {
  apiKeyEnv: 'a variable name is letters, digits and "_", and does not start with a digit',
  apiKey: 'that key is too long (500 characters at most)',
};

/**
 * Schema errors arrive as "path: sentence" (from the client's check or the
 * engine): the path marks the input, only the sentence is shown.
 * @example toFormError('baseUrl: base URL must be an http(s) URL') // { field: 'baseUrl', message: 'base URL must be an http(s) URL' }
 */
export function toFormError(message: string): FormError {
  // The engine's key refusals (electron/engine/key-policy.ts) are sentences already: mark the input they are about.
  if (/^environment variable \S+ is not one this /.test(message)) return { field: 'apiKeyEnv', message };
  if (/^(key \S+|the stored key of provider \S+) (was first used with|belongs to) /.test(message)) return { field: 'baseUrl', message };
  const m = /^([A-Za-z]+)[\w.]*: (.+)$/s.exec(message);
  const field = FIELDS.find((f) => f === m?.[1]);
  if (!m?.[2] || !field) return { field: null, message };
  return { field, message: PLAIN[field] ?? m[2] };
}

function originOf(url: string): string | null {
  try {
    return new URL(url.trim()).origin;
  } catch {
    return null;
  }
}

const showOrigin = (origin: string): string => (origin.startsWith('https://') ? origin.slice('https://'.length) : origin);

/**
 * Said before saving: a key kept while the base URL moves to another host
 * will not follow it (the engine refuses), and how to enter it again here.
 * Null when nothing moves.
 * @example keyMoveNote(openaiWithStoredKey, 'https://evil.example/v1', 'keep', true) // 'The stored key goes only to api.openai.com. …'
 */
export function keyMoveNote(initial: ProviderView | null, baseUrl: string, keyMode: KeyMode, canStoreKeys: boolean): string | null {
  const key = initial?.keys[0];
  if (!initial || !key || keyMode !== 'keep') return null;
  const from = originOf(initial.baseUrl);
  const to = originOf(baseUrl);
  if (!from || !to || from === to) return null;
  const shell = `switchyard providers add ${initial.id} --base-url ${baseUrl.trim()} --api-key-env ${key.label}`;
  if (key.kind === 'secret') return `The stored key goes only to ${showOrigin(from)}. To use it with ${showOrigin(to)}, paste the key again.`;
  return canStoreKeys
    ? `$${key.label} goes only to ${showOrigin(from)}. To use this provider with ${showOrigin(to)}, paste the key here, or name the variable again from your shell: ${shell}`
    : `$${key.label} goes only to ${showOrigin(from)}. To send it to ${showOrigin(to)}, name it again from your shell: ${shell}`;
}

/** What the schema cannot know: the form's choices and the providers that already exist. */
function precheck(v: FormValues, ctx: { editing: boolean; hasKeys: boolean; takenIds: readonly string[]; savedType: ProviderType | null }): FormError | null {
  const id = v.id.trim();
  if (ctx.savedType && v.type !== ctx.savedType && !v.replaceType) return { field: 'type', message: `tick the box to confirm changing the type from ${ctx.savedType}, or set it back` };
  if (!ctx.editing && !id) return { field: 'id', message: 'enter an ID for this provider, e.g. openai' };
  if (!ctx.editing && ctx.takenIds.includes(id)) return { field: 'id', message: `a provider with id "${id}" already exists: edit it instead` };
  if (v.keyMode === 'env' && !v.apiKeyEnv.trim()) return { field: 'apiKeyEnv', message: 'name the environment variable that holds the key' };
  if (v.keyMode === 'key' && !v.apiKey) return { field: 'apiKey', message: ctx.hasKeys ? 'paste the new key, or keep the current one' : 'paste the key, or choose "no key"' };
  return null;
}

export interface ProviderFormProps {
  /** null for a new provider. */
  initial: ProviderView | null;
  /** Ids already configured: saving a new provider under one of them would overwrite it. */
  takenIds?: readonly string[];
  /** False where a typed key could not be stored (no keychain): the key can only come from the environment. */
  canStoreKeys?: boolean;
  onSubmit(args: SaveProviderInput): Promise<string | null>;
  onCancel(): void;
  /** A new provider's starting values (a Compare chip's fix, from the catalog). */
  prefill?: { id: string; type: ProviderType | null; baseUrl: string | null; keyEnv: string | null } | null;
}

/** Builds the save call from the form; the key is only sent when the user typed one. */
export function formToArgs(f: FormValues): SaveProviderInput {
  const args: SaveProviderInput = {
    id: f.id.trim(),
    type: f.type,
    baseUrl: f.baseUrl.trim(),
    serves: f.serves.map((s) => ({ modelId: s.modelId.trim(), upstreamModel: s.upstreamModel.trim() })).filter((s) => s.modelId && s.upstreamModel),
  };
  if (f.keyMode === 'key' && f.apiKey) args.apiKey = f.apiKey;
  if (f.keyMode === 'env' && f.apiKeyEnv.trim()) args.apiKeyEnv = f.apiKeyEnv.trim();
  if (f.replaceType) args.replace = true;
  return args;
}

export function ProviderForm({ initial, takenIds = [], canStoreKeys = true, onSubmit, onCancel, prefill = null }: ProviderFormProps) {
  const editing = initial !== null;
  const hasKeys = (initial?.keys.length ?? 0) > 0;
  const start = editing ? null : prefill;
  const [id, setId] = useState(initial?.id ?? start?.id ?? '');
  const [type, setType] = useState<ProviderType>(initial?.type ?? start?.type ?? 'openai');
  const [baseUrl, setBaseUrl] = useState(initial?.baseUrl ?? start?.baseUrl ?? DEFAULT_BASE_URLS[start?.type ?? 'openai']);
  const envKey = initial?.keys.find((k) => k.kind === 'env');
  // Without a keychain the key can only come from a variable: the catalog's name for it is the likely one.
  const [chosenMode, setKeyMode] = useState<KeyMode>(hasKeys ? 'keep' : editing ? 'none' : canStoreKeys && !start?.keyEnv ? 'key' : 'env');
  // Settings may arrive after the form opened: paste is never in effect where it cannot be stored.
  const keyMode = chosenMode === 'key' && !canStoreKeys ? 'env' : chosenMode;
  const [apiKey, setApiKey] = useState('');
  const [apiKeyEnv, setApiKeyEnv] = useState(envKey?.label ?? start?.keyEnv ?? '');
  const [serves, setServes] = useState<ServeRow[]>(initial?.serves.map((s) => ({ ...s })) ?? []);
  const [error, setError] = useState<FormError | null>(null);
  const [saving, setSaving] = useState(false);
  const [replaceType, setReplaceType] = useState(false);
  const typeChanged = editing && type !== initial.type;
  const errorId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  // Below a long table (narrow windows), the form would open out of sight.
  useEffect(() => {
    const form = formRef.current;
    if (form && typeof form.scrollIntoView === 'function') form.scrollIntoView({ block: 'nearest' });
  }, []);
  const noteId = useId();
  const moveNote = keyMoveNote(initial, baseUrl, keyMode, canStoreKeys);

  /** Editing a field retires its error; a form-wide error is retired by any edit. */
  const edited = (...fields: Field[]): void => setError((e) => (e && (e.field === null || fields.includes(e.field)) ? null : e));
  const marks = (field: Field) => (error?.field === field ? { 'aria-invalid': true, 'aria-describedby': errorId } : {});

  const changeType = (next: ProviderType): void => {
    // Only replace a URL the user has not customised.
    if (!baseUrl.trim() || Object.values(DEFAULT_BASE_URLS).includes(baseUrl.trim())) setBaseUrl(DEFAULT_BASE_URLS[next]);
    setType(next);
    edited('type', 'baseUrl');
  };
  const chooseMode = (mode: KeyMode): void => {
    setKeyMode(mode);
    edited('apiKey', 'apiKeyEnv');
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const values: FormValues = { id, type, baseUrl, keyMode, apiKey, apiKeyEnv, serves, replaceType: typeChanged && replaceType };
    const invalid = precheck(values, { editing, hasKeys, takenIds, savedType: initial?.type ?? null });
    if (invalid) return setError(invalid);
    setSaving(true);
    setError(null);
    const err = await onSubmit(formToArgs(values));
    setSaving(false);
    // The key leaves the form as soon as it is sent: it is write-only.
    setApiKey('');
    if (err) setError(toFormError(err));
  };

  const setServe = (i: number, patch: Partial<ServeRow>): void => {
    setServes((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    edited('serves');
  };

  // noValidate: the form's own one-line errors replace the browser's bubbles, so every path reads the same.
  return (
    <form ref={formRef} className="provider-form" data-testid="provider-form" noValidate onSubmit={(e) => void submit(e)} aria-label={editing ? `Edit provider ${initial.id}` : 'Add provider'}>
      <h3>{editing ? `Edit ${initial.id}` : 'Add provider'}</h3>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">ID</span>
          <input
            className="input mono"
            data-testid="provider-id"
            value={id}
            disabled={editing}
            required
            placeholder="e.g. openai, groq, my-vllm"
            spellCheck={false}
            {...marks('id')}
            onChange={(e) => {
              setId(e.target.value);
              edited('id');
            }}
          />
        </label>
        <label className="field">
          <span className="field-label">Type</span>
          <select className="input" data-testid="provider-type" value={type} {...marks('type')} onChange={(e) => changeType(e.target.value as ProviderType)}>
            <option value="openai">OpenAI-compatible</option>
            <option value="anthropic">Anthropic</option>
            <option value="gemini">Gemini</option>
          </select>
        </label>
        {typeChanged && (
          <label className="radio field-wide" data-testid="provider-type-confirm">
            <input
              type="checkbox"
              checked={replaceType}
              onChange={(e) => {
                setReplaceType(e.target.checked);
                edited('type');
              }}
            />{' '}
            Change {initial.id} from {initial.type} to {type}: the same URL and keys will be spoken to in another protocol, and the models it listed are forgotten.
          </label>
        )}
        <label className="field field-wide">
          <span className="field-label">Base URL</span>
          <input
            className="input mono"
            data-testid="provider-base-url"
            value={baseUrl}
            required
            spellCheck={false}
            {...marks('baseUrl')}
            onChange={(e) => {
              setBaseUrl(e.target.value);
              edited('baseUrl');
            }}
          />
          {moveNote && (
            <span className="key-note" role="status" data-testid="provider-key-move-note">
              {moveNote}
            </span>
          )}
        </label>
      </div>
      <fieldset className="key-mode">
        <legend className="field-label">API key</legend>
        {hasKeys && (
          <label className="radio">
            <input type="radio" name="keymode" data-testid="provider-key-mode-keep" checked={keyMode === 'keep'} onChange={() => chooseMode('keep')} /> keep the current key
          </label>
        )}
        <label className={`radio${canStoreKeys ? '' : ' radio-off'}`}>
          <input type="radio" name="keymode" data-testid="provider-key-mode-key" checked={keyMode === 'key'} disabled={!canStoreKeys} aria-describedby={canStoreKeys ? undefined : noteId} onChange={() => chooseMode('key')} /> paste a key
        </label>
        {!canStoreKeys && (
          <p className="key-note" id={noteId} data-testid="provider-key-note">
            Keys typed here would have to be stored, and this host has no keychain: set an environment variable before starting Switchyard and name it below. It must be named like an API key (OPENAI_API_KEY, …_KEY, …_TOKEN) or given to the host with switchyard serve --key-env.
          </p>
        )}
        <label className="radio">
          <input type="radio" name="keymode" data-testid="provider-key-mode-env" checked={keyMode === 'env'} onChange={() => chooseMode('env')} /> read from an environment variable
        </label>
        {!hasKeys && (
          <label className="radio">
            <input type="radio" name="keymode" data-testid="provider-key-mode-none" checked={keyMode === 'none'} onChange={() => chooseMode('none')} /> no key (e.g. a local Ollama)
          </label>
        )}
        {keyMode === 'key' && (
          <input
            className="input mono"
            type="password"
            data-testid="provider-api-key"
            aria-label="API key"
            autoComplete="off"
            placeholder={editing ? 'new key (the stored one is never shown)' : 'sk-…'}
            value={apiKey}
            {...marks('apiKey')}
            onChange={(e) => {
              setApiKey(e.target.value);
              edited('apiKey');
            }}
          />
        )}
        {keyMode === 'env' && (
          <input
            className="input mono"
            data-testid="provider-api-key-env"
            aria-label="Environment variable name"
            placeholder="OPENAI_API_KEY"
            value={apiKeyEnv}
            spellCheck={false}
            {...marks('apiKeyEnv')}
            onChange={(e) => {
              setApiKeyEnv(e.target.value);
              edited('apiKeyEnv');
            }}
          />
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
        <p className="field-error" role="alert" id={errorId} data-testid="provider-form-error">
          {error.message}
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
