/**
 * Input size limits, and the one way to read a file someone handed us
 * (catalog import, and later suites, attachments, policy files): `/dev/zero`,
 * a FIFO or a 150 MB file must be refused in one line that names the limit,
 * never read into memory until the process aborts.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { UserError } from './errors';

const MiB = 1024 * 1024;

/** Largest input of each kind. A catalog export of every models.dev provider is ~2.5 MB. */
export const LIMITS = {
  catalogFile: 64 * MiB,
  hostBody: 2 * MiB,
} as const;

/** @example formatBytes(64 * 1024 * 1024) // '64 MiB' */
export function formatBytes(n: number): string {
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** A file refused for what it is or how big it is; the message is one line naming the limit. */
export class InputLimitError extends UserError {
  constructor(message: string) {
    super(message, 'usage');
  }
}

function check(st: Stats, path: string, maxBytes: number, what: string): void {
  if (!st.isFile()) throw new InputLimitError(`${what} ${path} is not a regular file (devices, FIFOs and directories are refused; the limit is ${formatBytes(maxBytes)})`);
  if (st.size > maxBytes) {
    // Just over the limit would read "64 MiB, over the 64 MiB limit": give the bytes then.
    const size = formatBytes(st.size) === formatBytes(maxBytes) ? `${st.size} bytes` : formatBytes(st.size);
    throw new InputLimitError(`${what} ${path} is ${size}, over the ${formatBytes(maxBytes)} limit`);
  }
}

const grew = (path: string, maxBytes: number, what: string) => new InputLimitError(`${what} ${path} grew past the ${formatBytes(maxBytes)} limit while being read`);

// O_NONBLOCK: should the path be swapped for a FIFO between stat and open, the open still returns at once.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const CHUNK = MiB;

/**
 * Reads a whole regular file of at most `maxBytes`, checked before a byte is
 * read (stat, then fstat on the open file) and again while reading, so a file
 * that grows cannot slip past. System errors (ENOENT, EACCES) are rethrown as is.
 * @example const text = (await readBoundedFile('catalog.json', LIMITS.catalogFile, 'catalog file')).toString('utf8')
 */
export async function readBoundedFile(path: string, maxBytes: number, what: string): Promise<Buffer> {
  check(await stat(path), path, maxBytes, what);
  const fh = await open(path, READ_FLAGS);
  try {
    check(await fh.stat(), path, maxBytes, what);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      total += bytesRead;
      if (total > maxBytes) throw grew(path, maxBytes, what);
      chunks.push(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
}

/** readBoundedFile for synchronous callers (the catalog loads lazily inside sync lookups). */
export function readBoundedFileSync(path: string, maxBytes: number, what: string): Buffer {
  check(statSync(path), path, maxBytes, what);
  const fd = openSync(path, READ_FLAGS);
  try {
    check(fstatSync(fd), path, maxBytes, what);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) return Buffer.concat(chunks, total);
      total += n;
      if (total > maxBytes) throw grew(path, maxBytes, what);
      chunks.push(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}
