/** Real system errors from the real file system, each mapped to one line naming the path. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeSystemError } from '../../electron/engine/system-errors';

const dir = mkdtempSync(join(tmpdir(), 'sy-syserr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('describeSystemError', () => {
  it('ENOENT on a write: the folder that does not exist', () => {
    const file = join(dir, 'missing', 'out.json');
    const err = thrown(() => writeFileSync(file, 'x'));
    expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(describeSystemError(err, { action: 'write', path: file })).toBe(`cannot write ${file}: folder ${join(dir, 'missing')} does not exist (create it first)`);
  });

  it('ENOENT on a read, EISDIR, ENOTDIR', () => {
    const missing = join(dir, 'nope.json');
    expect(describeSystemError(thrown(() => readFileSync(missing)), { action: 'read', path: missing })).toBe(`cannot read ${missing}: no such file or folder`);
    expect(describeSystemError(thrown(() => writeFileSync(dir, 'x')), { action: 'write', path: dir })).toBe(`cannot write ${dir}: it is a folder; give a file name`);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const under = join(file, 'x.json');
    expect(describeSystemError(thrown(() => writeFileSync(under, 'x')), { action: 'write', path: under })).toBe(`cannot write ${under}: ${file} is a file, not a folder`);
  });

  it('EEXIST from mkdir: a file in the way', () => {
    const file = join(dir, 'in-the-way');
    writeFileSync(file, 'x');
    const err = thrown(() => mkdirSync(file));
    expect(describeSystemError(err)).toBe(`cannot create folder ${file}: a file of that name is in the way`);
  });

  it('a NUL byte in a path, a path too long, and anything that is not a system error', () => {
    expect(describeSystemError(thrown(() => readFileSync('a\u0000b')), { action: 'read', path: 'a\u0000b' })).toBe('cannot read "a\\u0000b": a path cannot contain NUL bytes');
    const long = join(dir, 'x'.repeat(5000));
    expect(describeSystemError(thrown(() => writeFileSync(long, 'x')), { action: 'write', path: long })).toMatch(/^cannot write "\/.*…" \(\d+ chars\): the path is too long$/);
    expect(describeSystemError(new Error('boom'))).toBeNull();
    expect(describeSystemError('text')).toBeNull();
  });

  it('the codes a disk or a permission gives, by their meaning', () => {
    const err = (code: string) => Object.assign(new Error(`${code}: raw`), { code, path: '/data/x.json', syscall: 'open' });
    expect(describeSystemError(err('EACCES'), { action: 'write' })).toBe('cannot write /data/x.json: permission denied (check its permissions, or choose another path)');
    expect(describeSystemError(err('EROFS'), { action: 'write' })).toBe('cannot write /data/x.json: the file system is read-only');
    expect(describeSystemError(err('ENOSPC'), { action: 'write' })).toBe('cannot write /data/x.json: no space left on the disk (free some space and retry)');
  });
});
