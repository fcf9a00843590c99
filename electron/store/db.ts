/**
 * The one SQLite connection of a process. WAL so the CLI, the headless host
 * and the desktop app can share one history file; migrations run in
 * transactions that bump `user_version`, and versions only go up.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations';

export type DB = Database.Database;

export interface OpenOptions {
  /** Skip crash recovery (tests of migrations). */
  readonly: boolean;
}

export function openDatabase(file: string): DB {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // First: switching a new file to WAL takes a lock, and two first starts at once (the app and a CLI) would otherwise get SQLITE_BUSY at once.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode is durable across process crashes (kill -9); only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Checkpoints fsync the main file and can stall for tens of ms on a busy disk; the
  // engine runs them between runs (Store.checkpoint) instead of in the middle of streams.
  db.pragma('wal_autocheckpoint = 0');
  // Once a checkpoint has caught up, the WAL restarts from its beginning; a file that grew past this is cut back then.
  db.pragma(`journal_size_limit = ${16 * 1024 * 1024}`);
  try {
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/**
 * The database opened for reading only: no migration, no recovery, no checkpoint, so a
 * reading command works in a data directory this process may not write. Throws when
 * the schema is not the one this build reads.
 */
export function openDatabaseReadOnly(file: string): DB {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const version = schemaVersion(db);
    if (version > migrations.length) throw new Error(`database schema v${version} is newer than this build knows (v${migrations.length}); update Switchyard`);
    if (version < migrations.length) throw new SchemaUpgradeNeeded(version, migrations.length);
    // Reading the schema touches the WAL index: a directory where it cannot be made fails here, not later.
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** A read-only database whose schema predates this build: it needs one writable start. */
export class SchemaUpgradeNeeded extends Error {
  constructor(readonly from: number, readonly to: number) {
    super(`database schema v${from} needs an upgrade to v${to}`);
  }
}

export function schemaVersion(db: DB): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration above the current `user_version`, each in its own transaction. */
export function migrate(db: DB, upTo = migrations.length): number {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(`database schema v${current} is newer than this build knows (v${migrations.length}); update Switchyard`);
  }
  for (let v = current; v < upTo; v++) {
    const m = migrations[v]!;
    db.transaction(() => {
      // Another process (the app, a second CLI) may have applied it while we waited for the write lock.
      if (schemaVersion(db) !== v) return;
      m.up(db);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  return schemaVersion(db);
}
