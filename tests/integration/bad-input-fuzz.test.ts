/**
 * The bad-input suite: hundreds of bad command lines and bad host calls, each of
 * which must be refused (non-zero exit, or a 4xx) with exactly one line that
 * names the problem: no stack trace, no raw system error, no echo of a huge
 * input, no temp path the user did not give. Afterwards the history is intact.
 *
 * The CLI runs in this process (runCli: the same program `switchyard` runs,
 * without process.exit), so 200 command lines cost no process starts; its
 * output is captured from process.stdout/stderr. The providers and the host are
 * real HTTP servers on loopback, the database a real SQLite file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/index';
import { startHost, type Host } from '../../electron/host/server';
import { MAX_ERROR_LINE } from '../../shared/quote';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { closedPort } from './cli-helpers';
import { cliCases, type CliFixtures } from './fuzz/cli-cases';
import { hostCases } from './fuzz/host-cases';

interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command line in this process against `dataDir`, capturing what it prints. */
async function cli(dataDir: string, args: string[]): Promise<Output> {
  const out: string[] = [];
  const err: string[] = [];
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  const saved = { dir: process.env.SWITCHYARD_DATA_DIR, debug: process.env.SWITCHYARD_DEBUG };
  const capture = (into: string[]) => ((chunk: string | Uint8Array) => (into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')), true)) as typeof process.stdout.write;
  process.env.SWITCHYARD_DATA_DIR = dataDir;
  delete process.env.SWITCHYARD_DEBUG;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  try {
    const code = await runCli(['node', 'switchyard', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    if (saved.dir === undefined) delete process.env.SWITCHYARD_DATA_DIR;
    else process.env.SWITCHYARD_DATA_DIR = saved.dir;
    if (saved.debug !== undefined) process.env.SWITCHYARD_DEBUG = saved.debug;
  }
}

const STACK = [/^\s+at /m, /\bat .*\(.*:\d+:\d+\)/, /node:internal/, /^(\w*Error|Error \[\w+\]):/m, /\bunexpected error\b/];
const RAW = [/\b(ENOENT|EISDIR|EEXIST|EACCES|EPERM|ENOTDIR|EROFS|ENOSPC|ENAMETOOLONG|EPIPE|ERR_[A-Z_]+)\b/, /\berrno\b|\bsyscall\b/, /SQLITE_[A-Z]/, /unable to open database file|attempt to write a readonly database/];

interface Tally {
  tried: number;
  clear: number;
  stackTraces: number;
  rawErrors: number;
}

/** What is wrong with one refusal's line, or [] when it is clear. */
function problems(line: string, opts: { tempRoot: string; mayName?: string }): { stack: boolean; raw: boolean; other: string[] } {
  const stack = STACK.some((re) => re.test(line));
  const named = opts.mayName ? line.split(opts.mayName).join('<given>') : line;
  const raw = RAW.some((re) => re.test(line)) || named.includes(opts.tempRoot);
  const other: string[] = [];
  if (line.includes('\n')) other.push('more than one line');
  if (line.length > MAX_ERROR_LINE + 80) other.push(`a line of ${line.length} characters`);
  if (!line.trim()) other.push('an empty message');
  return { stack, raw, other };
}

function count(t: Tally, p: ReturnType<typeof problems>) {
  t.tried++;
  if (p.stack) t.stackTraces++;
  if (p.raw) t.rawErrors++;
  if (!p.stack && !p.raw && p.other.length === 0) t.clear++;
}

let root: string;
let mock: MockProviders;
let busy: Server;
let fx: CliFixtures;
let host: Host;
let hostData: string;
let runId: string;
const cliTally: Tally = { tried: 0, clear: 0, stackTraces: 0, rawErrors: 0 };
const hostTally: Tally = { tried: 0, clear: 0, stackTraces: 0, rawErrors: 0 };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sy-fuzz-'));
  mock = await startMockProviders({ defaultScript: { tokens: 3 } });
  busy = createServer();
  await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
  const tmp = join(root, 'cli');
  mkdirSync(join(tmp, 'a-folder'), { recursive: true });
  const file = (name: string, text: string) => (writeFileSync(join(tmp, name), text), join(tmp, name));
  const dataDirIsFile = file('data-is-a-file', 'x');
  mkdirSync(join(tmp, 'db-folder', 'switchyard.db'), { recursive: true });
  mkdirSync(join(tmp, 'db-garbage'));
  writeFileSync(join(tmp, 'db-garbage', 'switchyard.db'), Buffer.alloc(8192, 0x5a));
  fx = {
    tmp,
    missingFolderFile: join(tmp, 'no-such-folder', 'out.json'),
    folder: join(tmp, 'a-folder'),
    fileUnderFile: join(tmp, 'not-json.txt', 'out.json'),
    notJson: file('not-json.txt', 'this is not json\n{'),
    wrongShape: file('wrong-shape.json', JSON.stringify({ providers: 'nope', endpoints: [1, 2] })),
    emptyFile: file('empty.json', ''),
    dataDirIsFile,
    dataDirUnderFile: join(dataDirIsFile, 'sub'),
    dbIsFolder: join(tmp, 'db-folder'),
    dbIsGarbage: join(tmp, 'db-garbage'),
    closedUrl: `http://127.0.0.1:${await closedPort()}/api/v1`,
    busyPort: (busy.address() as { port: number }).port,
    tools: {
      badName: file('tools-bad-name.json', JSON.stringify([{ name: 'get weather', parameters: { type: 'object' } }])),
      tooMany: file('tools-129.json', JSON.stringify(Array.from({ length: 129 }, (_, i) => ({ name: `t${i}`, parameters: { type: 'object' } })))),
      hugeSchema: file('tools-huge-schema.json', JSON.stringify([{ name: 'big', parameters: { type: 'object', description: 'x'.repeat(70_000) } }])),
      badSchema: file('schema-bad.json', JSON.stringify({ type: 'nonsense' })),
      good: file('tools-good.json', JSON.stringify([{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }])),
    },
  };
  // One provider and one finished run: what every bad input must leave intact.
  const data = join(tmp, 'data');
  expect((await cli(data, ['providers', 'add', 'mock', '--type', 'openai', '--base-url', mock.baseUrls.openai])).code).toBe(0);
  const run = await cli(data, ['compare', 'hello fuzz', '-m', 'mock:mock-small', '--json']);
  expect(run.code, run.stderr).toBe(0);
  runId = (JSON.parse(run.stdout) as { runId: string }).runId;
  fx.runId = runId;

  hostData = join(root, 'host-data');
  const ui = join(root, 'ui');
  mkdirSync(ui);
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Switchyard</title>');
  host = await startHost({ dataDir: hostData, port: 0, rendererDir: ui, env: {} });
  const saved = await post('/api/rpc/providers:save-provider', { id: 'mock', type: 'openai', baseUrl: mock.baseUrls.openai });
  expect(saved.status).toBe(200);
}, 120_000);

afterAll(async () => {
  console.log(`bad-input suite: CLI tried ${cliTally.tried}, clear ${cliTally.clear}, stack traces: ${cliTally.stackTraces}, raw errors: ${cliTally.rawErrors}`);
  console.log(`bad-input suite: host tried ${hostTally.tried}, clear ${hostTally.clear}, stack traces: ${hostTally.stackTraces}, raw errors: ${hostTally.rawErrors}`);
  await host?.close();
  await mock?.close();
  await new Promise<void>((done) => (busy ? busy.close(() => done()) : done()));
  rmSync(root, { recursive: true, force: true });
});

/**
 * One call on a connection of its own (agent: false), so a case that ends its connection
 * (the body limit) cannot fail the next case on a reused socket.
 */
function post(path: string, body: unknown, init: { method?: string; raw?: boolean } = {}): Promise<{ status: number; text: string }> {
  const method = init.method ?? 'POST';
  const data = method === 'GET' || method === 'DELETE' ? undefined : init.raw ? (body as string) : JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, method, agent: false, headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', (err) => resolve({ status: 0, text: JSON.stringify({ error: `answer cut: ${String(err)}` }) }));
      },
    );
    // A connection cut before the answer: no status, and the case fails with what happened.
    req.on('error', (err) => resolve({ status: 0, text: JSON.stringify({ error: `no answer: ${String(err)}` }) }));
    req.end(data);
  });
}

