/**
 * `npm run bench`: every speed target of the project, each as a ratio or a
 * difference against a baseline measured in the same run (this machine is
 * shared and noisy; absolute numbers alone would mean little).
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { benchFailoverSwitch, benchStreams } from './engine';

type Row = { name: string; value: string; target: string; pass: boolean | null };
const rows: Row[] = [];
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
const f = (n: number, d = 2) => n.toFixed(d);
const only = process.argv.slice(2);
const want = (k: string) => only.length === 0 || only.includes(k);

async function section(key: string, fn: () => Promise<void>) {
  if (!want(key)) return;
  process.stderr.write(`bench: ${key}…\n`);
  try {
    await fn();
  } catch (err) {
    rows.push({ name: key, value: `failed: ${err instanceof Error ? err.message : String(err)}`, target: '', pass: false });
  }
}

await section('engine', async () => {
  for (const streams of [1, 16]) {
    // 16 concurrent TTFTs swing by several ms from round to round here: enough rounds to resolve the 1 ms target.
    const r = await benchStreams(streams, 500, streams === 1 ? 15 : 41);
    results[`engine_${streams}`] = r;
    rows.push({ name: `engine vs raw fetch, ${streams} stream(s) x 500 tokens: wall`, value: `${f(r.wallRatio)}x (${f(r.engineWallMs, 1)} vs ${f(r.rawWallMs, 1)} ms)`, target: streams === 16 ? '<= 1.20x' : '', pass: streams === 16 ? r.wallRatio <= 1.2 : null });
    rows.push({ name: `engine vs raw fetch, ${streams} stream(s): TTFT median added`, value: `${f(r.ttftAddedMs)} ms paired per round (pooled ${f(r.pooledTtftAddedMs)} ms: ${f(r.engineTtftMedianMs)} vs ${f(r.rawTtftMedianMs)} ms)`, target: '<= 1 ms', pass: r.ttftAddedMs <= 1 });
  }
});

await section('failover', async () => {
  const r = await benchFailoverSwitch(40);
  results.failover = r;
  rows.push({ name: 'failover switch (error seen -> next request sent)', value: `${f(r.engineMedianMs, 3)} ms median, p95 ${f(r.engineP95Ms, 3)} ms (raw client ${f(r.rawMedianMs, 3)} ms)`, target: '< 5 ms median', pass: r.engineMedianMs < 5 });
});

await section('routing', async () => {
  const { benchRouting } = await import('./routing');
  const r = await benchRouting();
  results.routing = r;
  rows.push({ name: r.name, value: `${f(r.medianMs, 4)} ms median (baseline ${f(r.baselineMedianMs, 4)} ms, ${f(r.ratio)}x)`, target: '< 0.1 ms median', pass: r.medianMs < 0.1 });
});

await section('catalog', async () => {
  const { benchCatalogSearch } = await import('./catalog-search');
  const r = await benchCatalogSearch();
  results.catalog = r;
  rows.push({ name: r.name, value: `${f(r.medianMs, 3)} ms median, p95 ${f(r.p95Ms, 3)} ms (naive filter ${f(r.baselineMedianMs, 3)} ms)`, target: '< 20 ms median', pass: r.medianMs < 20 });
});

await section('estimate', async () => {
  const { benchEstimate } = await import('./estimate');
  const r = await benchEstimate();
  results.estimate = r;
  rows.push({ name: 'baseline: plain gpt-tokenizer count of 1 MB normal text (in-process, cold merge cache)', value: `${f(r.baselineMs, 1)} ms median`, target: '', pass: null });
  for (const c of r.cases) {
    rows.push({ name: `estimate over HTTP, 1 MB ${c.name}`, value: `${f(c.medianMs, 1)} ms median, max ${f(c.maxMs, 1)} ms (${c.upperBound ? 'at most' : 'exactly'} ${c.inputTokens} tokens)`, target: '< 100 ms', pass: c.maxMs < 100 });
  }
  rows.push({ name: 'host: trivial call while a 1 MB pathological estimate counts', value: `${f(r.pingDuringMs, 1)} ms median (idle ${f(r.pingIdleMs, 1)} ms); answered before the estimate: ${r.pingAnsweredFirst ? 'every time' : 'NOT always'}`, target: 'answered first', pass: r.pingAnsweredFirst });
});

await section('ui', async () => {
  if (!existsSync('dist/renderer/index.html')) throw new Error('dist/renderer missing: run npm run build:renderer first');
  const { benchUiStream } = await import('./ui-stream');
  const r = await benchUiStream();
  results.ui = r;
  rows.push({ name: 'UI: 16 columns x 100 tok/s in Chromium: long tasks > 50 ms', value: `${r.longTasksOver50ms} (max ${f(r.maxLongTaskMs, 1)} ms)`, target: '0', pass: r.longTasksOver50ms === 0 });
  rows.push({ name: 'UI: frame time p95', value: `${f(r.p95FrameMs, 1)} ms (${r.framesOver16ms} of ${r.frames} frames over 16 ms)`, target: '< 20 ms', pass: r.p95FrameMs < 20 });
});

const w = Math.max(...rows.map((r) => r.name.length));
process.stdout.write(`\nSwitchyard bench — ${results.date as string} — node ${process.version}\n\n`);
for (const r of rows) process.stdout.write(`${r.pass === null ? '    ' : r.pass ? 'PASS' : 'MISS'}  ${r.name.padEnd(w)}  ${r.value}${r.target ? `  [target ${r.target}]` : ''}\n`);
mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/results.json', JSON.stringify({ ...results, rows }, null, 2));
process.stdout.write('\nfull results: .bench/results.json\n');
