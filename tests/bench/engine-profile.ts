/**
 * The engine's side of the 16-stream bench round alone, for a CPU profile:
 *   node --import tsx --cpu-prof --cpu-prof-dir=.bench/prof tests/bench/engine-profile.ts [streams] [rounds]
 * The mock runs in a child process, so the profile holds only the engine's own work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openAppContext } from '../../electron/app/context';
import { startMockChild } from './engine';

const streams = Number(process.argv[2] ?? 16);
const rounds = Number(process.argv[3] ?? 40);
const { url, child } = await startMockChild({ defaultScript: { tokens: 500 } });
const dataDir = mkdtempSync(join(tmpdir(), 'sy-bench-prof-'));
const ctx = openAppContext({ dataDir, env: { BENCH_KEY: 'sk-bench' } });
try {
  await ctx.providers.save({ id: 'mock', type: 'openai', baseUrl: `${url}/v1`, apiKeyEnv: ['BENCH_KEY'] });
  const request = { messages: [{ role: 'user' as const, content: 'bench' }], targets: Array.from({ length: streams }, () => 'mock:bench-model') };
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await ctx.engine.compare(request);
  process.stderr.write(`${rounds} rounds of ${streams} streams in ${(performance.now() - t0).toFixed(0)} ms\n`);
} finally {
  await ctx.close();
  child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