function integrity(dataDir: string): unknown {
  const db = new Database(join(dataDir, 'switchyard.db'), { readonly: true, fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
}

describe('bad input, fuzzed', () => {
  it('every bad command line: non-zero exit, one clear line, nothing lost', { timeout: 300_000 }, async () => {
    const cases = cliCases(fx);
    expect(cases.length).toBeGreaterThanOrEqual(150);
    for (const c of cases) {
      const r = await cli(c.dataDir ?? join(fx.tmp, 'data'), c.args);
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      const line = lines.join('\n');
      const p = problems(line, { tempRoot: root, mayName: c.mayName });
      if (lines.length !== 1) p.other.push(`${lines.length} lines on stderr`);
      if (!/^switchyard: /.test(lines[0] ?? '')) p.other.push('not a "switchyard: …" line');
      if (r.code === 0) p.other.push('exit status 0');
      if (c.says && !c.says.test(line)) p.other.push(`does not say ${c.says}`);
      count(cliTally, p);
      expect.soft({ case: c.name, stack: p.stack, raw: p.raw, problems: p.other }, `${c.name} (exit ${r.code}): ${line.slice(0, 600)}`).toEqual({ case: c.name, stack: false, raw: false, problems: [] });
    }
    expect(cliTally).toMatchObject({ tried: cases.length, clear: cases.length, stackTraces: 0, rawErrors: 0 });

    const after = await cli(join(fx.tmp, 'data'), ['history', 'list', '--json']);
    expect(after.code, after.stderr).toBe(0);
    const runs = JSON.parse(after.stdout) as Array<{ runId: string; status: string }>;
    expect(runs.map((x) => x.runId)).toEqual([runId]);
    const show = await cli(join(fx.tmp, 'data'), ['history', 'show', runId, '--json']);
    expect(show.code, show.stderr).toBe(0);
    expect(integrity(join(fx.tmp, 'data'))).toBe('ok');
  });

  it('every bad host call: a 4xx with a one-line error, nothing lost', { timeout: 300_000 }, async () => {
    const cases = hostCases();
    expect(cases.length).toBeGreaterThanOrEqual(100);
    for (const c of cases) {
      const r = await post(c.path, c.body, { method: c.method, raw: c.raw });
      let error = '';
      try {
        error = String((JSON.parse(r.text) as { error?: unknown }).error ?? '');
      } catch {
        error = r.text;
      }
      const p = problems(error, { tempRoot: root });
      if (r.status < 400 || r.status > 499) p.other.push(`status ${r.status}`);
      if (!error) p.other.push('no error in the body');
      count(hostTally, p);
      expect.soft({ case: c.name, stack: p.stack, raw: p.raw, problems: p.other }, `${c.name} (${r.status}): ${error.slice(0, 600)}`).toEqual({ case: c.name, stack: false, raw: false, problems: [] });
    }
    expect(hostTally).toMatchObject({ tried: cases.length, clear: cases.length, stackTraces: 0, rawErrors: 0 });

    // Nothing bad was stored: the model sets are empty, the provider unchanged, history readable.
    const settings = JSON.parse((await post('/api/rpc/settings:get-settings', {})).text) as { modelSets: unknown[] };
    expect(settings.modelSets).toEqual([]);
    const providers = JSON.parse((await post('/api/rpc/providers:list-providers', {})).text) as Array<{ id: string; type: string }>;
    expect(providers.map((p) => [p.id, p.type])).toEqual([['mock', 'openai']]);
    const list = await post('/api/rpc/history:list-runs', {});
    expect(list.status).toBe(200);
    expect(integrity(hostData)).toBe('ok');
  });

  it('providers add changes the type of an existing provider only with --replace', async () => {
    const dir = join(root, 'replace');
    expect((await cli(dir, ['providers', 'add', 'p', '--type', 'openai', '--base-url', mock.baseUrls.openai])).code).toBe(0);
    const refused = await cli(dir, ['providers', 'add', 'p', '--type', 'anthropic']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('switchyard: provider "p" already exists with --type openai: pass --replace to change it to anthropic\n');
    const same = await cli(dir, ['providers', 'add', 'p', '--type', 'openai']);
    expect(same.code, same.stderr).toBe(0);
    const replaced = await cli(dir, ['providers', 'add', 'p', '--type', 'anthropic', '--replace']);
    expect(replaced.code, replaced.stderr).toBe(0);
    const list = JSON.parse((await cli(dir, ['providers', 'list', '--json'])).stdout) as Array<{ id: string; type: string }>;
    expect(list.map((p) => [p.id, p.type])).toEqual([['p', 'anthropic']]);
  });
});

