/**
 * Raw system errors (`ENOENT: no such file or directory, open '/x/y.json'`) as
 * one line that says which path was wrong, how, and what to do. One mapping,
 * used by the CLI's top-level handler, by the commands that read or write a
 * file the user named, and by the store when it opens a data directory.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { quote } from '../../shared/quote';

type Action = 'read' | 'write' | 'create' | 'open';

interface SystemError {
  code: string;
  path?: string;
  syscall?: string;
}

function asSystemError(err: unknown): SystemError | null {
  if (!err || typeof err !== 'object') return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^E[A-Z]+$|^ERR_INVALID_ARG_(VALUE|TYPE)$/.test(code)) return null;
  const e = err as { path?: unknown; syscall?: unknown };
  return { code, path: typeof e.path === 'string' ? e.path : undefined, syscall: typeof e.syscall === 'string' ? e.syscall : undefined };
}

/** A path as the user gave it when it is short and printable, else quoted and cut. */
export function showPath(p: string): string {
  return /^[\x21-\x7e]{1,160}$/.test(p) ? p : quote(p, 120);
}

function kind(p: string): 'file' | 'folder' | 'missing' {
  try {
    return statSync(p).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

/** The nearest existing ancestor of `p` that is a file, where a folder was expected (ENOTDIR). */
export function fileInTheWay(p: string): string | null {
  for (let d = dirname(resolve(p)); d !== dirname(d); d = dirname(d)) if (kind(d) === 'file') return d;
  return null;
}

function actionOf(e: SystemError, given?: Action): Action {
  if (given) return given;
  if (e.syscall === 'mkdir') return 'create';
  if (e.syscall && /write|rename|copyfile|unlink|rmdir|symlink|link|chmod/.test(e.syscall)) return 'write';
  return e.syscall === 'open' ? 'open' : 'read';
}

/**
 * One line for a system error, or null when `err` is not one.
 * @example describeSystemError(enoent, { action: 'write', path: '/x/y.json' }) === 'cannot write /x/y.json: folder /x does not exist'
 */
export function describeSystemError(err: unknown, at: { action?: Action; path?: string } = {}): string | null {
  const e = asSystemError(err);
  if (!e) return null;
  const action = actionOf(e, at.action);
  const raw = at.path ?? e.path;
  if (e.code === 'ERR_INVALID_ARG_VALUE' || e.code === 'ERR_INVALID_ARG_TYPE') {
    return raw === undefined && !at.path ? null : `cannot ${action} ${showPath(raw ?? '')}: a path cannot contain NUL bytes`;
  }
  const p = raw === undefined ? 'a file' : showPath(raw);
  const what = action === 'create' ? `cannot create folder ${p}` : `cannot ${action} ${p}`;
  switch (e.code) {
    case 'ENOENT': {
      if (raw === undefined) return `${what}: it does not exist`;
      const dir = dirname(raw);
      if (action === 'write' && kind(dir) === 'missing') return `${what}: folder ${showPath(dir)} does not exist (create it first)`;
      return `${what}: no such file or folder`;
    }
    case 'EISDIR':
      return `${what}: it is a folder; give a file name`;
    case 'EEXIST':
      return action === 'create' ? `${what}: a file of that name is in the way` : `${what}: it already exists`;
    case 'ENOTDIR': {
      const file = raw === undefined ? null : fileInTheWay(raw);
      return `${what}: ${file ? `${showPath(file)} is a file, not a folder` : 'a part of the path is a file, not a folder'}`;
    }
    case 'EACCES':
    case 'EPERM':
      return `${what}: permission denied (check its permissions, or choose another path)`;
    case 'EROFS':
      return `${what}: the file system is read-only`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `${what}: no space left on the disk (free some space and retry)`;
    case 'ENAMETOOLONG':
      return `${what}: the path is too long`;
    case 'ELOOP':
      return `${what}: too many symbolic links in the path`;
    case 'EMFILE':
    case 'ENFILE':
      return `${what}: too many open files (close some programs and retry)`;
    case 'EBUSY':
    case 'ETXTBSY':
      return `${what}: it is in use by another program`;
    case 'EIO':
      return `${what}: an input/output error (the disk or network share may be failing)`;
    default:
      return `${what}: the system refused (${e.code})`;
  }
}
