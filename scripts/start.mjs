#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run, else the headless host in the browser.
//   npm start [-- serve options, e.g. --port 8080]
// Desktop: builds what is stale, switches better-sqlite3 to Electron's ABI, runs Electron on
// dist/electron/main.cjs, and switches back to Node's ABI when the app exits (tests and the CLI
// need it). Anything missing (binary, display, a native build) falls back to the headless host,
// with the reason in one line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { desktopUnavailableReason, electronBinary } from './lib/electron-env.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => join(repo, p);
const passthrough = process.argv.slice(2);

function newestMtime(paths) {
  let newest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules') walk(join(p, name));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach((p) => walk(at(p)));
  return newest;
}

const mtime = (p) => (existsSync(at(p)) ? statSync(at(p)).mtimeMs : 0);

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit', shell: process.platform === 'win32' && cmd === 'npm' });
  return r.status === 0;
}

function buildRendererIfStale() {
  if (mtime('dist/renderer/index.html') >= newestMtime(['renderer', 'shared', 'vite.config.ts'])) return true;
  console.log('start: building the renderer (sources changed since the last build)');
  return step('npm', ['run', '--silent', 'build:renderer']);
}

/** Resolves with the child's exit code; Ctrl+C reaches the child through the terminal, so only wait for it here. */
function runChild(cmd, args, env = process.env) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: repo, stdio: 'inherit', env });
    const ignore = () => {};
    process.on('SIGINT', ignore);
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

async function desktop() {
  if (!buildRendererIfStale()) return 'building the renderer failed (output above)';
  if (!step(process.execPath, [at('scripts/build-node.mjs')])) return 'building the main process failed (output above)';
  if (!step(process.execPath, [at('scripts/sqlite-abi.mjs'), 'electron'])) return "better-sqlite3 could not be built for Electron's ABI (output above)";
  const bin = electronBinary(repo);
  const env = { ...process.env };
  // Set by some shells and CI images; it would make Electron run as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  const code = await runChild(bin, [repo], env);
  console.log('start: the desktop app exited; switching better-sqlite3 back to the Node ABI for tests and the CLI');
  step(process.execPath, [at('scripts/sqlite-abi.mjs'), 'node']);
  process.exit(code);
}

async function headless(reason) {
  console.log(`start: desktop app not started: ${reason}; starting the headless host instead (open the URL it prints).`);
  if (!step(process.execPath, [at('scripts/sqlite-abi.mjs'), 'node'])) process.exit(1);
  if (!buildRendererIfStale()) process.exit(1);
  process.exit(await runChild(process.execPath, ['--import', 'tsx', at('electron/cli/index.ts'), 'serve', ...passthrough]));
}

const reason = desktopUnavailableReason(repo);
if (reason) await headless(reason);
else {
  const failed = await desktop();
  if (failed) await headless(failed);
}
