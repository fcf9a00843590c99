/** Opens the store of a data directory: one connection, migrated, with crash recovery done. */
import { databaseFile } from './paths';
import { openDatabase, type DB } from './db';
import { createProvidersRepo } from './providers-repo';
import { createRunsRepo } from './runs-repo';
import { createSecretsRepo } from './secrets-repo';
import { createSettingsRepo } from './settings-repo';
import { createRoutingRepo } from './routing-repo';
import { createCatalogRepo } from './catalog-repo';
import { createSpendRepo } from './spend-repo';

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

export function createStore(db: DB) {
  return {
    db,
    runs: createRunsRepo(db),
    providers: createProvidersRepo(db),
    secrets: createSecretsRepo(db),
    settings: createSettingsRepo(db),
    routing: createRoutingRepo(db),
    catalog: createCatalogRepo(db),
    spend: createSpendRepo(db),
    /** Folds the WAL back into the database file; called when no stream is running. */
    checkpoint: () => db.pragma('wal_checkpoint(PASSIVE)'),
    close: () => db.close(),
  };
}
export type Store = ReturnType<typeof createStore>;

export function openStore(dataDirOrMemory: string, opts: { recover?: boolean; now?: () => number } = {}): Store {
  const file = dataDirOrMemory === ':memory:' ? ':memory:' : databaseFile(dataDirOrMemory);
  const store = createStore(openDatabase(file));
  if (opts.recover !== false) store.runs.recoverInterrupted(isProcessAlive, (opts.now ?? Date.now)());
  return store;
}
export { defaultDataDir, databaseFile } from './paths';
