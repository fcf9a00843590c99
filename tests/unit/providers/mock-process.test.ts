/** The mock as a child process, the way e2e, CLI and bench tests use it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getAdapter } from '../../../electron/engine/providers';
import { recorder } from './harness';

const script = fileURLToPath(new URL('../../mocks/run-mock.ts', import.meta.url));
let child: ChildProcess;
let info: { url: string; baseUrls: { openai: string; anthropic: string; gemini: string } };

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, MOCK_PROVIDERS: JSON.stringify({ requireKey: 'sk-child', scripts: { greeter: { text: 'hello from a child' } } }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  info = JSON.parse(line) as typeof info;
});
afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

const req = (model: string) => ({
  baseUrl: info.baseUrls.openai,
  apiKey: 'sk-child',
  model,
  messages: [{ role: 'user' as const, content: 'hi' }],
  params: {},
  signal: new AbortController().signal,
});

it('prints its address and serves the scripts from MOCK_PROVIDERS', async () => {
  expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(info.baseUrls.gemini).toBe(`${info.url}/v1beta`);
  const sink = recorder();
  const out = await getAdapter('openai').stream(req('greeter'), sink);
  expect(out.status).toBe('ok');
  expect(sink.text).toBe('hello from a child');
});

it('takes new scripts and reports requests over its control endpoints', async () => {
  const set = await fetch(`${info.url}/__mock/script`, { method: 'POST', body: JSON.stringify({ model: 'late', script: { fault: 'server_503' } }) });
  expect(set.status).toBe(200);
  const out = await getAdapter('openai').stream(req('late'), recorder());
  expect(out.error?.kind).toBe('server');
  const records = (await (await fetch(`${info.url}/__mock/requests`)).json()) as Array<{ model: string; status: number; headers: Record<string, string> }>;
  expect(records.map((r) => [r.model, r.status])).toEqual([
    ['greeter', 200],
    ['late', 503],
  ]);
  expect(records[0]?.headers.authorization).toBe('[redacted]');
});
