/** Adding, listing, testing and removing the user's providers (BYOK). */
import { performance } from 'node:perf_hooks';
import { BASE_URL_CREDENTIALS_ERROR, hasUrlCredentials } from '../../shared/base-url';
import { ProviderConfig, type KeyRef, type ProviderType, type ServeMapping } from '../../shared/domain';
import type { ProviderTestResult, ProviderView } from '../../shared/contract';
import type { Store } from '../store';
import { UserError, oneLine, zodLine } from './errors';
import type { KeyResolver, KeyVault } from './keys';
import { getAdapter } from './providers';
import { registerSecret, scrubText } from './scrub';
import { quote } from '../../shared/quote';
import { SHELL_POLICY, bindingRef, bindingRefusal, envRefusal, keyOrigin, type KeyPolicy } from './key-policy';
import type { AuditSink } from '../audit/log';
import { safeHost } from './audit-facts';

/** A key reference as the audit log may show it: the variable's name, or the stored key's id and last four. */
function keyView(k: KeyRef) {
  return k.kind === 'env' ? { kind: 'env' as const, name: k.name } : { kind: 'secret' as const, id: k.id, last4: k.last4 };
}

const sameKey = (a: KeyRef, b: KeyRef) => (a.kind === 'env' ? b.kind === 'env' && a.name === b.name : b.kind === 'secret' && a.id === b.id && a.last4 === b.last4);

export const DEFAULT_BASE_URLS: Record<ProviderType, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
};

export interface AddProviderInput {
  id: string;
  type: ProviderType;
  baseUrl?: string | undefined;
  apiKeyEnv?: string[] | undefined;
  /** Plain key material from the desktop UI: encrypted with the vault, never stored as is. */
  apiKey?: string | undefined;
  serves?: ServeMapping[] | undefined;
  catalogProvider?: string | null | undefined;
}

/** `model-id=upstream-model` as given on the command line. */
export function parseServe(spec: string): ServeMapping {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new UserError(`invalid --serve ${quote(spec)}: expected <model-id>=<upstream-model>`);
  return { modelId: spec.slice(0, eq).trim(), upstreamModel: spec.slice(eq + 1).trim() };
}

export class ProvidersService {
  constructor(
    private readonly store: Store,
    private readonly keys: KeyResolver,
    private readonly vault: KeyVault | null,
    private readonly policy: KeyPolicy = SHELL_POLICY,
    /** Origins the catalog names for a well-known key variable (OPENAI_API_KEY: api.openai.com). */
    private readonly knownOrigins: (envName: string) => string[] = () => [],
    private readonly audit: AuditSink | null = null,
  ) {}

  /** The provider's add, change or remove, and each key set or removed with it. */
  private record(action: 'add' | 'change' | 'remove', p: ProviderConfig, before: ProviderConfig | null, newKey: boolean): void {
    if (!this.audit) return;
    const changed = before && action === 'change'
      ? (['type', 'baseUrl', 'keys', 'serves', 'catalogProvider'] as const).filter((f) => JSON.stringify(before[f]) !== JSON.stringify(p[f]))
      : [];
    this.audit.append({ kind: 'provider', action, provider: p.id, protocol: p.type, host: safeHost(p.baseUrl), keys: p.keys.map(keyView), serves: p.serves.length, changed: [...changed] });
    const was = action === 'add' ? [] : (before?.keys ?? []);
    const now = action === 'remove' ? [] : p.keys;
    for (const k of now) if (newKey && k.kind === 'secret' ? true : !was.some((w) => sameKey(w, k))) this.audit.append({ kind: 'key', action: 'set', provider: p.id, ref: keyView(k) });
    for (const k of was) if (!now.some((n) => sameKey(n, k))) this.audit.append({ kind: 'key', action: 'remove', provider: p.id, ref: keyView(k) });
  }

  async save(input: AddProviderInput): Promise<ProviderConfig> {
    // Before anything is written (a typed key included), and with a reason that does not repeat the URL.
    if (input.baseUrl !== undefined && hasUrlCredentials(input.baseUrl)) throw new UserError(BASE_URL_CREDENTIALS_ERROR, 'config');
    const existing = this.store.providers.get(input.id);
    let keys: KeyRef[] = existing?.keys ?? [];
    if (input.apiKeyEnv?.length) {
      for (const name of input.apiKeyEnv) {
        const refused = envRefusal(name, this.policy);
        if (refused) throw new UserError(refused, 'policy');
      }
      keys = input.apiKeyEnv.map((name) => ({ kind: 'env' as const, name }));
    }
    if (input.apiKey) {
      if (!this.vault) throw new UserError('no keychain here to store a key in: read the key from an environment variable instead');
      registerSecret(input.apiKey);
      keys = [{ kind: 'secret', id: `key:${input.id}`, last4: input.apiKey.slice(-4) }];
    }
    const parsed = ProviderConfig.safeParse({
      id: input.id,
      type: input.type,
      baseUrl: input.baseUrl ?? existing?.baseUrl ?? DEFAULT_BASE_URLS[input.type],
      keys,
      serves: input.serves ?? existing?.serves ?? [],
      catalogProvider: input.catalogProvider === undefined ? (existing?.catalogProvider ?? null) : input.catalogProvider,
    });
    if (!parsed.success) throw new UserError(zodLine(parsed.error));
    const url = new URL(parsed.data.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`base URL must be http(s), got ${quote(parsed.data.baseUrl)}`);
    const reentered = this.reentered(input);
    this.checkBindings(parsed.data, reentered);
    if (input.apiKey && this.vault) this.store.secrets.put(`key:${input.id}`, await this.vault.encrypt(input.apiKey), this.vault.backend, input.apiKey.slice(-4), Date.now());
    const saved = this.store.providers.save(parsed.data, Date.now());
    this.record(existing ? 'change' : 'add', saved, existing, Boolean(input.apiKey));
    const origin = keyOrigin(saved.baseUrl);
    for (const k of saved.keys) {
      const ref = bindingRef(k);
      // New key material goes only where it was typed for; a variable named again at the shell may go here too.
      if (!reentered.has(ref)) this.store.keyBindings.bindFirst(ref, origin, Date.now());
      else if (k.kind === 'secret') this.store.keyBindings.replace(ref, origin, Date.now());
      else this.store.keyBindings.add(ref, origin, Date.now());
    }
    // Another URL or protocol may serve other models: the list comes back with the next test.
    if (existing && (existing.baseUrl !== saved.baseUrl || existing.type !== saved.type)) this.store.providers.clearListedModels(saved.id);
    // A fixed key or URL deserves a fresh chance on endpoints marked misconfigured.
    for (const m of this.store.routing.listMisconfigured()) if (m.endpointId.startsWith(`${saved.id}:`)) this.store.routing.clearMisconfigured(m.endpointId);
    return saved;
  }

