/**
 * A real HTTP server on loopback that speaks OpenAI, Anthropic and Gemini
 * streaming, with behaviour scripted per upstream model name so one server can
 * serve many scenarios at once. Used by unit, engine, CLI, e2e and bench tests.
 *
 * @example
 * const mock = await startMockProviders({ requireKey: 'sk-test' });
 * mock.script('flaky-model', { fault: 'server_503', failTimes: 1 });
 * // point an openai provider at mock.baseUrls.openai, model 'flaky-model'
 * await mock.close();
 */
import { createHash } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { HTTP_FAULTS, REFLECT_FAULTS, isRecord, streamScript, type MockFault, type MockScript } from './provider-script';
import { errorResponse, keyRejection, modelList, validateRequest, type Protocol } from './provider-wire';

export type { MockFault, MockScript, Protocol };

export interface MockRequestRecord {
  id: number;
  protocol: Protocol | null;
  method: string;
  /** Path and query, with any `key=` query redacted. */
  path: string;
  model: string | null;
  /** Request headers, with authorization, x-api-key and x-goog-api-key redacted. */
  headers: Record<string, string>;
  /** Last four characters of the key the client sent, to tell keys apart. */
  keyLast4: string | null;
  body: unknown;
  /** SHA-256 (hex) of the request body bytes exactly as received. */
  bodySha256: string;
  receivedAt: number;
  /** HTTP status sent, or null while hanging before headers. */
  status: number | null;
  fault: MockFault | null;
  textTokensSent: number;
  endedAt: number | null;
  /** `client` when the client closed the connection before the server finished. */
  endedBy: 'server' | 'client' | null;
}

export interface MockProvidersOptions {
  /** Accepted API key(s); null accepts anything, including no key. */
  requireKey?: string | string[] | null;
  scripts?: Record<string, MockScript>;
  defaultScript?: MockScript;
  /** Names listed by the model endpoints, besides every scripted model. */
  models?: string[];
  port?: number;
  /** A key that `requireKey` refuses is echoed back in full (body, headers, status line), as some proxies do. */
  reflectKey?: boolean;
}

export interface MockProviders {
  readonly url: string;
  readonly baseUrls: Record<Protocol, string>;
  readonly requests: MockRequestRecord[];
  readonly openStreams: number;
  readonly peakOpenStreams: number;
  /** TCP connections accepted since start: a client that keeps connections alive opens few. */
  readonly connections: number;
  script(model: string, script: MockScript): void;
  setDefaultScript(script: MockScript): void;
  setRequireKey(key: string | string[] | null): void;
  /** Back to the start options: scripts, attempt counts, records and peak. */
  reset(): void;
  /** Resolves once the request's connection or response has closed. */
  ended(record: MockRequestRecord, timeoutMs?: number): Promise<MockRequestRecord>;
  /** Destroys every socket, hung ones included, then stops listening. */
  close(): Promise<void>;
}

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'x-goog-api-key']);

interface Active {
  record: MockRequestRecord;
  /** Aborted when the response closes, for any reason; ends pacing and stalls. */
  stop: AbortController;
  /** The server, not the client, closed the connection (drop fault, close()). */
  serverClosed: boolean;
  /** The credential the client sent (the reflect faults echo it). */
  key: string | null;
}

