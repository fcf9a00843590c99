/**
 * Pre-flight estimates of 1 MB prompts of any content, through the real host
 * (`switchyard serve`, a process of its own, so the bench's own client work is
 * not counted against it) over HTTP as the UI calls them, against the plain gpt-tokenizer count of
 * 1 MB of normal text measured in the same run. Target: every estimate under
 * 100 ms, and the host answering a trivial call while a pathological one counts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { startMockProviders } from '../mocks/provider-server';
import type { Estimate } from '../../shared/contract';

/** A megabyte of prompt, as UTF-8 on the wire (the host takes bodies up to 2 MiB). */
const MB = 1_000_000;
const ROUNDS = 7;

/** Real text that no merge cache has seen: the repository's own sources and docs, in order, to 1 MB. */
function normalText(): string {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx|md|css)$/.test(name)) files.push(p);
    }
  };
  for (const d of ['electron', 'shared', 'renderer', 'tests']) walk(d);
  let text = readFileSync('README.md', 'utf8');
  for (const f of files) {
    if (text.length >= MB) break;
    text += '\n' + readFileSync(f, 'utf8');
  }
  return text.slice(0, MB);
}

/** `s` repeated to 1 MB of UTF-8 (a CJK megabyte is ~333,000 characters). */
function fill(s: string): string {
  const perRepeat = Buffer.byteLength(s);
  return s.repeat(Math.floor(MB / perRepeat));
}

export interface EstimateBench {
  baselineMs: number;
  cases: Array<{ name: string; medianMs: number; maxMs: number; upperBound: boolean; inputTokens: number }>;
  pingIdleMs: number;
  pingDuringMs: number;
  pingAnsweredFirst: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchEstimate(): Promise<EstimateBench> {
  const normal = normalText();
  const require = createRequire(import.meta.url);
  const plain = require('gpt-tokenizer/cjs/encoding/o200k_base') as { countTokens(t: string, o: object): number; clearMergeCache(): void };
  const opts = { disallowedSpecial: new Set() };
  plain.countTokens('warm up', opts);
  const base: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    plain.clearMergeCache();
    const t = performance.now();
    plain.countTokens(normal, opts);
    base.push(performance.now() - t);
  }

  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-estimate-'));
  const mock = await startMockProviders({});
  const env = { ...process.env, SWITCHYARD_DATA_DIR: join(dir, 'data') };
  const cli = ['--import', 'tsx', 'electron/cli/index.ts'];
  execFileSync(process.execPath, [...cli, 'providers', 'add', 'mock', '--type', 'openai', '--base-url', mock.baseUrls.openai, '--serve', 'openai/gpt-4o-mini=gpt-4o-mini'], { env, stdio: 'ignore' });
  let child: ChildProcess | null = null;
  try {
    child = spawn(process.execPath, [...cli, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const { port, token } = await new Promise<{ port: string; token: string }>((resolve, reject) => {
      let out = '';
      child!.stdout!.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        const m = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+)/.exec(out);
        if (m) resolve({ port: m[1]!, token: m[2]! });
      });
      child!.once('exit', (code) => reject(new Error(`switchyard serve exited (${code}) before printing its URL: ${out}`)));
    });
    const call = async (channel: string, body: unknown) => {
      // Serialised before the request: the host's time, not the client's stringify, is what is measured.
      const payload = typeof body === 'string' ? body : JSON.stringify(body);
      const r = await fetch(`http://127.0.0.1:${port}/api/rpc/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: payload });
      if (r.status !== 200) throw new Error(`${channel}: ${r.status} ${await r.text()}`);
      return r.json() as Promise<unknown>;
    };
    const body = (content: string) => JSON.stringify({ messages: [{ role: 'user', content }], targets: ['openai/gpt-4o-mini'] });
    const estimate = (payload: string) => call('compare:estimate-run', payload) as Promise<Estimate>;
    await estimate(body('warm the token worker'));

    const inputs: Record<string, string> = {
      'repeated one character': 'a'.repeat(MB),
      'repeated short pattern ("ab")': fill('ab'),
      'random base64': randomBytes(Math.ceil((MB * 3) / 4)).toString('base64').slice(0, MB),
      'one huge word (random letters)': randomBytes(MB).toString('base64').replace(/[^a-z]/g, '').repeat(4).slice(0, MB),
      'normal text (repo sources and docs)': normal,
      'CJK (a repeated paragraph)': fill('東京タワーは高い。日本語の文章です。中文也可以，句子很长。한국어도 됩니다. '),
    };
    const cases: EstimateBench['cases'] = [];
    for (const [name, text] of Object.entries(inputs)) {
      const times: number[] = [];
      let last: Estimate | null = null;
      for (let i = 0; i < ROUNDS; i++) {
        // A different first character each round: nothing of an earlier count can be resumed.
        const payload = body(String.fromCharCode(0x41 + i) + text.slice(1));
        const t = performance.now();
        last = await estimate(payload);
        times.push(performance.now() - t);
      }
      cases.push({ name, medianMs: median(times), maxMs: Math.max(...times), upperBound: last!.upperBound, inputTokens: last!.columns[0]!.inputTokens });
    }
    // Typing at the end of a 1 MB prompt: each estimate resumes the previous count.
    {
      const times: number[] = [];
      let last: Estimate | null = null;
      let text = normal;
      for (let i = 0; i < ROUNDS; i++) {
        text += ` word${i}`;
        const payload = body(text);
        const t = performance.now();
        last = await estimate(payload);
        times.push(performance.now() - t);
      }
      cases.push({ name: 'normal text, typing at its end (one estimate per word)', medianMs: median(times), maxMs: Math.max(...times), upperBound: last!.upperBound, inputTokens: last!.columns[0]!.inputTokens });
    }

    const ping = () => call('providers:list-providers', {});
    const idle: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      await ping();
      idle.push(performance.now() - t);
    }
    // A trivial call sent while a pathological estimate counts: its latency, and whether it came back first.
    const during: number[] = [];
    let first = true;
    const pathological = body(inputs['random base64']!);
    for (let i = 0; i < ROUNDS; i++) {
      const order: string[] = [];
      const est = estimate(pathological).then(() => order.push('estimate'));
      const t = performance.now();
      await ping();
      during.push(performance.now() - t);
      order.push('ping');
      await est;
      first &&= order[0] === 'ping';
    }
    return { baselineMs: median(base), cases, pingIdleMs: median(idle), pingDuringMs: median(during), pingAnsweredFirst: first };
  } finally {
    child?.kill();
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
