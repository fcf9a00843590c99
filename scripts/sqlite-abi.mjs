#!/usr/bin/env node
// Switches better-sqlite3's native binary between Node's ABI (tests, CLI, headless host) and
// Electron's (the desktop app):
//   node scripts/sqlite-abi.mjs electron   (npm run rebuild:electron)
//   node scripts/sqlite-abi.mjs node       (npm run rebuild:node)
//   node scripts/sqlite-abi.mjs status
// Each binary is built once (@electron/rebuild for Electron, `npm rebuild` for Node) and cached
// under node_modules/.cache, so later switches are a file swap. The live ABI is recorded in
// node_modules/better-sqlite3/build/.switchyard-abi; asking for the ABI already live does nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronAbi } from './lib/electron-env.mjs';
import { parseAbiMismatch } from './sqlite-abi-check.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const moduleDir = join(repo, 'node_modules', 'better-sqlite3');
const buildDir = join(moduleDir, 'build');
const binary = join(buildDir, 'Release', 'better_sqlite3.node');
const marker = join(buildDir, '.switchyard-abi');
// Outside build/: a from-source rebuild (node-gyp) deletes build/ first.
const cacheDir = join(repo, 'node_modules', '.cache', 'switchyard-sqlite');

const say = (msg) => console.log(`sqlite-abi: ${msg}`);
function fail(msg) {
  console.error(`sqlite-abi: ${msg}`);
  process.exit(1);
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const label = (s) => `${s.runtime} (NODE_MODULE_VERSION ${s.abi})`;

function wanted(runtime) {
  if (runtime === 'node') return { runtime, abi: Number(process.versions.modules) };
  const abi = electronAbi(repo);
  if (!abi) fail('cannot read node_modules/electron/abi_version; is electron installed?');
  return { runtime, abi };
}

/** Loads the binary in a child Node (a loaded addon cannot be replaced on Windows) and reads its ABI. */
function probe() {
  if (!existsSync(binary)) return null;
  const r = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: repo, encoding: 'utf8' });
  if (r.status === 0) return { runtime: 'node', abi: Number(process.versions.modules) };
  const mismatch = parseAbiMismatch(new Error(r.stderr));
  if (!mismatch) return null;
  return { runtime: mismatch.builtFor === electronAbi(repo) ? 'electron' : 'unknown', abi: mismatch.builtFor };
}

/** What is live now: the marker when it still describes the binary, else a probe. */
function current() {
  if (!existsSync(binary)) return null;
  if (existsSync(marker)) {
    try {
      const m = JSON.parse(readFileSync(marker, 'utf8'));
      if (m.sha256 === sha256(binary)) return { runtime: m.runtime, abi: m.abi };
    } catch {
      // A marker we cannot read is as good as none: probe instead.
    }
  }
  return probe();
}

// Keyed by better-sqlite3's version too: after an upgrade, an old cached binary would not match the new JS.
const moduleVersion = () => JSON.parse(readFileSync(join(moduleDir, 'package.json'), 'utf8')).version;
const cached = (s) => join(cacheDir, `better-sqlite3-${moduleVersion()}-${s.runtime}-${s.abi}.node`);

function record(s) {
  writeFileSync(marker, `${JSON.stringify({ runtime: s.runtime, abi: s.abi, sha256: sha256(binary) })}\n`);
}

function remember(s) {
  if (s.runtime === 'unknown') return;
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(binary, cached(s));
}

/** Copy then rename, so a process that already loaded the old binary keeps its (unlinked) file intact. */
function install(from) {
  mkdirSync(dirname(binary), { recursive: true });
  const tmp = `${binary}.switchyard-tmp`;
  copyFileSync(from, tmp);
  renameSync(tmp, binary);
}

function run(cmd, args) {
  say(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit', shell: process.platform === 'win32' });
  return r.status === 0;
}

function rebuild(target) {
  if (target.runtime === 'node') return run('npm', ['rebuild', 'better-sqlite3']);
  const require = createRequire(import.meta.url);
  let cli;
  try {
    cli = join(dirname(require.resolve('@electron/rebuild')), 'cli.js');
  } catch {
    fail('@electron/rebuild is not installed (it comes with electron-builder); run npm install');
  }
  return run(process.execPath, [cli, '-f', '-o', 'better-sqlite3']);
}

export function switchTo(runtime, { force = false } = {}) {
  if (!existsSync(moduleDir)) fail('node_modules/better-sqlite3 is missing; run npm install');
  const target = wanted(runtime);
  const live = current();
  if (live && live.runtime === target.runtime && live.abi === target.abi && !force) {
    record(live);
    say(`already built for ${label(target)}`);
    return;
  }
  if (live) remember(live);
  if (!force && existsSync(cached(target))) {
    install(cached(target));
    record(target);
    say(`switched to ${label(target)} (cached build)`);
    return;
  }
  say(`building for ${label(target)}${live ? `; was ${label(live)}` : ''}`);
  if (!rebuild(target)) {
    // A failed build may have wiped build/: put the previous binary back so what worked still works.
    if (live && existsSync(cached(live))) {
      install(cached(live));
      record(live);
      fail(`building better-sqlite3 for ${runtime} failed (output above); kept the ${label(live)} build`);
    }
    fail(`building better-sqlite3 for ${runtime} failed (output above)`);
  }
  const built = probe();
  if (!built || built.runtime !== target.runtime || built.abi !== target.abi) {
    fail(`the rebuilt binary is for ${built ? label(built) : 'an unknown ABI'}, not ${label(target)}`);
  }
  remember(target);
  record(target);
  say(`switched to ${label(target)}`);
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const [runtime, ...flags] = process.argv.slice(2);
  if (runtime === 'status') {
    const live = current();
    say(live ? `built for ${label(live)}` : 'no usable binary');
  } else if (runtime === 'node' || runtime === 'electron') {
    switchTo(runtime, { force: flags.includes('--force') });
  } else {
    fail('usage: node scripts/sqlite-abi.mjs <node|electron|status> [--force]');
  }
}
