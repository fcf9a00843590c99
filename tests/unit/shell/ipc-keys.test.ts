/**
 * The desktop app's IPC under the same key rules as the host: a compromised
 * renderer can do no more than the form can. Real handlers (createApp with
 * transport 'ipc'), a real SQLite file, the fake Electron IPC and safeStorage,
 * and two real mock providers on loopback: the key's own and an attacker's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../electron/app/services';
import { registerContract } from '../../../electron/shell/ipc';
import { isAppUrl } from '../../../electron/shell/security';
import { createKeyVault } from '../../../electron/shell/key-vault';
import { startMockProviders, type MockProviders } from '../../mocks/provider-server';
import { FakeIpcMain, fakeSafeStorage, frame } from './fakes';

let app: App;
let ipc: FakeIpcMain;
let good: MockProviders;
let evil: MockProviders;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-ipc-keys-'));
  good = await startMockProviders({ defaultScript: { tokens: 2 } });
  evil = await startMockProviders({ defaultScript: { tokens: 2 } });
  const keyVault = await createKeyVault(fakeSafeStorage(), 'linux');
  app = createApp({ dataDir: dir, transport: 'ipc', keyVault, env: { AWS_SECRET_ACCESS_KEY: 'aws-secret-9999', SY_IPC_API_KEY: 'sk-env-5555' } });
  ipc = new FakeIpcMain();
  registerContract(ipc, app.handlers, isAppUrl, () => {});
});

afterAll(async () => {
  await app.close();
  await good.close();
  await evil.close();
  rmSync(dir, { recursive: true, force: true });
});

type Envelope = { ok: true; value: unknown } | { ok: false; error: string };
const call = (channel: string, args: unknown) => ipc.invoke(channel, frame(), args) as Promise<Envelope>;
const save = (args: Record<string, unknown>) => call('providers:save-provider', { type: 'openai', ...args });
const test = async (id: string) => ((await call('providers:test-provider', { id })) as { ok: true; value: { ok: boolean; error: string | null } }).value;
const shown = (m: MockProviders) => new URL(m.url).origin;

describe('keys through the desktop IPC', () => {
  it('refuses a variable that is not named like an API key', async () => {
    expect(await save({ id: 'exfil', baseUrl: evil.baseUrls.openai, apiKeyEnv: 'AWS_SECRET_ACCESS_KEY' })).toEqual({
      ok: false,
      error: expect.stringMatching(/^environment variable AWS_SECRET_ACCESS_KEY is not one this app may read as a key .*: add the provider from your shell with switchyard providers add <id> --api-key-env AWS_SECRET_ACCESS_KEY$/),
    });
    expect(evil.requests).toEqual([]);
  });

  it('a stored key goes only to its first host until it is pasted again', async () => {
    expect((await save({ id: 'typed', baseUrl: good.baseUrls.openai, apiKey: 'sk-typed-1111' })).ok).toBe(true);
    expect(await test('typed')).toMatchObject({ ok: true });
    expect(good.requests.at(-1)?.keyLast4).toBe('1111');

    // "keep the current key" with a new host: what a compromised renderer would send.
    expect(await save({ id: 'typed', baseUrl: evil.baseUrls.openai })).toEqual({
      ok: false,
      error: `the stored key of provider typed was first used with ${shown(good)}; to send it to ${shown(evil)}, paste the key again`,
    });
    expect(evil.requests).toEqual([]);
    const list = (await call('providers:list-providers', {})) as { ok: true; value: Array<{ id: string; baseUrl: string }> };
    expect(list.value.find((p) => p.id === 'typed')?.baseUrl).toBe(good.baseUrls.openai);

    // Pasting the key again is the user's say-so: it re-binds.
    expect((await save({ id: 'typed', baseUrl: evil.baseUrls.openai, apiKey: 'sk-typed-2222' })).ok).toBe(true);
    expect(await test('typed')).toMatchObject({ ok: true });
    expect(evil.requests.map((r) => r.keyLast4)).toEqual(['2222']);
  });

  it('an environment key cannot be moved from the renderer at all, not even by naming it again', async () => {
    expect((await save({ id: 'env', baseUrl: good.baseUrls.openai, apiKeyEnv: 'SY_IPC_API_KEY' })).ok).toBe(true);
    expect(await test('env')).toMatchObject({ ok: true });
    const before = evil.requests.length;
    for (const args of [{ id: 'env', baseUrl: evil.baseUrls.openai }, { id: 'env', baseUrl: evil.baseUrls.openai, apiKeyEnv: 'SY_IPC_API_KEY' }, { id: 'env2', baseUrl: evil.baseUrls.openai, apiKeyEnv: 'SY_IPC_API_KEY' }]) {
      expect(await save(args)).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`^key SY_IPC_API_KEY was first used with ${shown(good)}; to send it to ${shown(evil)}, enter it again from your shell: switchyard providers add ${args.id} `)) });
    }
    expect(evil.requests.length).toBe(before);
  });
});
