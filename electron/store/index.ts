/** Opens the store of a data directory: one connection, migrated, with crash recovery done. */
import { databaseFile } from './paths';
import { OffThreadCheckpointer } from './checkpointer';
import { openDatabase, type DB } from './db';
import { createProvidersRepo } from './providers-repo';
import { createRunsRepo } from './runs-repo';
import { createSecretsRepo } from './secrets-repo';
import { createSettingsRepo } from './settings-repo';
import { createRoutingRepo } from './routing-repo';
import { createCatalogRepo } from './catalog-repo';
import { createSpendRepo } from './spend-repo';
import { createKeyBindingsRepo } from './key-bindings-repo';

export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StoreOptions {
  /** Past this many bytes of WAL a checkpoint also truncates it (checkpointer.ts). */
  walTruncateAboveBytes?: number;
}

export function createStore(db: DB, opts: StoreOptions = {}) {
  const checkpointer = new OffThreadCheckpointer(db.memory ? ':memory:' : db.name, { truncateAboveBytes: opts.walTruncateAboveBytes });
  return {
    db,
    runs: createRunsRepo(db),
    providers: createProvidersRepo(db),
    secrets: createSecretsRepo(db),
    settings: createSettingsRepo(db),
    routing: createRoutingRepo(db),
    catalog: createCatalogRepo(db),
    spend: createSpendRepo(db),
    keyBindings: createKeyBindingsRepo(db),
    /** Folds the WAL back into the database file on this thread (about 1 ms per MB of WAL): only while nothing streams. */
    checkpoint: () => db.pragma('wal_checkpoint(PASSIVE)'),
    /** The same on a worker thread, never blocking this one; null when no worker can run. */
    checkpointOffThread: () => checkpointer.request(),
    close: () => {
      checkpointer.close();
      db.close();
    },
  };
}
export type Store = ReturnType<typeof createStore>;

export function openStore(dataDirOrMemory: string, opts: StoreOptions & { recover?: boolean; now?: () => number } = {}): Store {
  const file = dataDirOrMemory === ':memory:' ? ':memory:' : databaseFile(dataDirOrMemory);
  const store = createStore(openDatabase(file), opts);
  if (opts.recover !== false) store.runs.recoverInterrupted(isProcessAlive, (opts.now ?? Date.now)());
  return store;
}
export { defaultDataDir, databaseFile } from './paths';
