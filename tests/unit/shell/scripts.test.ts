import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { desktopUnavailableReason, electronAbi, electronBinary, hasDisplay } from '../../../scripts/lib/electron-env.mjs';
import { parseAbiMismatch, sqliteAbiProblem } from '../../../scripts/sqlite-abi-check.mjs';

const NODE_ERROR = new Error(
  "The module '/repo/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
    'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 150. This version of Node.js requires\n' +
    'NODE_MODULE_VERSION 115. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).',
);

describe('sqlite ABI check', () => {
  it('reads both ABIs from the loader error', () => {
    expect(parseAbiMismatch(NODE_ERROR)).toEqual({ builtFor: 150, required: 115 });
    expect(parseAbiMismatch(new Error('SQLITE_BUSY: database is locked'))).toBeNull();
    expect(parseAbiMismatch(undefined)).toBeNull();
  });

  it('tells a Node user, in one line, to run rebuild:node', () => {
    const line = sqliteAbiProblem(NODE_ERROR, { ...process.versions, node: '20.19.0' });
    expect(line).toBe(
      "better-sqlite3 is built for NODE_MODULE_VERSION 150 (Electron's, after `npm start`?) but Node 20.19.0 needs 115: run `npm run rebuild:node`",
    );
  });

  it('tells Electron to run rebuild:electron', () => {
    expect(sqliteAbiProblem(NODE_ERROR, { ...process.versions, electron: '45.4.1' })).toMatch(/run `npm run rebuild:electron`$/);
  });

  it('stays quiet about other errors', () => {
    expect(sqliteAbiProblem(new Error('ENOENT'))).toBeNull();
  });
});

describe('electron environment', () => {
  let repo = '';
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  function fakeRepo(opts: { pathTxt?: string; binary?: boolean }) {
    repo = mkdtempSync(join(tmpdir(), 'switchyard-env-'));
    const pkg = join(repo, 'node_modules', 'electron');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'abi_version'), '150\n');
    if (opts.pathTxt !== undefined) writeFileSync(join(pkg, 'path.txt'), opts.pathTxt);
    if (opts.binary) writeFileSync(join(pkg, 'dist', opts.pathTxt ?? 'electron'), '');
    return repo;
  }

  it('finds the binary from path.txt without loading electron', () => {
    const r = fakeRepo({ pathTxt: 'electron', binary: true });
    expect(electronBinary(r, {})).toBe(join(r, 'node_modules', 'electron', 'dist', 'electron'));
    expect(electronAbi(r)).toBe(150);
  });

  it('reports no binary when path.txt or the file is missing', () => {
    expect(electronBinary(fakeRepo({}), {})).toBeNull();
    rmSync(repo, { recursive: true, force: true });
    expect(electronBinary(fakeRepo({ pathTxt: 'electron', binary: false }), {})).toBeNull();
  });

  it('needs a display on Linux only', () => {
    expect(hasDisplay('linux', {})).toBe(false);
    expect(hasDisplay('linux', { DISPLAY: ':0' })).toBe(true);
    expect(hasDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(hasDisplay('darwin', {})).toBe(true);
    expect(hasDisplay('win32', {})).toBe(true);
  });

  it('says in one clause why the desktop app cannot start', () => {
    expect(desktopUnavailableReason(fakeRepo({}), 'linux', { DISPLAY: ':0' })).toBe(
      'the Electron binary is not installed (node_modules/electron/dist is missing)',
    );
    rmSync(repo, { recursive: true, force: true });
    const r = fakeRepo({ pathTxt: 'electron', binary: true });
    expect(desktopUnavailableReason(r, 'linux', {})).toBe('there is no display (DISPLAY and WAYLAND_DISPLAY are unset)');
    expect(desktopUnavailableReason(r, 'linux', { DISPLAY: ':0' })).toBeNull();
  });
});
