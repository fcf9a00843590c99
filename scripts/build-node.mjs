#!/usr/bin/env node
// Bundles the Node-side entry points with esbuild:
//   electron/main.ts      -> dist/electron/main.cjs     (Electron main; electron + better-sqlite3 stay external)
//   electron/preload.ts   -> dist/electron/preload.cjs  (sandboxed preload: may require only 'electron')
//   electron/cli/index.ts -> dist/cli/switchyard.mjs    (the `switchyard` command, split in lazily imported chunks)
// plus the shipped catalog next to each bundle that loads it.
// Fails loudly: a missing entry, an esbuild warning or a preload that would need more than 'electron' stops the build.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => join(repo, p);

// Electron 45 runs Node 22 and Chromium 140.
const ELECTRON_NODE = 'node22';
const ELECTRON_CHROME = 'chrome140';
const CHANNELS_MODULE = at('electron/shell/channels.ts');
const CATALOG = at('electron/engine/catalog/data/catalog.json');

function fail(message) {
  console.error(`build-node: ${message}`);
  process.exit(1);
}

for (const entry of ['electron/main.ts', 'electron/preload.ts', 'electron/cli/index.ts', 'electron/shell/channels.ts']) {
  if (!existsSync(at(entry))) fail(`missing ${entry}`);
}
if (!existsSync(CATALOG)) fail(`missing ${relative(repo, CATALOG)}: run \`node scripts/build-catalog.mjs\` first`);

/** Evaluates the contract once, here, so the preload gets a plain channel map instead of zod and every schema. */
async function channelMapSource() {
  const out = await esbuild.build({
    entryPoints: [CHANNELS_MODULE],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].text;
  const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  const map = mod.buildChannelMap();
  return `export const channels = Object.freeze(${JSON.stringify(map)});\nexport function buildChannelMap() { return channels; }\n`;
}

const channelsSource = await channelMapSource();
const plainChannels = {
  name: 'plain-channel-map',
  setup(build) {
    build.onLoad({ filter: /[\\/]electron[\\/]shell[\\/]channels\.ts$/ }, (args) =>
      resolve(args.path) === CHANNELS_MODULE ? { contents: channelsSource, loader: 'js' } : undefined,
    );
  },
};

const common = { bundle: true, sourcemap: 'linked', logLevel: 'warning', metafile: true, legalComments: 'none' };

async function build(options) {
  const result = await esbuild.build({ ...common, ...options });
  if (result.warnings.length > 0) fail(`${result.warnings.length} warning(s) building ${options.outfile}; fix them (see above)`);
  return result;
}

// Chunk names carry their content's hash: drop the previous build's, so none is left that nothing imports.
if (existsSync(at('dist/cli'))) {
  for (const f of readdirSync(at('dist/cli'))) if (/^chunk-.*\.mjs(\.map)?$/.test(f)) rmSync(join(at('dist/cli'), f));
}

const builds = await Promise.allSettled([
  build({
    entryPoints: [at('electron/main.ts')],
    outfile: at('dist/electron/main.cjs'),
    format: 'cjs',
    platform: 'node',
    target: ELECTRON_NODE,
    external: ['electron', 'better-sqlite3'],
    // Engine code finds shipped files with `new URL(..., import.meta.url)`; CJS has no import.meta, so give it the bundle's own URL.
    define: { 'import.meta.url': '__switchyard_import_meta_url' },
    banner: { js: 'const __switchyard_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  }),
  build({
    entryPoints: [at('electron/preload.ts')],
    outfile: at('dist/electron/preload.cjs'),
    format: 'cjs',
    // A sandboxed preload has no Node built-ins: 'browser' makes any accidental node import a build error.
    platform: 'browser',
    target: ELECTRON_CHROME,
    external: ['electron'],
    plugins: [plainChannels],
  }),
  // The CLI starts once per command, so its start-up is its speed: split into chunks that each command
  // imports when it runs (`switchyard --version` loads neither SQLite nor the engine), with the pure-JS
  // packages bundled in (resolving and linking zod's hundreds of files as modules cost ~100 ms a start).
  // Chunks sit beside the entry: engine code finds its shipped files from its own import.meta.url.
  build({
    entryPoints: { switchyard: at('electron/cli/index.ts') },
    outdir: at('dist/cli'),
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Native (better-sqlite3) or loaded by path at run time (gpt-tokenizer's encodings, from the token worker too).
    external: ['better-sqlite3', 'gpt-tokenizer', 'gpt-tokenizer/*'],
    banner: { js: "import { createRequire as __switchyardCreateRequire } from 'node:module';\nconst require = __switchyardCreateRequire(import.meta.url);" },
  }),
]);
const failed = builds.filter((b) => b.status === 'rejected');
// esbuild has already printed each error with its location.
if (failed.length > 0) fail(`${failed.length} of ${builds.length} bundles failed (errors above)`);

// The preload runs in the renderer's process: hold it to "only electron, no schemas".
const preloadMeta = builds[1].value.metafile;
const preloadInputs = Object.keys(preloadMeta.inputs);
const heavy = preloadInputs.filter((p) => p.includes('node_modules/') || p.startsWith('shared/'));
if (heavy.length > 0) fail(`preload bundles modules it must not carry:\n  ${heavy.join('\n  ')}`);
for (const output of Object.values(preloadMeta.outputs)) {
  const foreign = output.imports.filter((i) => i.external && i.path !== 'electron').map((i) => i.path);
  if (foreign.length > 0) fail(`preload requires ${foreign.join(', ')}; a sandboxed preload can only require 'electron'`);
}

for (const dir of ['dist/electron/data', 'dist/cli/data']) {
  mkdirSync(at(dir), { recursive: true });
  copyFileSync(CATALOG, join(at(dir), 'catalog.json'));
}
// tokens.ts and the store's checkpointer start their workers from files beside the module that loads them
// (the token worker imports token-count.mjs from beside itself).
for (const dir of ['dist/electron', 'dist/cli']) {
  copyFileSync(at('electron/engine/token-worker.mjs'), join(at(dir), 'token-worker.mjs'));
  copyFileSync(at('electron/engine/token-count.mjs'), join(at(dir), 'token-count.mjs'));
  copyFileSync(at('electron/store/checkpoint-worker.mjs'), join(at(dir), 'checkpoint-worker.mjs'));
}

for (const b of builds) {
  const outputs = Object.entries(b.value.metafile.outputs).filter(([file]) => !file.endsWith('.map'));
  const chunks = outputs.filter(([file]) => /[\\/]chunk-[^\\/]+$/.test(file));
  for (const [file, { bytes }] of outputs) if (!chunks.some(([c]) => c === file)) console.log(`  ${file}  ${(bytes / 1024).toFixed(1)} kB`);
  if (chunks.length > 0) {
    const kb = chunks.reduce((n, [, o]) => n + o.bytes, 0) / 1024;
    console.log(`    + ${chunks.length} chunks it imports as commands need them, ${kb.toFixed(1)} kB`);
  }
}
