/**
 * The headless host: serves the built renderer and the contract over HTTP on
 * loopback. A random token is minted per launch and carried in the printed
 * URL (after '#', so it never reaches logs or Referer headers); every API call
 * without it gets 401, and it is taken from the query string only by the
 * event stream (EventSource cannot send headers). A request naming another
 * host in its Host header gets 421. Binding elsewhere needs `allowRemote`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { allCalls, unknownArgKeys, type CallDef } from '../../shared/contract';
import { COMPARE_EVENT_CHANNEL, MAX_ATTACHMENT_BASE64 } from '../../shared/contract';
import { createApp, type App } from '../app/services';
import { UserError, oneLine } from '../engine/errors';
import { boundedLine, quote } from '../../shared/quote';
import { LIMITS, formatBytes } from '../engine/limits';
import type { CompareEvent } from '../../shared/domain';
import { allowedHosts, scrubPaths, staticFile, wrongHostMessage } from './guards';

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const REPLAY_FRAMES = 5000;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon',
};

export interface HostOptions {
  dataDir?: string;
  port?: number;
  host?: string;
  /** Required to bind to anything but loopback. */
  allowRemote?: boolean;
  token?: string;
  rendererDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Variables the UI may name as keys beyond the API-key naming pattern (`switchyard serve --key-env`). */
  keyEnv?: readonly string[];
}

export interface Host {
  url: string;
  token: string;
  port: number;
  app: App;
  close(): Promise<void>;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function defaultRendererDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  // From source (electron/host) or from the bundle (dist/cli): both reach <repo>/dist/renderer.
  for (const c of [resolve(here, '../../dist/renderer'), resolve(here, '../renderer'), resolve(process.cwd(), 'dist/renderer')]) {
    if (existsSync(join(c, 'index.html'))) return c;
  }
  return resolve(process.cwd(), 'dist/renderer');
}

