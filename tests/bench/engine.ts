/**
 * The engine as a measuring instrument: its full path (adapter, bookkeeping,
 * SQLite persistence) against a raw `fetch` + hand-split client over the same
 * loopback mock, in the same run, alternating rounds so machine noise hits both.
 * The mock runs in a child process so it does not share the engine's event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openAppContext } from '../../electron/app/context';

export interface StreamBench {
  streams: number;
  tokens: number;
  rounds: number;
  rawWallMs: number;
  engineWallMs: number;
  wallRatio: number;
  rawTtftMedianMs: number;
  engineTtftMedianMs: number;
  /**
   * TTFT the engine adds: the median over rounds of (engine median - raw median)
   * within a round, where both ran back to back. Pairing cancels the drift
   * between rounds that dominates 16-stream TTFTs on a shared machine.
   */
  ttftAddedMs: number;
  /** The same from the medians of all samples pooled (engine minus raw): the cruder estimate, kept for comparison. */
  pooledTtftAddedMs: number;
  /** The work a run leaves for after it has returned (the full-text index of its answers), timed apart. */
  afterRunMs: number;
}

export interface SwitchBench {
  samples: number;
  engineMedianMs: number;
  engineP95Ms: number;
  rawMedianMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function startMockChild(options: object): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/mocks/run-mock.ts'], {
    env: { ...process.env, MOCK_PROVIDERS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n')[0];
      if (buf.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`mock exited early (${code})`)));
  });
  return { url, child };
}

/** The baseline: what any client must do at least — fetch, split frames by hand, JSON.parse each. */
export async function rawStream(base: string, model: string): Promise<{ ttft: number; total: number; chars: number }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: JSON.stringify({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'bench' }] }),
  });
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  let ttft = -1;
  let chars = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (!frame.startsWith('data: ') || frame === 'data: [DONE]') continue;
      const j = JSON.parse(frame.slice(6)) as { choices?: Array<{ delta?: { content?: string } }> };
      const c = j.choices?.[0]?.delta?.content;
      if (c) {
        if (ttft < 0) ttft = performance.now() - t0;
        chars += c.length;
      }
    }
  }
  return { ttft, total: performance.now() - t0, chars };
}

export async function benchStreams(streams: number, tokens: number, rounds: number): Promise<StreamBench> {
  const { url, child } = await startMockChild({ defaultScript: { tokens } });
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-bench-'));
  const ctx = openAppContext({ dataDir, env: { BENCH_KEY: 'sk-bench' } });
  try {
    await ctx.providers.save({ id: 'mock', type: 'openai', baseUrl: `${url}/v1`, apiKeyEnv: ['BENCH_KEY'] });
    const targets = Array.from({ length: streams }, () => 'mock:bench-model');
    const request = { messages: [{ role: 'user' as const, content: 'bench' }], targets };
    const raw = async () => {
      const t0 = performance.now();
      const rs = await Promise.all(targets.map(() => rawStream(`${url}/v1`, 'bench-model')));
      return { wall: performance.now() - t0, ttfts: rs.map((r) => r.ttft) };
    };
    const afterRun: number[] = [];
    const eng = async () => {
      const t0 = performance.now();
      const r = await ctx.engine.compare(request);
      const wall = performance.now() - t0;
      if (r.columns.some((c) => c.status !== 'ok')) throw new Error(`bench column failed: ${r.columns.find((c) => c.status !== 'ok')?.error}`);
      // What the engine leaves for after a run (the full-text index) is done here, timed apart, so it
      // lands in neither this round's wall nor the raw client's next round.
      const t1 = performance.now();
      ctx.engine.flushDeferred();
      afterRun.push(performance.now() - t1);
      return { wall, ttfts: r.columns.map((c) => c.metrics.ttftMs ?? NaN) };
    };
    // Warm-up: JIT tiers, the connection pool and SQLite's page cache settle over a few rounds, not one.
    for (let i = 0; i < 3; i++) {
      await raw();
      await eng();
    }
    const rawWalls: number[] = [], engWalls: number[] = [], rawT: number[] = [], engT: number[] = [], ratios: number[] = [], added: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const first = i % 2 === 0 ? raw : eng;
      const second = i % 2 === 0 ? eng : raw;
      const a = await first();
      const b = await second();
      const [r, e] = i % 2 === 0 ? [a, b] : [b, a];
      rawWalls.push(r.wall);
      engWalls.push(e.wall);
      ratios.push(e.wall / r.wall);
      rawT.push(...r.ttfts);
      engT.push(...e.ttfts);
      added.push(median(e.ttfts) - median(r.ttfts));
    }
    const rawTtft = median(rawT);
    const engTtft = median(engT);
    return {
      streams, tokens, rounds,
      rawWallMs: median(rawWalls), engineWallMs: median(engWalls), wallRatio: median(ratios),
      rawTtftMedianMs: rawTtft, engineTtftMedianMs: engTtft, ttftAddedMs: median(added), pooledTtftAddedMs: engTtft - rawTtft,
      afterRunMs: median(afterRun),
    };
  } finally {
    await ctx.close();
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Failover switch time: error seen -> next request sent, backoff excluded (5xx moves on at once). */
export async function benchFailoverSwitch(samples: number): Promise<SwitchBench> {
  const { url, child } = await startMockChild({ scripts: { broken: { fault: 'server_500' } }, defaultScript: { tokens: 5 } });
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-bench-'));
  const switches: number[] = [];
  const ctx = openAppContext({ dataDir, env: {}, hooks: { onSwitch: (seen, sent) => switches.push(sent - seen) } });
  try {
    for (let i = 0; i < samples; i++) {
      // Fresh provider ids each time so breakers and health never skip the broken endpoint.
      await ctx.providers.save({ id: `bad${i}`, type: 'openai', baseUrl: `${url}/v1`, serves: [{ modelId: `bench/m${i}`, upstreamModel: 'broken' }] });
      await ctx.providers.save({ id: `good${i}`, type: 'openai', baseUrl: `${url}/v1`, serves: [{ modelId: `bench/m${i}`, upstreamModel: 'fine' }] });
      const r = await ctx.engine.compare({ messages: [{ role: 'user', content: 'x' }], targets: [`bench/m${i}`], routing: { strategy: 'order', order: [`bad${i}`, `good${i}`] } });
      if (r.columns[0]!.status !== 'ok' || !r.columns[0]!.fellBack) throw new Error('failover bench did not fail over');
    }
    const raw: number[] = [];
    for (let i = 0; i < samples; i++) {
      const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'broken', stream: true, messages: [] }) });
      await res.text();
      const seen = performance.now();
      const next = fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'fine', stream: true, messages: [{ role: 'user', content: 'x' }] }) });
      raw.push(performance.now() - seen);
      await (await next).text();
    }
    return { samples: switches.length, engineMedianMs: median(switches.slice(3)), engineP95Ms: pct(switches.slice(3), 95), rawMedianMs: median(raw.slice(3)) };
  } finally {
    await ctx.close();
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
