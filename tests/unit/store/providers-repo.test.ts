/**
 * The providers as every run reads them: each row is validated once per content, and a row another
 * process changed (another connection on the same file) is read as it is now.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../electron/store';
import { ProviderConfig } from '../../../shared/domain';

const stores: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(dir: string): Store {
  const s = openStore(dir);
  stores.push(s);
  return s;
}

const provider = (id: string, baseUrl: string) => ProviderConfig.parse({ id, type: 'openai', baseUrl, keys: [{ kind: 'env', name: 'X_API_KEY' }] });

describe('providers repository', () => {
  it('lists what another connection saved, changed or removed since the last list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-providers-'));
    dirs.push(dir);
    const app = open(dir);
    const cli = open(dir);
    app.providers.save(provider('a', 'http://127.0.0.1:1/v1'), 1);
    expect(app.providers.list().map((p) => p.baseUrl)).toEqual(['http://127.0.0.1:1/v1']);
    const first = app.providers.list()[0];
    expect(app.providers.list()[0]).toBe(first);

    cli.providers.save(provider('a', 'http://127.0.0.1:2/v1'), 2);
    cli.providers.save(provider('b', 'http://127.0.0.1:3/v1'), 2);
    expect(app.providers.list().map((p) => [p.id, p.baseUrl])).toEqual([['a', 'http://127.0.0.1:2/v1'], ['b', 'http://127.0.0.1:3/v1']]);
    cli.providers.remove('a');
    expect(app.providers.list().map((p) => p.id)).toEqual(['b']);
  });

  it('hands out providers no caller can change under the others', () => {
    const store = open(mkdtempSync(join(tmpdir(), 'switchyard-providers-')));
    dirs.push(store.db.name.replace(/[\\/]switchyard\.db$/, ''));
    store.providers.save(provider('a', 'http://127.0.0.1:1/v1'), 1);
    const [p] = store.providers.list();
    expect(() => ((p as { baseUrl: string }).baseUrl = 'http://evil.example')).toThrow(TypeError);
    expect(() => (p!.keys as unknown[]).push({ kind: 'env', name: 'Y' })).toThrow(TypeError);
    expect(store.providers.list()[0]!.baseUrl).toBe('http://127.0.0.1:1/v1');
  });
});
