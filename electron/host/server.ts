/**
 * The headless host: serves the built renderer and the contract over HTTP on
 * loopback. A random token is minted per launch and carried in the printed
 * URL (after '#', so it never reaches logs or Referer headers); every API call
 * without it gets 401. Binding elsewhere needs `allowRemote`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { allCalls, type CallDef } from '../../shared/contract';
import { COMPARE_EVENT_CHANNEL } from '../../shared/contract';
import { createApp, type App } from '../app/services';
import { UserError, oneLine } from '../engine/errors';
import { LIMITS, formatBytes } from '../engine/limits';
import type { CompareEvent } from '../../shared/domain';

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

/** Answered 413: the body is over LIMITS.hostBody, and the message says so. */
class BodyTooLarge extends UserError {
  constructor() {
    super(`request body too large: the host accepts at most ${formatBytes(LIMITS.hostBody)}`);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  // Refused from the header when it tells, before a byte is buffered.
  if (Number(req.headers['content-length'] ?? 0) > LIMITS.hostBody) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > LIMITS.hostBody) throw new BodyTooLarge();
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

export async function startHost(opts: HostOptions = {}): Promise<Host> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopback(host) && !opts.allowRemote) {
    throw new UserError(`refusing to bind to ${host}: only loopback by default (pass --allow-remote to expose Switchyard on your network)`);
  }
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  const app = createApp({ dataDir: opts.dataDir, transport: 'http', env: opts.env });
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

  const authorized = (req: IncomingMessage, url: URL) => {
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : (url.searchParams.get('token') ?? ''));
    return given.length === tokenBuf.length && timingSafeEqual(given, tokenBuf);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://host.invalid');
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      res.setHeader('x-frame-options', 'DENY');
      if (url.pathname.startsWith('/api/')) {
        if (!authorized(req, url)) return send(res, 401, { error: 'missing or wrong token: open the URL printed by switchyard serve' });
        if (url.pathname === '/api/events' && req.method === 'GET') {
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
        if (!call) return send(res, 404, { error: `no such call ${url.pathname}` });
        if (req.method !== 'POST') return send(res, 405, { error: 'use POST' });
        try {
          const parsed = call.def.args.safeParse(await readJson(req));
          if (!parsed.success) return send(res, 400, { error: `invalid arguments for ${call.def.channel}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')}` });
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
          return send(res, status, { error: oneLine(err) });
        }
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
      const rel = normalize(safeDecode(url.pathname)).replace(/^([/\\])+/, '');
      let file = resolve(rendererDir, rel || 'index.html');
      if (!file.startsWith(rendererDir + sep) && file !== rendererDir) return send(res, 403, { error: 'forbidden' });
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
      if (!res.headersSent) send(res, 500, { error: oneLine(err) });
      else res.end();
    });
  });

  await new Promise<void>((ok, bad) => {
    server.once('error', (err: NodeJS.ErrnoException) => bad(err.code === 'EADDRINUSE' ? new UserError(`port ${opts.port} is already in use (try --port 0 for any free port)`) : err));
    server.listen(opts.port ?? 0, host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
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
