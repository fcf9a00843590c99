/**
 * A loopback HTTP server that replays recorded response bodies piece by piece,
 * for the wire conformance tests. Each piece is written only once the client
 * says it has read the previous one, so the client's reads see exactly the
 * cut points the test chose (the kernel cannot merge two pieces into one read).
 *
 * @example
 * const replay = await startReplayServer();
 * const handle = replay.serve({ status: 200, headers: { 'content-type': 'text/event-stream' }, pieces });
 * const sink = { ...recorder(), onChunk: () => handle.advance() };
 * await adapter.stream({ ...req, baseUrl: replay.url }, sink);
 * handle.finish();
 */
import http, { type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ReplayResponse {
  status: number;
  headers: Record<string, string>;
  /** The body, cut into the pieces to deliver one read at a time. */
  pieces: Uint8Array[];
  /**
   * `reads` (default): the next piece waits for `advance()`, called from the client's read callback.
   * `writes`: the next piece follows once the previous one is flushed to the socket, for a client
   * that reads the body whole (an error body) and so never reports reads.
   */
  pace?: 'reads' | 'writes';
}

export interface ReplayHandle {
  /** The client read a piece: send the next. */
  advance(): void;
  /** Send whatever is left at once and end the body (the client stopped counting reads). */
  finish(): void;
  /** Pieces written so far. */
  readonly written: number;
}

export interface ReplayServer {
  /** Base URL; any path and method gets the next queued response. */
  readonly url: string;
  /** Queues `response` for the next request. */
  serve(response: ReplayResponse): ReplayHandle;
  close(): Promise<void>;
}

interface Queued {
  response: ReplayResponse;
  handle: ReplayHandle;
  attach(res: ServerResponse): void;
}

export async function startReplayServer(): Promise<ReplayServer> {
  const queue: Queued[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    // Read the request out so the client's fetch resolves, then answer.
    req.resume();
    req.on('end', () => {
      const next = queue.shift();
      if (!next) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('replay: nothing queued for this request');
        return;
      }
      next.attach(res);
    });
  });
  server.on('connection', (socket) => {
    // Each piece leaves in its own segment instead of waiting to be batched.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('replay server has no port');

  return {
    url: `http://127.0.0.1:${address.port}`,
    serve(response) {
      const item = queued(response);
      queue.push(item);
      return item.handle;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function queued(response: ReplayResponse): Queued {
  const { pieces } = response;
  let res: ServerResponse | null = null;
  let written = 0;
  // Reads the client reported before the response was attached still count.
  let credits = 0;
  let flushAll = false;
  let closed = false;

  const byWrites = response.pace === 'writes';

  const pump = (): void => {
    if (!res || closed) return;
    while (written < pieces.length && (written === 0 || credits > 0 || flushAll)) {
      if (written > 0 && !flushAll) credits--;
      const last = written === pieces.length - 1;
      res.write(pieces[written]!, byWrites && !last ? () => handle.advance() : undefined);
      written++;
    }
    if (written === pieces.length && !res.writableEnded) res.end();
  };

  const handle: ReplayHandle = {
    advance() {
      credits++;
      pump();
    },
    finish() {
      flushAll = true;
      pump();
    },
    get written() {
      return written;
    },
  };

  return {
    response,
    handle,
    attach(r) {
      res = r;
      r.on('close', () => {
        closed = true;
      });
      const total = pieces.reduce((n, p) => n + p.byteLength, 0);
      const sse = (response.headers['content-type'] ?? '').includes('event-stream') && response.status < 300;
      // A stream goes out chunked, as the providers send it; an error body carries its length.
      r.writeHead(response.status, sse ? response.headers : { ...response.headers, 'content-length': String(total) });
      pump();
    },
  };
}
