import { UserError, oneLine } from '../engine/errors';
import { scrub } from '../engine/scrub';
import { describeSystemError } from '../engine/system-errors';
import { dataDirError } from '../store/open-errors';
import type { AppContext } from '../app/context';

/** 'read': the command only reads, so it works in a read-only data directory. */
export type Access = 'read' | 'write';

/** Runs a command body with an opened context; the number returned is the exit code. */
export type WithCtx = (fn: (ctx: AppContext) => Promise<number>, access?: Access) => Promise<void>;

/** Exit codes: 0 all columns ok, 2 a column is not ok (or a check failed), 1 usage/input error. */
export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_NOT_OK = 2;

/** Raised by commands to stop with one line on stderr and an exit code. */
export class CliExit extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
  }
}

/**
 * Translates anything thrown into one line + exit code; stack traces only with SWITCHYARD_DEBUG=1.
 * `dataDir` is the directory the command had open, so a refused write can name it.
 */
export function describeError(err: unknown, where: { dataDir?: string | undefined } = {}): { message: string; code: number } {
  // Scrubbed here too: the last net before stderr, for a message that quoted something it should not have.
  if (err instanceof CliExit) return { message: scrub(err.message, [], Infinity), code: err.code };
  if (err instanceof UserError) return { message: scrub(err.message, [], Infinity), code: EXIT_USAGE };
  const msg = oneLine(err);
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(msg)) {
    return { message: 'better-sqlite3 is built for Electron, not this Node: run `npm run rebuild:node`', code: EXIT_USAGE };
  }
  if (/^database schema v\d+ is newer/.test(msg)) return { message: msg, code: EXIT_USAGE };
  if (/SQLITE_BUSY|database is locked/.test(msg) || (err as { code?: unknown } | null)?.code === 'SQLITE_BUSY') {
    return { message: 'the database is busy (another Switchyard is writing): retry in a moment', code: EXIT_USAGE };
  }
  const inDataDir = where.dataDir ? dataDirError(err, where.dataDir) : null;
  if (inDataDir) return { message: inDataDir.message, code: EXIT_USAGE };
  const sys = describeSystemError(err);
  if (sys) return { message: sys, code: EXIT_USAGE };
  return { message: `unexpected error: ${msg}`, code: EXIT_USAGE };
}