export async function startMockProviders(opts: MockProvidersOptions = {}): Promise<MockProviders> {
  const scripts = new Map<string, MockScript>();
  let defaultScript: MockScript = {};
  let requireKey: string[] | null = null;
  const attempts = new Map<string, number>();
  const requests: MockRequestRecord[] = [];
  const endedWaiters = new Map<number, Promise<void>>();
  const active = new Set<Active>();
  const sockets = new Set<Socket>();
  let connections = 0;
  let openStreams = 0;
  let peak = 0;
  let nextId = 1;

  const setRequireKey = (key: string | string[] | null | undefined): void => {
    requireKey = key == null ? null : Array.isArray(key) ? key : [key];
  };
  const reset = (): void => {
    scripts.clear();
    for (const [model, s] of Object.entries(opts.scripts ?? {})) scripts.set(model, s);
    defaultScript = opts.defaultScript ?? {};
    setRequireKey(opts.requireKey);
    attempts.clear();
    requests.length = 0;
    peak = openStreams;
  };
  reset();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`mock failure: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    if (url.pathname.startsWith('/__mock/')) return control(url.pathname, req.method ?? 'GET', raw, res);

    const route = routeOf(req.method ?? 'GET', url, req);
    const body = parseJson(raw);
    const record = recordRequest(req, url, route, body, createHash('sha256').update(bytes).digest('hex'));
    const ctx: Active = { record, stop: new AbortController(), serverClosed: false, key: null };
    active.add(ctx);
    endedWaiters.set(record.id, new Promise((resolve) => res.on('close', () => resolve())));
    res.on('close', () => {
      active.delete(ctx);
      ctx.stop.abort();
      record.endedAt = Date.now();
      record.endedBy = res.writableFinished || ctx.serverClosed ? 'server' : 'client';
    });
    const fail = (status: number, message: string, headers: Record<string, string> = {}): void => {
      const e = errorResponse(route.protocol, status, message);
      record.status = status;
      res.writeHead(status, { 'content-type': e.contentType, ...headers }).end(e.body);
    };
    const reflect = (k: string, withBody: boolean): void => {
      const r = keyRejection(route.protocol, k, withBody);
      record.status = r.status;
      res.writeHead(r.status, r.statusMessage, r.headers).end(r.body);
    };

    if (route.kind === 'unknown') return fail(404, `mock: no route for ${req.method} ${url.pathname}`);
    const key = clientKey(route.protocol, req, url);
    ctx.key = key;
    if (requireKey && (key === null || !requireKey.includes(key))) {
      if (opts.reflectKey && key !== null) return reflect(key, true);
      return fail(401, key === null ? 'Missing API key' : `Incorrect API key provided: ...${key.slice(-4)}`);
    }
    if (route.kind === 'models') {
      record.status = 200;
      const names = [...new Set([...(opts.models ?? ['mock-small', 'mock-large']), ...scripts.keys()])];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(modelList(route.protocol, names)));
      return;
    }
    const invalid = validateRequest(route.protocol, req.headers['anthropic-version'] !== undefined, url, body);
    if (invalid) return fail(400, invalid);

    const model = record.model ?? '';
    const script = scripts.get(model) ?? defaultScript;
    const n = (attempts.get(model) ?? 0) + 1;
    attempts.set(model, n);
    const fault = script.fault && (script.failTimes === undefined || n <= script.failTimes) ? script.fault : null;
    record.fault = fault;
    if (fault === 'hang_before_headers') return;
    if ((fault === 'reflect_key' || fault === 'reflect_key_status') && key !== null) return reflect(key, fault === 'reflect_key');
    const httpFault = fault ? HTTP_FAULTS[fault] : undefined;
    if (httpFault) {
      const retry = script.retryAfterSec;
      return fail(httpFault[0], httpFault[1], retry === undefined ? {} : { 'retry-after': String(retry) });
    }

    record.status = 200;
    const echo: Record<string, string> = fault && REFLECT_FAULTS.has(fault) && key !== null ? { 'x-echo-api-key': key } : {};
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...echo });
    res.flushHeaders();
    openStreams++;
    peak = Math.max(peak, openStreams);
    res.on('close', () => openStreams--);
    await streamScript(route.protocol, model, body, script, fault, res, ctx);
  }

  function recordRequest(req: IncomingMessage, url: URL, route: Route, body: unknown, bodySha256: string): MockRequestRecord {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = SECRET_HEADERS.has(name) ? '[redacted]' : String(value);
    }
    if (url.searchParams.has('key')) url.searchParams.set('key', '[redacted]');
    const key = route.kind === 'unknown' ? null : clientKey(route.protocol, req, url);
    const bodyModel = isRecord(body) && typeof body.model === 'string' ? body.model : null;
    const record: MockRequestRecord = {
      id: nextId++,
      protocol: route.kind === 'unknown' ? null : route.protocol,
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      model: route.model ?? bodyModel,
      headers,
      keyLast4: key ? key.slice(-4) : null,
      body,
      bodySha256,
      receivedAt: Date.now(),
      status: null,
      fault: null,
      textTokensSent: 0,
      endedAt: null,
      endedBy: null,
    };
    requests.push(record);
    return record;
  }

  function control(path: string, method: string, raw: string, res: ServerResponse): void {
    const body = parseJson(raw);
    const ok = (value: unknown): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (path === '/__mock/requests') return ok(requests);
    if (path === '/__mock/stats') return ok({ openStreams, peakOpenStreams: peak, requests: requests.length });
    if (method === 'POST' && path === '/__mock/reset') return (reset(), ok({ ok: true }));
    if (method === 'POST' && path === '/__mock/script' && isRecord(body) && isRecord(body.script)) {
      const script = body.script as MockScript;
      if (typeof body.model === 'string') scripts.set(body.model, script);
      else defaultScript = script;
      return ok({ ok: true });
    }
    if (method === 'POST' && path === '/__mock/require-key' && isRecord(body)) {
      setRequireKey(body.key as string | string[] | null);
      return ok({ ok: true });
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('unknown mock control');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('mock provider server has no TCP address');
  const base = `http://127.0.0.1:${address.port}`;

  return {
    url: base,
    baseUrls: { openai: `${base}/v1`, anthropic: `${base}/v1`, gemini: `${base}/v1beta` },
    requests,
    get openStreams() {
      return openStreams;
    },
    get peakOpenStreams() {
      return peak;
    },
    get connections() {
      return connections;
    },
    script: (model, script) => void scripts.set(model, script),
    setDefaultScript: (script) => void (defaultScript = script),
    setRequireKey,
    reset,
    async ended(record, timeoutMs = 5_000) {
      const waiter = endedWaiters.get(record.id) ?? Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`mock request ${record.id} still open after ${timeoutMs} ms`)), timeoutMs);
      });
      await Promise.race([waiter, timeout]).finally(() => clearTimeout(timer));
      return record;
    },
    async close() {
      const pending = [...active].map((ctx) => {
        ctx.serverClosed = true;
        ctx.stop.abort();
        return endedWaiters.get(ctx.record.id);
      });
      for (const socket of sockets) socket.destroy();
      // Records are final once close() resolves: a response's close event can trail its socket's.
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), ...pending]);
    },
  };
}

