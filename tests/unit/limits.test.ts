import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputLimitError, LIMITS, formatBytes, readBoundedFile, readBoundedFileSync } from '../../electron/engine/limits';

const dir = mkdtempSync(join(tmpdir(), 'sy-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, bytes: number | string) => {
  const p = join(dir, name);
  if (typeof bytes === 'string') writeFileSync(p, bytes);
  else {
    writeFileSync(p, '');
    truncateSync(p, bytes); // sparse: no disk, and the reader must refuse it from its size alone
  }
  return p;
};

const readers = { async: readBoundedFile, sync: (p: string, max: number, what: string) => Promise.resolve().then(() => readBoundedFileSync(p, max, what)) };

describe.each(Object.entries(readers))('readBoundedFile (%s)', (_kind, read) => {
  it('reads a regular file up to and at the limit', async () => {
    expect((await read(file('ok.json', '{"a":1}'), 100, 'test file')).toString('utf8')).toBe('{"a":1}');
    expect((await read(file('exact.txt', 'x'.repeat(10)), 10, 'test file')).length).toBe(10);
    expect((await read(file('empty.txt', ''), 10, 'test file')).length).toBe(0);
    // More than one read chunk.
    const big = 'y'.repeat(3 * 1024 * 1024 + 7);
    expect((await read(file('chunks.txt', big), 4 * 1024 * 1024, 'test file')).toString('utf8')).toBe(big);
  });

  it('refuses a file one byte over the limit, naming the limit', async () => {
    const p = file('over.txt', 'x'.repeat(11));
    await expect(read(p, 10, 'test file')).rejects.toThrow(new InputLimitError(`test file ${p} is 11 bytes, over the 10 bytes limit`));
  });

  it('refuses a sparse 150 MB file from its size, without reading it', async () => {
    const p = file('sparse.json', 150 * 1024 * 1024);
    await expect(read(p, LIMITS.catalogFile, 'catalog file')).rejects.toThrow(`catalog file ${p} is 150 MiB, over the 64 MiB limit`);
  });

  it('refuses /dev/zero, a FIFO and a directory instead of reading forever or blocking', async () => {
    for (const p of ['/dev/zero', join(dir, 'sub')]) {
      if (p.endsWith('sub')) mkdirSync(p, { recursive: true });
      await expect(read(p, LIMITS.catalogFile, 'catalog file')).rejects.toThrow(`catalog file ${p} is not a regular file (devices, FIFOs and directories are refused; the limit is 64 MiB)`);
    }
    const fifo = join(dir, `fifo-${_kind}`);
    execFileSync('mkfifo', [fifo]);
    // Nobody ever writes to it: opening it for reading would wait forever.
    await expect(read(fifo, 10, 'test file')).rejects.toBeInstanceOf(InputLimitError);
  });

  it('passes system errors through with their code', async () => {
    await expect(read(join(dir, 'missing.json'), 10, 'test file')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('formatBytes', () => {
  it('says sizes the way the errors do', () => {
    expect(formatBytes(LIMITS.catalogFile)).toBe('64 MiB');
    expect(formatBytes(LIMITS.hostBody)).toBe('2 MiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(7)).toBe('7 bytes');
  });
});
