/**
 * An upstream that echoes the credential back (in its error body, a response
 * header, the status line, an in-band stream error) must not get the key into
 * anything Switchyard keeps or shows. Distinctive keys in each protocol go
 * through the real CLI, the headless host (RPC and SSE) and the desktop app's
 * handlers with a keychain key, against the mock providers' reflect faults;
 * then every file of the data directory and every byte of output is searched
 * for each key in every spelling.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { openAppContext } from '../../electron/app/context';
import { createApp } from '../../electron/app/services';
import type { KeyVault } from '../../electron/engine/keys';
import { startHost, type Host } from '../../electron/host/server';
import { CompareRequest, type CompareEvent } from '../../shared/domain';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { CliSandbox, expectOneLineError, parseJsonOutput, runJsonOf, tempDir, type CliResult } from './cli-helpers';

// None of them has a recognisable key shape except the OpenAI one, so the exact-value net is what is tested;
// the Anthropic one has characters that URL-encoding and JSON escape differently.
const KEYS = {
  SY_LEAK_OA: 'sk-proj-LEAKTEST0penAi7f3a9c2e41d8b6QzX',
  SY_LEAK_AN: 'LeakTest_anthr0pic+key/with=odd&chars%41"q',
  SY_LEAK_GE: 'LeakTestGemini_Q8w7e6r5t4y3u2i1o0pZz',
};
/** Typed into the desktop app: kept in the (test) keychain, never in an environment variable. */
const KEYCHAIN_KEY = 'KeychainLeakTest-5bd1e07c99a2Wq';
const URL_PASSWORD = 'UrlPassw0rdLeakTest';

const PROVIDERS = [
  ['oa', 'openai', 'SY_LEAK_OA'],
  ['an', 'anthropic', 'SY_LEAK_AN'],
  ['ge', 'gemini', 'SY_LEAK_GE'],
] as const;
const MODELS = ['reflect-http', 'reflect-status', 'reflect-event'];
const TARGETS = PROVIDERS.flatMap(([id]) => MODELS.map((m) => `${id}:${m}`));

/** Every spelling of every secret an upstream could echo or a bug could write. */
const NEEDLES: Array<[string, string]> = [...Object.values(KEYS), KEYCHAIN_KEY].flatMap((k): Array<[string, string]> => [
  [`${k} (as is)`, k],
  [`${k} (URL-encoded)`, encodeURIComponent(k)],
  [`${k} (base64)`, Buffer.from(k).toString('base64').replace(/=+$/, '')],
  [`${k} (base64url)`, Buffer.from(k).toString('base64url')],
  [`${k} (JSON-escaped)`, JSON.stringify(k).slice(1, -1)],
]).concat([[`the base URL's password`, URL_PASSWORD]]);

function leaksIn(haystack: string | Buffer): string[] {
  const buf = typeof haystack === 'string' ? Buffer.from(haystack) : haystack;
  // UTF-16 too: SQLite can store text that way, and a leak in it would be invisible to a UTF-8 search.
  return NEEDLES.filter(([, n]) => buf.includes(n) || buf.includes(Buffer.from(n, 'utf16le'))).map(([name]) => name);
}

/** Every file under the data directory, byte for byte: the database, its WAL and shm, catalog.json, exports. */
function scanDir(dir: string, found: Map<string, string[]>): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...scanDir(path, found));
    else {
      files.push(name);
      const leaks = leaksIn(readFileSync(path));
      if (leaks.length) found.set(path, leaks);
    }
  }
  return files;
}

function expectNoLeak(what: string, haystack: string | Buffer): void {
  expect(leaksIn(haystack), `${what}:\n${String(haystack).slice(0, 3000)}`).toEqual([]);
}

function expectCleanCli(what: string, r: CliResult): void {
  expectNoLeak(`${what} stdout`, r.stdout);
  expectNoLeak(`${what} stderr`, r.stderr);
}

