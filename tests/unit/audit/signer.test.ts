/**
 * Where the checkpoint signing key lives: behind the keychain (a KeyVault) in
 * the desktop app, never as a file; a 0600 file elsewhere, announced once.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../electron/store';
import { KEY_FILE, loadSigner } from '../../../electron/audit/signer';
import type { KeyVault } from '../../../electron/engine/keys';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-signer-'));
  dirs.push(dir);
  const store = openStore(dir);
  stores.push(store);
  return { dir, store };
}

/** A stand-in keychain: reversible, and what it stores does not contain the plaintext. */
const vault: KeyVault = {
  backend: 'test-keychain', secure: true, warning: null,
  encrypt: async (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
  decrypt: async (cipher) => Buffer.from(cipher.map((b) => b ^ 0x5a)).toString('utf8'),
};

describe('audit signing key', () => {
  it('with a keychain: kept encrypted in the secrets table, no file, the same key on the next load', async () => {
    const { dir, store } = setup();
    const warnings: string[] = [];
    const a = await loadSigner(store, { dataDir: dir, vault, warn: (m) => warnings.push(m) }, 'log');
    expect(a).toMatchObject({ created: true, signer: { backend: 'keychain:test-keychain' } });
    expect(existsSync(join(dir, KEY_FILE))).toBe(false);
    const row = store.secrets.get('audit:signing-key')!;
    expect(row.ciphertext.toString('utf8')).not.toContain('PRIVATE KEY');
    const b = await loadSigner(store, { dataDir: dir, vault }, 'log');
    expect(b.created).toBe(false);
    expect(b.signer.rawPublicKey).toEqual(a.signer.rawPublicKey);
    expect(warnings).toEqual([]);
  });

  it('without one: a file only the user can read, said once', async () => {
    const { dir, store } = setup();
    const warnings: string[] = [];
    const a = await loadSigner(store, { dataDir: dir, vault: null, warn: (m) => warnings.push(m) }, 'log');
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const b = await loadSigner(store, { dataDir: dir, vault: null, warn: (m) => warnings.push(m) }, 'log');
    expect(b.signer.rawPublicKey).toEqual(a.signer.rawPublicKey);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/as a file .*readable only by you/);
  });
});
