/**
 * Resolving a provider's key references to key material, at the moment of a
 * request and nowhere else. Keys are never logged, stored in plaintext or
 * sent to the renderer.
 */
import type { KeyRef, ProviderConfig } from '../../shared/domain';
import type { SecretsRepo } from '../store/secrets-repo';
import { registerSecret } from './scrub';
import type { KeyBindingsRepo } from '../store/key-bindings-repo';
import { bindingRef, bindingRefusal, keyOrigin } from './key-policy';

/** The OS keychain seam: Electron safeStorage in the app; absent in the CLI. */
export interface KeyVault {
  backend: string;
  secure: boolean;
  warning: string | null;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(cipher: Buffer): Promise<string>;
}

export type ResolvedKey = { ok: true; key: string | null; index: number } | { ok: false; error: string; index: number };

export class KeyResolver {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly secrets: SecretsRepo | null,
    private readonly vault: KeyVault | null,
    /** Where each key may go (key_bindings). */
    private readonly bindings: KeyBindingsRepo,
  ) {}

  /** How many keys a provider has (0 = keyless, e.g. a local Ollama). */
  count(p: ProviderConfig): number {
    return p.keys.length;
  }

  isSet(ref: KeyRef): boolean {
    if (ref.kind === 'env') return Boolean(this.env[ref.name]);
    return this.secrets?.get(ref.id) != null;
  }

  async resolve(p: ProviderConfig, index: number): Promise<ResolvedKey> {
    if (p.keys.length === 0) return { ok: true, key: null, index: -1 };
    const ref = p.keys[index % p.keys.length]!;
    const refused = this.bindingProblem(p, ref);
    if (refused) return { ok: false, index, error: refused };
    if (ref.kind === 'env') {
      const v = this.env[ref.name];
      // Registered before it is sent, so whatever an upstream echoes of it is scrubbed.
      registerSecret(v);
      return v ? { ok: true, key: v, index } : { ok: false, index, error: `missing key: environment variable ${ref.name} is not set (provider ${p.id})` };
    }
    const row = this.secrets?.get(ref.id);
    if (!row) return { ok: false, index, error: `missing key: the stored key of provider ${p.id} was removed; set it again` };
    if (!this.vault) return { ok: false, index, error: `provider ${p.id} keeps its key in the desktop app's keychain, which only the desktop app can read: give it an environment variable here instead` };
    try {
      const key = await this.vault.decrypt(row.ciphertext);
      registerSecret(key);
      return { ok: true, key, index };
    } catch {
      return { ok: false, index, error: `cannot decrypt the stored key of provider ${p.id} (keychain unavailable or changed)` };
    }
  }

  /**
   * Every send passes here, so no caller (host, IPC, CLI, a provider saved
   * before bindings existed) can send a key to a host it is not bound to.
   * One indexed read per attempt; a write only on a key's first use.
   */
  private bindingProblem(p: ProviderConfig, ref: KeyRef): string | null {
    const r = bindingRef(ref);
    const origin = keyOrigin(p.baseUrl);
    if (this.bindings.has(r, origin) || this.bindings.bindFirst(r, origin, Date.now())) return null;
    return bindingRefusal(ref, p.id, this.bindings.origins(r)[0] ?? '?', p.baseUrl);
  }
}