/** A keychain that really encrypts (AES-GCM with a key of this process), as safeStorage does. */
function testVault(): KeyVault {
  const k = randomBytes(32);
  return {
    backend: 'test-aes',
    secure: true,
    warning: null,
    async encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    async decrypt(cipher) {
      const d = createDecipheriv('aes-256-gcm', k, cipher.subarray(0, 12));
      d.setAuthTag(cipher.subarray(12, 28));
      return Buffer.concat([d.update(cipher.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

/** The host's SSE stream, raw, until a frame satisfies `until`. */
function readSse(host: Host, until: (raw: string) => boolean): { frames: Promise<string>; connected: Promise<void> } {
  let onConnected!: () => void;
  const connected = new Promise<void>((r) => (onConnected = r));
  const frames = new Promise<string>((resolve, reject) => {
    let raw = '';
    const req = request(`http://127.0.0.1:${host.port}/api/events?token=${host.token}`, (res) => {
      res.setEncoding('utf8');
      res.on('data', (s: string) => {
        raw += s;
        if (raw.includes(': connected')) onConnected();
        if (until(raw)) {
          req.destroy();
          resolve(raw);
        }
      });
    });
    req.on('error', (e) => (until(raw) ? undefined : reject(e)));
    req.end();
  });
  return { frames, connected };
}

async function mockProviders(t: TestContext): Promise<MockProviders> {
  const mock = await startMockProviders({
    requireKey: 'the-one-key-nobody-has',
    reflectKey: true,
    scripts: { 'reflect-http': { fault: 'reflect_key' }, 'reflect-status': { fault: 'reflect_key_status' }, 'reflect-event': { fault: 'reflect_key_event', tokens: 5 } },
  });
  t.onTestFinished(() => mock.close());
  return mock;
}

/** The marker each reflected key is replaced with: proof the key did come back and was scrubbed. */
const markerOf = (key: string) => `[redacted key …${key.slice(-4)}]`;

describe('an upstream that echoes the key back', { timeout: 300_000 }, () => {
  it('finds the key nowhere: data files, WAL, CLI output, host responses, SSE events, exports', async (t) => {
    const mock = await mockProviders(t);
    const sb = new CliSandbox(KEYS);
    t.onTestFinished(() => sb.cleanup());
    const outputs: Array<[string, CliResult]> = [];
    const cli = async (args: string[]) => {
      const r = await sb.run(args);
      outputs.push([args.slice(0, 2).join(' '), r]);
      return r;
    };

    // A base URL with a password is refused, with a reason that does not repeat it.
    const creds = await cli(['providers', 'add', 'creds', '--type', 'openai', '--base-url', `http://leaker:${URL_PASSWORD}@127.0.0.1:9/v1`, '--api-key-env', 'SY_LEAK_OA']);
    expectOneLineError(creds, 1, /base URL must not contain a user name or password/);
    const noUser = await cli(['providers', 'add', 'creds', '--type', 'openai', '--base-url', 'http://leaker@127.0.0.1:9/v1']);
    expectOneLineError(noUser, 1, /base URL must not contain a user name or password/);

    const added = await Promise.all(PROVIDERS.map(([id, type, env]) => cli(['providers', 'add', id, '--type', type, '--base-url', mock.baseUrls[type], '--api-key-env', env])));
    for (const r of added) expect(r.code, r.stderr).toBe(0);
    expect((await cli(['providers', 'list', '--json'])).stdout).not.toContain('creds');

    // providers test, while the mock refuses every key and echoes it in each protocol's bad-key shape.
    const tests = await Promise.all(PROVIDERS.map(([id]) => cli(['providers', 'test', id])));
    for (const [i, r] of tests.entries()) {
      const [id, type, env] = PROVIDERS[i]!;
      expectOneLineError(r, 2, new RegExp(`^switchyard: ${id}: ${type === 'gemini' ? 400 : 401} from ${id}: `));
      expect(r.stderr).toContain(markerOf(KEYS[env]));
    }

    mock.setRequireKey(null);
    const [json, human] = await Promise.all([cli(['compare', 'hi', ...TARGETS.flatMap((m) => ['-m', m]), '--json']), cli(['compare', 'hi', ...TARGETS.flatMap((m) => ['-m', m])])]);
    expect(json.code, json.stderr).toBe(2);
    expect(human.code, human.stderr).toBe(2);
    const run = runJsonOf(json);
    expect(run.columns.map((c) => c.status)).toEqual(PROVIDERS.flatMap(() => ['error', 'error', 'incomplete']));
    for (const c of run.columns) {
      const key = KEYS[PROVIDERS.find(([id]) => c.target.startsWith(`${id}:`))![2]];
      expect(c.error, c.target).toContain(markerOf(key));
    }
    // The event column streamed its first tokens before the upstream failed: they are kept.
    expect(run.columns[2]!.text).toBe('tok1 tok2');

    const exportFile = join(sb.dataDir, 'exports', 'catalog-export.json');
    mkdirSync(join(sb.dataDir, 'exports'));
    const reads = await Promise.all([
      cli(['history', 'list', '--json']),
      cli(['history', 'show', run.runId, '--json']),
      cli(['history', 'show', run.runId]),
      cli(['endpoints', '--json']),
      cli(['endpoints']),
      cli(['spend', '--json']),
      cli(['spend']),
      cli(['catalog', 'export', exportFile]),
    ]);
    for (const r of reads) expect(r.code, r.stderr).toBe(0);
    const endpoints = parseJsonOutput<Array<{ endpointId: string; misconfigured: string | null }>>(reads[3]!);
    // Misconfiguration notes are upstream text too: there, and scrubbed.
    expect(endpoints.find((e) => e.endpointId === 'oa:reflect-http')?.misconfigured).toContain(markerOf(KEYS.SY_LEAK_OA));
    for (const [what, r] of outputs) expectCleanCli(what, r);

    // The headless host, on the same data directory: RPC bodies and every SSE frame.
    const host = await startHost({ dataDir: sb.dataDir, port: 0, rendererDir: tempDir('sy-leak-ui-'), env: { ...KEYS } });
    let hostClosed = false;
    t.onTestFinished(async () => (hostClosed ? undefined : host.close()));
    const bodies: Array<[string, string]> = [];
    const rpc = async (channel: string, args: unknown) => {
      const res = await fetch(`http://127.0.0.1:${host.port}/api/rpc/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
        body: JSON.stringify(args),
      });
      const text = await res.text();
      bodies.push([channel, text]);
      return { status: res.status, text };
    };
    const sse = readSse(host, (raw) => raw.includes('"type":"run-finished"'));
    await sse.connected;
    const started = await rpc('compare:start-run', { messages: [{ role: 'user', content: 'hi' }], targets: TARGETS });
    expect(started.status, started.text).toBe(200);
    const frames = await sse.frames;
    expect(frames).toContain(markerOf(KEYS.SY_LEAK_GE));
    expectNoLeak('host SSE frames', frames);

    const hostRunId = (JSON.parse(started.text) as { runId: string }).runId;
    const refused = await rpc('providers:save-provider', { id: 'creds', type: 'openai', baseUrl: `http://leaker:${URL_PASSWORD}@127.0.0.1:9/v1` });
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/base URL must not contain a user name or password/);
    mock.setRequireKey('the-one-key-nobody-has');
    for (const [id] of PROVIDERS) expect((await rpc('providers:test-provider', { id })).text).toMatch(/"ok":false/);
    mock.setRequireKey(null);
    for (const [channel, args] of [
      ['history:list-runs', {}],
      ['history:get-run', { runId: hostRunId }],
      ['history:get-run', { runId: run.runId }],
      ['routing:list-endpoints', {}],
      ['providers:list-providers', {}],
      ['providers:list-models', {}],
      ['spend:list-entries', {}],
      ['spend:get-summary', {}],
      ['spend:export-csv', {}],
    ] as const) {
      expect((await rpc(channel, args)).status, channel).toBe(200);
    }
    expect(bodies.find(([c]) => c === 'history:get-run')![1]).toContain(markerOf(KEYS.SY_LEAK_GE));
    for (const [channel, text] of bodies) expectNoLeak(`host ${channel}`, text);

    // The data directory while the host holds it open (the WAL is there now), then after it closed.
    const found = new Map<string, string[]>();
    const openFiles = scanDir(sb.dataDir, found);
    expect(openFiles).toEqual(expect.arrayContaining(['switchyard.db', 'switchyard.db-wal', 'catalog-export.json']));
    await host.close();
    hostClosed = true;
    scanDir(sb.dataDir, found);
    expect(Object.fromEntries(found)).toEqual({});
  });

  it('keeps a keychain key out of everything too (the desktop app handlers)', async (t) => {
    const mock = await mockProviders(t);
    mock.setRequireKey(null);
    const dataDir = tempDir('sy-leak-app-');
    const app = createApp({ dataDir, transport: 'ipc', keyVault: testVault() });
    let closed = false;
    t.onTestFinished(async () => (closed ? undefined : app.close()));
    const events: CompareEvent[] = [];
    const finished = new Promise<void>((resolve) => app.onEvent((e) => (events.push(e), e.type === 'run-finished' ? resolve() : undefined)));

    const saved = await app.handlers.providers.saveProvider({ id: 'kc', type: 'anthropic', baseUrl: mock.baseUrls.anthropic, apiKey: KEYCHAIN_KEY, serves: [] });
    expect(saved.keys).toEqual([{ kind: 'secret', label: 'keychain', set: true, last4: KEYCHAIN_KEY.slice(-4) }]);
    await app.handlers.compare.startRun(CompareRequest.parse({ messages: [{ role: 'user', content: 'hi' }], targets: MODELS.map((m) => `kc:${m}`) }));
    await finished;
    mock.setRequireKey('the-one-key-nobody-has');
    const test = await app.handlers.providers.testProvider({ id: 'kc' });
    expect(test.error).toContain(markerOf(KEYCHAIN_KEY));
    const endpoints = await app.handlers.routing.listEndpoints({});
    const out = JSON.stringify({ saved, events, test, endpoints, runs: await app.handlers.history.listRuns({ limit: 10, offset: 0 }) });
    expect(out).toContain(markerOf(KEYCHAIN_KEY));
    expectNoLeak('app handlers and events', out);
    // The key arrived at the mock intact: the upstream did see it, so there was something to leak.
    expect(mock.requests.filter((r) => r.method === 'POST').map((r) => r.keyLast4)).toEqual(MODELS.map(() => KEYCHAIN_KEY.slice(-4)));

    const found = new Map<string, string[]>();
    scanDir(dataDir, found);
    await app.close();
    closed = true;
    scanDir(dataDir, found);
    expect(Object.fromEntries(found)).toEqual({});
  });

  it('a provider whose stored URL has credentials (a row past the save check): shown and failed without the password', async (t) => {
    const dataDir = tempDir('sy-leak-legacy-');
    const ctx = openAppContext({ dataDir, env: {} });
    t.onTestFinished(() => ctx.close());
    // Straight into the table, past the service's check (migration 0006 cleans rows from older builds at open).
    const p = ctx.store.providers.save({ id: 'old', type: 'openai', baseUrl: `http://leaker:${URL_PASSWORD}@127.0.0.1:9/v1`, keys: [], serves: [], catalogProvider: null }, Date.now());
    expect(ctx.providers.view(p).baseUrl).toBe('http://[redacted]@127.0.0.1:9/v1');
    const result = await ctx.engine.start({ messages: [{ role: 'user', content: 'hi' }], targets: ['old:m'] }).done;
    expect(result.columns[0]!.status).toBe('error');
    // undici refuses such a URL and quotes it whole in its error.
    expect(result.columns[0]!.error).toMatch(/includes credentials: http:\/\/\[redacted\]@127\.0\.0\.1:9/);
    expectNoLeak('the column', JSON.stringify(result));
    expectNoLeak('the attempts and notes', JSON.stringify([ctx.store.runs.getRun(result.runId), ctx.store.routing.listMisconfigured()]));
  });
});