  /**
   * The keys this save counts as entered again, which may go to a new host: a
   * key typed into the desktop form, or a variable the user names at their own
   * shell. A variable named through the host or the renderer is not: whoever
   * holds the token could name it as easily as the user.
   */
  private reentered(input: AddProviderInput): Set<string> {
    const out = new Set<string>();
    if (input.apiKey) out.add(bindingRef({ kind: 'secret', id: `key:${input.id}`, last4: '' }));
    if (this.policy.surface === 'shell') for (const name of input.apiKeyEnv ?? []) out.add(bindingRef({ kind: 'env', name }));
    return out;
  }

  /** Refuses, before anything is stored, a save that would point a key at a host it is not bound to. */
  private checkBindings(p: ProviderConfig, reentered: ReadonlySet<string>): void {
    const origin = keyOrigin(p.baseUrl);
    for (const k of p.keys) {
      const ref = bindingRef(k);
      if (reentered.has(ref)) continue;
      if (this.store.keyBindings.has(ref, origin)) continue;
      const bound = this.store.keyBindings.origins(ref);
      if (bound.length) throw new UserError(bindingRefusal(k, p.id, bound[0]!, p.baseUrl), 'policy');
      // Never used yet: a well-known variable still belongs to its provider's host, unless the user at the shell says otherwise.
      if (k.kind === 'env' && this.policy.surface !== 'shell') {
        const known = this.knownOrigins(k.name);
        if (known.length && !known.includes(origin)) throw new UserError(bindingRefusal(k, p.id, known[0]!, p.baseUrl, true), 'policy');
      }
    }
  }

  list(): ProviderConfig[] {
    return this.store.providers.list();
  }

  get(id: string): ProviderConfig {
    const p = this.store.providers.get(id);
    if (!p) throw new UserError(`unknown provider ${quote(id)} (configured: ${this.list().map((x) => x.id).join(', ') || 'none'})`, 'not_found');
    return p;
  }

  remove(id: string): void {
    const p = this.get(id);
    // A stored key goes with its provider, and so does its binding; a variable's binding outlives the provider.
    for (const k of p.keys) {
      if (k.kind !== 'secret') continue;
      this.store.secrets.remove(k.id);
      this.store.keyBindings.remove(bindingRef(k));
    }
    this.store.providers.remove(id);
    this.record('remove', p, p, false);
  }

  view(p: ProviderConfig): ProviderView {
    return {
      id: p.id,
      type: p.type,
      // A URL saved with credentials before they were refused is shown without them.
      baseUrl: scrubText(p.baseUrl, [], 2048),
      keys: p.keys.map((k) => (k.kind === 'env' ? { kind: 'env', label: k.name, set: this.keys.isSet(k), last4: null } : { kind: 'secret', label: 'keychain', set: this.keys.isSet(k), last4: k.last4 })),
      serves: p.serves,
    };
  }

  /** Lists the provider's models with its first key: proves URL, key and protocol in one call. */
  async test(id: string, timeoutMs = 10_000): Promise<ProviderTestResult> {
    const p = this.get(id);
    const key = await this.keys.resolve(p, 0);
    if (!key.ok) return { ok: false, latencyMs: null, models: [], error: key.error };
    const t0 = performance.now();
    try {
      const models = await getAdapter(p.type).listModels({ baseUrl: p.baseUrl, apiKey: key.key, providerId: p.id, signal: AbortSignal.timeout(timeoutMs) });
      const latencyMs = Math.round(performance.now() - t0);
      // Kept for the model picker, unless the provider was removed or changed while we waited.
      const now = this.store.providers.get(id);
      if (now && now.baseUrl === p.baseUrl && now.type === p.type) this.store.providers.setListedModels(id, models, Date.now());
      return { ok: true, latencyMs, models, error: null };
    } catch (err) {
      return { ok: false, latencyMs: Math.round(performance.now() - t0), models: [], error: oneLine(err) };
    }
  }
}
