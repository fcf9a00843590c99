#!/usr/bin/env node
// Runs the bundled CLI when it is built and newer than every source file, else the
// TypeScript source through tsx, so `npx switchyard` works straight after
// `npm install` and never runs a stale bundle during development.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'switchyard.mjs');
const source = join(root, 'electron', 'cli', 'index.ts');

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const fresh = existsSync(bundle) && statSync(bundle).mtimeMs >= Math.max(newestSource(join(root, 'electron')), newestSource(join(root, 'shared')));
if (!fresh) (await import('tsx/esm/api')).register();
const { main } = await import(pathToFileURL(fresh ? bundle : source).href);
await main(process.argv);
