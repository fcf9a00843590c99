/** Opens the store of a data directory: one connection, migrated, with crash recovery done. */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../engine/errors';
import { showPath } from '../engine/system-errors';
import { databaseFile } from './paths';
import { dataDirError, isReadOnlyFailure } from './open-errors';
import { OffThreadCheckpointer } from './checkpointer';
import { openDatabase, openDatabaseReadOnly, SchemaUpgradeNeeded, type DB } from './db';
import { createProvidersRepo } from './providers-repo';
import { createRunsRepo } from './runs-repo';
import { createSecretsRepo } from './secrets-repo';
import { createSettingsRepo } from './settings-repo';
import { createRoutingRepo } from './routing-repo';
import { createCatalogRepo } from './catalog-repo';
import { createSpendRepo } from './spend-repo';
import { createKeyBindingsRepo } from './key-bindings-repo';
import { createAttachmentsRepo } from './attachments-repo';
import { createRunLabelsRepo } from './run-labels-repo';
import { createPromptsRepo } from './prompts-repo';

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
    attachments: createAttachmentsRepo(db),
    labels: createRunLabelsRepo(db),
    prompts: createPromptsRepo(db),
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

export interface OpenStoreOptions extends StoreOptions {
  recover?: boolean;
  now?: () => number;
  /**
   * 'read' for commands that only read: where this process may not write the data
   * directory, the database is opened read-only instead of failing.
   */
  access?: 'read' | 'write';
}

export function openStore(dataDirOrMemory: string, opts: OpenStoreOptions = {}): Store {
  if (dataDirOrMemory === ':memory:') return recovered(createStore(openDatabase(':memory:'), opts), opts);
  let store: Store | null = null;
  try {
    store = createStore(openDatabase(databaseFile(dataDirOrMemory)), opts);
    return recovered(store, opts);
  } catch (err) {
    store?.close();
    if (opts.access === 'read' && isReadOnlyFailure(err, dataDirOrMemory)) return openForReading(dataDirOrMemory, opts);
    throw dataDirError(err, dataDirOrMemory) ?? err;
  }
}

function recovered(store: Store, opts: OpenStoreOptions): Store {
  if (opts.recover !== false) store.runs.recoverInterrupted(isProcessAlive, (opts.now ?? Date.now)());
  return store;
}

/**
 * A read-only data directory: the database as it is, with nothing written. SQLite cannot
 * read a WAL database whose index (-shm) it may not create; then a private copy is read.
 */
function openForReading(dataDir: string, opts: StoreOptions): Store {
  const file = databaseFile(dataDir);
  // Nothing recorded yet: an empty store answers "no runs yet" without creating anything.
  if (!existsSync(file)) return createStore(openDatabase(':memory:'), opts);
  try {
    return createStore(readOnly(file, dataDir), opts);
  } catch (err) {
    if (!isReadOnlyFailure(err, dataDir)) throw dataDirError(err, dataDir) ?? err;
  }
  const copy = mkdtempSync(join(tmpdir(), 'switchyard-readonly-'));
  try {
    copyFileSync(file, join(copy, 'switchyard.db'));
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, join(copy, 'switchyard.db-wal'));
    const store = createStore(readOnly(join(copy, 'switchyard.db'), dataDir), opts);
    const close = store.close;
    store.close = () => {
      close();
      rmSync(copy, { recursive: true, force: true });
    };
    return store;
  } catch (err) {
    rmSync(copy, { recursive: true, force: true });
    throw dataDirError(err, dataDir) ?? err;
  }
}

function readOnly(file: string, dataDir: string): DB {
  try {
    return openDatabaseReadOnly(file);
  } catch (err) {
    if (err instanceof SchemaUpgradeNeeded) {
      throw new UserError(`the data directory ${showPath(dataDir)} is read-only and its database (schema v${err.from}) needs an upgrade to v${err.to}: make it writable for one run of switchyard`, 'config');
    }
    throw err;
  }
}
export { defaultDataDir, databaseFile } from './paths';
