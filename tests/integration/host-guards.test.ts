/**
 * The host's guards, driven with raw requests so that nothing between the test
 * and the server tidies the path first: `fetch` (and any URL parser) collapses
 * `..` before it is sent, which is how a traversal test can pass with no
 * guard at all. Every request here goes over a plain socket, byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { startHost, type Host } from '../../electron/host/server';

const OUTSIDE = 'outside the UI folder';
let host: Host;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-guards-'));
  const ui = join(dir, 'ui');
  mkdirSync(join(ui, 'assets'), { recursive: true });
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Switchyard</title>');
  writeFileSync(join(ui, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(dir, 'secret.txt'), OUTSIDE);
  host = await startHost({ dataDir: join(dir, 'data'), port: 0, rendererDir: ui, env: {} });
});

afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Raw {
  status: number;
  body: string;
}

/** Sends `GET <target>` exactly as written and reads the whole answer (the server closes: Connection: close). */
function rawGet(target: string, hostHeader: string | null = `127.0.0.1:${host.port}`, extra = '', version = '1.1'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (data += c));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? NaN);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
    const hostLine = hostHeader === null ? '' : `Host: ${hostHeader}\r\n`;
    socket.write(`GET ${target} HTTP/${version}\r\n${hostLine}${extra}Connection: close\r\n\r\n`);
  });
}

describe('static files over a raw socket', () => {
  it('serves the UI and its assets, and the UI for its own routes', async () => {
    expect(await rawGet('/')).toMatchObject({ status: 200, body: expect.stringContaining('<title>Switchyard</title>') });
    expect(await rawGet('/assets/app.js')).toMatchObject({ status: 200, body: expect.stringContaining('console.log("app")') });
    expect(await rawGet('/history?run=1')).toMatchObject({ status: 200, body: expect.stringContaining('<title>Switchyard</title>') });
  });

  it.each([
    '/../secret.txt',
    '/../../../../../../etc/passwd',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2e%2e/etc/passwd',
    '/.%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..\\secret.txt',
    '/assets\\..\\..\\secret.txt',
    '/%2e%2e%5csecret.txt',
    '/..%5c..%5csecret.txt',
    '//etc/passwd',
    '/\\etc\\passwd',
    '/C:/Windows/win.ini',
    '/c:%5cwindows%5cwin.ini',
    '/index.html%00.js',
    `http://127.0.0.1/../secret.txt`,
  ])('refuses %s with 403, before touching the file system', async (target) => {
    const r = await rawGet(target);
    expect(r.body).not.toContain(OUTSIDE);
    expect(r.body).not.toMatch(/root:.*:0:0:/);
    expect(r).toEqual({ status: 403, body: JSON.stringify({ error: 'forbidden: that path is outside the UI' }) });
  });
});

describe('Host header', () => {
  it.each([
    (port: number) => `evil.example:${port}`,
    () => 'evil.example',
    (port: number) => `127.0.0.1:${port + 1}`,
    (port: number) => `localhost:${port}.evil.example`,
    (port: number) => `127.0.0.1.nip.io:${port}`,
    (port: number) => `[::2]:${port}`,
  ])('answers 421 in one line to a request that names another host (%#), API or UI, token or not', async (name) => {
    const given = name(host.port);
    for (const [target, extra] of [['/', ''], ['/api/rpc/providers:list-providers', `Authorization: Bearer ${host.token}\r\n`], [`/api/events?token=${host.token}`, '']] as const) {
      const r = await rawGet(target, given, extra);
      expect(r.status, `${target} with Host ${given}`).toBe(421);
      const { error } = JSON.parse(r.body) as { error: string };
      expect(error).toBe(`misdirected request (Host "${given}"): this host answers only to 127.0.0.1:${host.port}, localhost:${host.port} or [::1]:${host.port}; open the URL printed by switchyard serve`);
    }
  });

  it('answers to the loopback names with its port, in any case', async () => {
    for (const name of ['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]']) expect((await rawGet('/', `${name}:${host.port}`)).status, name).toBe(200);
  });

  it('answers 421 to a request with no Host header at all', async () => {
    // HTTP/1.1 without Host is refused by Node itself (400); HTTP/1.0 may omit it, and reaches the check.
    expect((await rawGet('/', null, '', '1.0')).status).toBe(421);
  });
});
