/**
 * The command's start-up: the built bundle (`dist/cli/switchyard.mjs`, what `npm link` and a global
 * install run through bin/switchyard.js) against `node -e 0` on the same machine, in the same rounds.
 * Each round runs every command once, in turn, so load that comes and goes hits them all alike.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface CliBench {
  rounds: number;
  /** Medians, in ms, of one start to exit. */
  nodeMs: number;
  versionMs: number;
  historyListMs: number;
  providersListMs: number;
  /** bin/switchyard.js --version: the bundle behind its freshness check (what a linked `switchyard` runs). */
  binVersionMs: number;
  /** `npx switchyard --version`, fewer rounds: npm's own start-up. */
  npxVersionMs: number;
  /** Median over rounds of (command - node) within the round. */
  versionAddedMs: number;
  historyListAddedMs: number;
  providersListAddedMs: number;
  /** `uptime`'s load averages when the section ran. */
  load: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function benchCli(rounds = 20): Promise<CliBench> {
  // The bundle as this checkout builds it now (a second or so).
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { stdio: 'ignore' });
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-bench-cli-'));
  const env = { ...process.env, SWITCHYARD_DATA_DIR: dataDir };
  const bundle = 'dist/cli/switchyard.mjs';
  const commands: Record<string, { cmd: string; args: string[] }> = {
    node: { cmd: process.execPath, args: ['-e', '0'] },
    version: { cmd: process.execPath, args: [bundle, '--version'] },
    historyList: { cmd: process.execPath, args: [bundle, 'history', 'list', '--limit', '1'] },
    providersList: { cmd: process.execPath, args: [bundle, 'providers', 'list'] },
    binVersion: { cmd: process.execPath, args: ['bin/switchyard.js', '--version'] },
  };
  const time = (c: { cmd: string; args: string[] }) => {
    const t0 = performance.now();
    const r = spawnSync(c.cmd, c.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${[c.cmd, ...c.args].join(' ')} exited ${r.status}: ${String(r.stderr).trim()}`);
    return ms;
  };
  try {
    // The first start creates the database and warms the page cache; not measured.
    for (const c of Object.values(commands)) time(c);
    const t: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    const added: Record<string, number[]> = { version: [], historyList: [], providersList: [] };
    for (let i = 0; i < rounds; i++) {
      const round: Record<string, number> = {};
      for (const [k, c] of Object.entries(commands)) t[k]!.push((round[k] = time(c)));
      for (const k of Object.keys(added)) added[k]!.push(round[k]! - round.node!);
    }
    const npx: number[] = [];
    for (let i = 0; i < 5; i++) npx.push(time({ cmd: 'npx', args: ['switchyard', '--version'] }));
    const load = spawnSync('uptime', { encoding: 'utf8' }).stdout?.match(/load averages?: (.*)$/m)?.[1]?.trim() ?? 'unknown';
    return {
      rounds,
      nodeMs: median(t.node!), versionMs: median(t.version!), historyListMs: median(t.historyList!), providersListMs: median(t.providersList!),
      binVersionMs: median(t.binVersion!), npxVersionMs: median(npx),
      versionAddedMs: median(added.version!), historyListAddedMs: median(added.historyList!), providersListAddedMs: median(added.providersList!),
      load,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
