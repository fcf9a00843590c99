/**
 * `catalog import` of something that is not a catalog-sized file: refused in
 * one line naming the limit, before the process reads it (a read of /dev/zero
 * or a 150 MB file used to exhaust memory and abort the process).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../electron/engine/limits';
import { CliSandbox, CLI_TIMEOUT_MS, cleanupCli, expectOneLineError, tempDir } from './cli-helpers';

afterAll(cleanupCli);

const sparse = (path: string, bytes: number) => {
  writeFileSync(path, '');
  truncateSync(path, bytes);
  return path;
};

describe('catalog import limits', () => {
  it('refuses /dev/zero, a FIFO, a file just over the limit and a sparse 150 MB file, each in one line, importing nothing', async () => {
    const cli = new CliSandbox();
    const dir = tempDir();
    const fifo = join(dir, 'catalog.fifo');
    execFileSync('mkfifo', [fifo]);
    const justOver = sparse(join(dir, 'just-over.json'), LIMITS.catalogFile + 1);
    const huge = sparse(join(dir, 'huge.json'), 150 * 1024 * 1024);
    const [zero, pipe, over, big] = await Promise.all([
      cli.run(['catalog', 'import', '/dev/zero']),
      cli.run(['catalog', 'import', fifo]),
      cli.run(['catalog', 'import', justOver]),
      cli.run(['catalog', 'import', huge]),
    ]);
    expectOneLineError(zero!, 1, /catalog file \/dev\/zero is not a regular file .*the limit is 64 MiB/);
    expectOneLineError(pipe!, 1, /catalog file .*catalog\.fifo is not a regular file/);
    expectOneLineError(over!, 1, /catalog file .*just-over\.json is 67108865 bytes, over the 64 MiB limit/);
    expectOneLineError(big!, 1, /catalog file .*huge\.json is 150 MiB, over the 64 MiB limit/);
    expect(existsSync(join(cli.dataDir, 'catalog.json'))).toBe(false);
  }, CLI_TIMEOUT_MS);
});
