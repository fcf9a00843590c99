/**
 * Everything a process needs to run Switchyard on one data directory: store,
 * keys, catalog, engine, services. Built the same way by the CLI, the
 * headless host and the desktop app.
 */
import { openStore, defaultDataDir, type Store, type StoreOptions } from '../store';
import { Engine, type EngineOptions } from '../engine/engine';
import { KeyResolver, type KeyVault } from '../engine/keys';
import { ProvidersService } from '../engine/providers-service';
import { loadCatalog, type LoadedCatalog } from '../engine/catalog/load';
import { keyOrigin, type KeyPolicy } from '../engine/key-policy';
import { AuditLog } from '../audit/log';
import { loadSigner } from '../audit/signer';
import { collectOrphans } from './attachment-gc';

export interface AppContextOptions {
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  vault?: KeyVault | null;
  hooks?: EngineOptions['hooks'];
  store?: StoreOptions;
  /** 'read': the caller only reads, so a read-only data directory is opened read-only instead of refused. */
  access?: 'read' | 'write';
  /** Who saves providers here; the CLI's (the user at their shell) when not said. */
  keyPolicy?: KeyPolicy;
  /** Where the audit log says what it could not do (a file signing key made, an append refused); stderr when not said. */
  auditWarn?: (message: string) => void;
}

export interface AppContext {
  dataDir: string;
  store: Store;
  keys: KeyResolver;
  vault: KeyVault | null;
  engine: Engine;
  providers: ProvidersService;
  catalog: LoadedCatalog;
  audit: AuditLog;
  /** Interrupted columns billed after start-up (Engine.settleInterrupted): how many this process settled. */
  recovered: Promise<number>;
  /** Orphaned attachments removed after start-up (attachment-gc.ts): how many; 0 for a read-only context. */
  collected: Promise<number>;
  close(): Promise<void>;
}

/** The origins of the catalog's providers that read their key from `envName`. */
function knownOrigins(catalog: LoadedCatalog, envName: string): string[] {
  const out = new Set<string>();
  for (const p of catalog.full().listProviders()) {
    if (!p.env.includes(envName) || !p.api) continue;
    try {
      out.add(keyOrigin(p.api));
    } catch {
      // A catalog entry with a templated URL (per-account hosts) names no one host.
    }
  }
  return [...out];
}

export function openAppContext(opts: AppContextOptions = {}): AppContext {
  const env = opts.env ?? process.env;
  const dataDir = opts.dataDir ?? defaultDataDir(env);
  const store = openStore(dataDir, { ...opts.store, access: opts.access });
  const vault = opts.vault ?? null;
  const keys = new KeyResolver(env, store.secrets, vault, store.keyBindings);
  const catalog = loadCatalog(dataDir, store);
  const warn = opts.auditWarn ?? ((m: string) => void process.stderr.write(`${m}\n`));
  const audit: AuditLog = new AuditLog(store, {
    signer: () => loadSigner(store, { dataDir: dataDir === ':memory:' ? null : dataDir, vault, warn }, audit.origin()),
    onError: warn,
  });
  const engine = new Engine({ store, keys, catalog, hooks: opts.hooks, audit });
  const providers = new ProvidersService(store, keys, vault, opts.keyPolicy, (name) => knownOrigins(catalog, name), audit);
  const recovered = engine.settleInterrupted();
  // After recovery, off start-up's own turn; a failure (a read-only copy, a busy file) leaves them for the next start.
  const collected = opts.access === 'read' ? Promise.resolve(0) : recovered.then(() => collectOrphans(store)).catch(() => 0);
  return {
    dataDir,
    store,
    keys,
    vault,
    engine,
    providers,
    catalog,
    audit,
    recovered,
    collected,
    async close() {
      await engine.close();
      await collected;
      await audit.close();
      store.close();
    },
  };
}