type Route = { kind: 'stream' | 'models'; protocol: Protocol; model: string | null } | { kind: 'unknown'; protocol: Protocol; model: null };

function routeOf(method: string, url: URL, req: IncomingMessage): Route {
  const path = url.pathname;
  // OpenAI and Anthropic share /v1/models; Anthropic clients always send their version header.
  const v1: Protocol = req.headers['anthropic-version'] !== undefined || req.headers['x-api-key'] !== undefined ? 'anthropic' : 'openai';
  if (method === 'POST' && path === '/v1/chat/completions') return { kind: 'stream', protocol: 'openai', model: null };
  if (method === 'POST' && path === '/v1/messages') return { kind: 'stream', protocol: 'anthropic', model: null };
  if (method === 'GET' && path === '/v1/models') return { kind: 'models', protocol: v1, model: null };
  if (method === 'GET' && path === '/v1beta/models') return { kind: 'models', protocol: 'gemini', model: null };
  const gemini = /^\/v1beta\/models\/([^/]+):streamGenerateContent$/.exec(path);
  if (method === 'POST' && gemini?.[1]) return { kind: 'stream', protocol: 'gemini', model: decodeURIComponent(gemini[1]) };
  return { kind: 'unknown', protocol: path.startsWith('/v1beta') ? 'gemini' : v1, model: null };
}

function clientKey(protocol: Protocol, req: IncomingMessage, url: URL): string | null {
  const header = (name: string): string | null => {
    const v = req.headers[name];
    return typeof v === 'string' && v !== '' ? v : null;
  };
  if (protocol === 'openai') return header('authorization')?.replace(/^Bearer\s+/i, '') || null;
  if (protocol === 'anthropic') return header('x-api-key');
  return header('x-goog-api-key') ?? url.searchParams.get('key');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  if (raw === '') return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
