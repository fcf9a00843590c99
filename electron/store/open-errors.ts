/**
 * Why a data directory could not be opened, in one line naming the path and
 * what to do; SQLite's own words ("unable to open database file", "attempt to
 * write a readonly database") say neither.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { UserError } from '../engine/errors';
import { describeSystemError, fileInTheWay, showPath } from '../engine/system-errors';
import { databaseFile } from './paths';

const codeOf = (err: unknown) => (err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '');

function kind(p: string): 'file' | 'folder' | 'missing' {
  try {
    return statSync(p).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

function writable(p: string): boolean {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Failures that mean "this process may not write here": a reading command can still open the database read-only. */
export function isReadOnlyFailure(err: unknown, dataDir: string): boolean {
  const code = codeOf(err);
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return true;
  return code === 'SQLITE_CANTOPEN' && kind(dataDir) === 'folder' && (!writable(dataDir) || kind(databaseFile(dataDir)) === 'file');
}

export function readOnlyDataDir(dataDir: string): UserError {
  return new UserError(`the data directory ${showPath(dataDir)} is read-only: this command writes to it (make it writable, or set SWITCHYARD_DATA_DIR to another folder)`, 'config');
}

/** One line for a failure to open or write the data directory, or null when `err` is something else. */
export function dataDirError(err: unknown, dataDir: string): UserError | null {
  const code = codeOf(err);
  const file = databaseFile(dataDir);
  const dir = showPath(dataDir);
  if (kind(dataDir) === 'file' && (code === 'ENOTDIR' || code === 'EEXIST' || code === 'SQLITE_CANTOPEN')) {
    return new UserError(`the data directory ${dir} is a file, not a folder: move the file, or set SWITCHYARD_DATA_DIR to a folder`, 'config');
  }
  if (code === 'ENOTDIR') {
    const file = fileInTheWay(dataDir);
    return new UserError(`the data directory ${dir} cannot be created: ${file ? `${showPath(file)} is a file, not a folder` : 'a part of the path is a file'} (set SWITCHYARD_DATA_DIR to a folder)`, 'config');
  }
  if (code === 'SQLITE_CANTOPEN' && kind(file) === 'folder') return new UserError(`${showPath(file)} is a folder, not a database file: move it aside`, 'config');
  if (isReadOnlyFailure(err, dataDir) && kind(dataDir) === 'folder') return readOnlyDataDir(dataDir);
  if (code === 'SQLITE_NOTADB') return new UserError(`${showPath(file)} is not a Switchyard database (not SQLite): move it aside, or set SWITCHYARD_DATA_DIR to another folder`, 'config');
  if (code.startsWith('SQLITE_CORRUPT')) return new UserError(`the database ${showPath(file)} is damaged: restore it from a backup, or move it aside to start afresh`, 'config');
  if (code === 'SQLITE_FULL') return new UserError(`cannot write the database ${showPath(file)}: no space left on the disk (free some space and retry)`, 'config');
  if (code === 'SQLITE_CANTOPEN') return new UserError(`cannot open the database ${showPath(file)}: check that the data directory ${dir} exists and can be written`, 'config');
  const sys = describeSystemError(err);
  return sys ? new UserError(`data directory ${dir}: ${sys}`, 'config') : null;
}