function send(res: ServerResponse, status: number, body: unknown) {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** Every call takes LIMITS.hostBody but the upload of an attachment, which takes the largest file as base64. */
function bodyLimit(channel: string): number {
  return channel === 'compare:add-attachment' ? MAX_ATTACHMENT_BASE64 + 64 * 1024 : LIMITS.hostBody;
}

/** Answered 413: the body is over the call's limit, and the message says so. */
class BodyTooLarge extends UserError {
  constructor(limit: number) {
    super(`request body too large: the host accepts at most ${formatBytes(limit)}${limit === LIMITS.hostBody ? '' : ' for this call'}`);
  }
}

async function readJson(req: IncomingMessage, limit: number = LIMITS.hostBody): Promise<unknown> {
  // Refused from the header when it tells, before a byte is buffered.
  if (Number(req.headers['content-length'] ?? 0) > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UserError('request body is not valid JSON');
  }
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') return new UserError(`port ${port} is already in use (try --port 0 for any free port)`);
  if (err.code === 'EACCES') return new UserError(`port ${port} needs privileges on this system (try a port above 1023, or --port 0)`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return new UserError(`cannot bind to ${quote(host, 80)}: not an address of this machine`);
  return err;
}

export async function startHost(opts: HostOptions = {}): Promise<Host> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopback(host) && !opts.allowRemote) {
    throw new UserError(`refusing to bind to ${host}: only loopback by default (pass --allow-remote to expose Switchyard on your network)`);
  }
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const rendererDir = resolve(opts.rendererDir ?? defaultRendererDir());
  const app = createApp({ dataDir: opts.dataDir, transport: 'http', env: opts.env, keyEnv: opts.keyEnv });
  const calls = new Map<string, { domain: string; method: string; def: CallDef }>(allCalls().map((c) => [c.def.channel, c]));
  const sseClients = new Set<ServerResponse>();
  // Recent frames with ids, so a browser that reconnects (EventSource sends Last-Event-ID) misses nothing.
  const replay: Array<{ id: number; frame: string }> = [];
  let lastId = 0;
  const unsubscribe = app.onEvent((e: CompareEvent) => {
    const id = ++lastId;
    const frame = `id: ${id}\nevent: ${COMPARE_EVENT_CHANNEL}\ndata: ${JSON.stringify(e)}\n\n`;
    replay.push({ id, frame });
    if (replay.length > REPLAY_FRAMES) replay.splice(0, replay.length - REPLAY_FRAMES);
    for (const c of sseClients) c.write(frame);
  });

  // A query string ends up in logs and history; only EventSource, which cannot send a header, may use it.
  const authorized = (req: IncomingMessage, url: URL, queryAllowed: boolean) => {
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : queryAllowed ? (url.searchParams.get('token') ?? '') : '');
    return given.length === tokenBuf.length && timingSafeEqual(given, tokenBuf);
  };
  // Known once listening; until then no Host header matches.
  let port = 0;
  let hosts = new Set<string>();

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://host.invalid');
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      res.setHeader('x-frame-options', 'DENY');
      if (!hosts.has(req.headers.host?.toLowerCase() ?? '')) return send(res, 421, { error: wrongHostMessage(req.headers.host, port) });
      if (url.pathname.startsWith('/api/')) {
        const isEvents = url.pathname === '/api/events' && req.method === 'GET';
        if (!authorized(req, url, isEvents)) {
          const inQuery = !isEvents && url.searchParams.has('token') && !req.headers.authorization;
          return send(res, 401, { error: inQuery ? 'the token goes in the Authorization header (Bearer …); only /api/events takes it in the query string' : 'missing or wrong token: open the URL printed by switchyard serve' });
        }
        if (isEvents) {
          res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
          res.write(': connected\n\n');
          const since = Number(req.headers['last-event-id'] ?? url.searchParams.get('lastEventId') ?? NaN);
          if (Number.isInteger(since)) for (const r of replay) if (r.id > since) res.write(r.frame);
          sseClients.add(res);
          const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
          req.on('close', () => {
            clearInterval(ping);
            sseClients.delete(res);
          });
          return;
        }
        const m = /^\/api\/rpc\/([a-z-]+:[a-z-]+)$/.exec(safeDecode(url.pathname));
        const call = m ? calls.get(m[1]!) : undefined;
        if (!call) return send(res, 404, { error: `no such call ${quote(safeDecode(url.pathname), 80)}` });
        if (req.method !== 'POST') return send(res, 405, { error: 'use POST' });
        try {
          const body = await readJson(req, bodyLimit(call.def.channel));
          const unknown = unknownArgKeys(call.def, body);
          if (unknown.length) return send(res, 400, { error: boundedLine(`invalid arguments for ${call.def.channel}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).map((k) => quote(k, 40)).join(', ')}`) });
          const parsed = call.def.args.safeParse(body);
          if (!parsed.success) return send(res, 400, { error: boundedLine(`invalid arguments for ${call.def.channel}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')}`) });
          const domain = (app.handlers as unknown as Record<string, Record<string, (a: unknown) => Promise<unknown>>>)[call.domain]!;
          return send(res, 200, await domain[call.method]!(parsed.data));
        } catch (err) {
          if (err instanceof BodyTooLarge) {
            // The rest of the body is not read: close the connection after the answer instead of draining it.
            res.setHeader('connection', 'close');
            send(res, 413, { error: err.message });
            return void res.on('finish', () => req.destroy());
          }
          const status = err instanceof UserError ? (err.code === 'not_found' ? 404 : 400) : 500;
          return send(res, status, { error: boundedLine(scrubPaths(oneLine(err))) });
        }
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
      let file = staticFile(rendererDir, req.url ?? '/');
      if (file === null) return send(res, 403, { error: 'forbidden: that path is outside the UI' });
      if (!existsSync(file) || statSync(file).isDirectory()) file = join(rendererDir, 'index.html');
      if (!existsSync(file)) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        return res.end('The UI is not built yet: run `npm run build` (the API is up).\n');
      }
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'content-security-policy': CSP, 'cache-control': type.startsWith('text/html') ? 'no-store' : 'max-age=3600' });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: boundedLine(scrubPaths(oneLine(err))) });
      else res.end();
    });
  });

  await new Promise<void>((ok, bad) => {
    server.once('error', (err: NodeJS.ErrnoException) => bad(listenError(err, host, opts.port ?? 0)));
    server.listen(opts.port ?? 0, host, () => ok());
  }).catch(async (err: unknown) => {
    // Nothing listens, so nothing would ever close the database and the engine opened above.
    unsubscribe();
    await app.close();
    throw err;
  });
  port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port, opts.allowRemote === true);
  // A wildcard address is no place to open; this machine answers on loopback whatever else it exposes.
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/#token=${token}`,
    token,
    port,
    app,
    async close() {
      unsubscribe();
      for (const c of sseClients) c.end();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await app.close();
    },
  };
}
