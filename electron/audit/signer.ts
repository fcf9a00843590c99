/**
 * The checkpoint signing key, one per installation. In the desktop app it is
 * kept like the API keys: encrypted by the OS keychain (Electron safeStorage,
 * the KeyVault) in the secrets table. Where there is no keychain (the CLI, the
 * headless host) it is a PKCS#8 file in the data directory, readable only by
 * the user (mode 0600), and creating it says so once.
 *
 * Both may exist for one data directory (the app and the CLI each sign with
 * the key they can use); every public key that signed is kept in audit_keys.
 */
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Store } from '../store';
import type { KeyVault } from '../engine/keys';
import { keyHash, keySigner, type Signer } from './note';

export const KEY_FILE = 'audit-signing-key.pem';
const VAULT_SECRET_ID = 'audit:signing-key';

export const FILE_KEY_WARNING = (path: string) =>
  `audit: created the checkpoint signing key as a file (${path}, readable only by you), not in an OS keychain: anyone who can read it can sign checkpoints; keep exported checkpoints elsewhere to rely on them`;

export interface SignerSource {
  dataDir: string | null;
  vault: KeyVault | null;
  /** Said once, when a file key is created. */
  warn?: (message: string) => void;
}

function newKey(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

function pem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** A key that was not there before, so the log can record its creation. */
export interface LoadedSigner {
  signer: Signer;
  created: boolean;
}

async function fromVault(store: Store, vault: KeyVault, name: string): Promise<LoadedSigner | null> {
  const row = store.secrets.get(VAULT_SECRET_ID);
  try {
    if (row) return { signer: keySigner(name, createPrivateKey(await vault.decrypt(row.ciphertext)), `keychain:${row.backend}`), created: false };
    const key = newKey();
    store.secrets.put(VAULT_SECRET_ID, await vault.encrypt(pem(key)), vault.backend, '', Date.now());
    return { signer: keySigner(name, key, `keychain:${vault.backend}`), created: true };
  } catch {
    // No usable keychain (unavailable, or the key was made under another one): the file key signs instead.
    return null;
  }
}

function fromFile(dataDir: string, name: string, warn?: (m: string) => void): LoadedSigner {
  const path = join(dataDir, KEY_FILE);
  if (existsSync(path)) {
    // Someone widened it: put it back to the user's alone before using it.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return { signer: keySigner(name, createPrivateKey(readFileSync(path, 'utf8')), 'file'), created: false };
  }
  const key = newKey();
  // 'wx': two processes creating it at once must not overwrite each other's key.
  try {
    writeFileSync(path, pem(key), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fromFile(dataDir, name, warn);
    throw err;
  }
  warn?.(FILE_KEY_WARNING(path));
  return { signer: keySigner(name, key, 'file'), created: true };
}

/** The signer this process uses; an in-memory database (tests) gets a key that lives as long as the process. */
export async function loadSigner(store: Store, src: SignerSource, name: string): Promise<LoadedSigner> {
  if (src.vault) {
    const v = await fromVault(store, src.vault, name);
    if (v) return v;
  }
  if (src.dataDir === null) return { signer: keySigner(name, newKey(), 'memory'), created: true };
  return fromFile(src.dataDir, name, src.warn);
}

export function signerKeyHash(s: Signer): string {
  return keyHash(s.name, s.rawPublicKey).toString('hex');
}
