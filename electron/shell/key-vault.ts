/**
 * API keys at rest in the desktop app: encrypted with Electron `safeStorage`
 * (the OS keychain), so the database only ever holds ciphertext.
 *
 * The async API (Electron 39+) is preferred: it does not block the main
 * process on a keychain prompt, and it reports key rotation. The sync API is
 * the fallback for an Electron without it.
 */
import type { KeyVault } from '../engine/keys';

/** The slice of `safeStorage` used; the async members are optional because older Electrons lack them. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
  isAsyncEncryptionAvailable?(): Promise<boolean>;
  encryptStringAsync?(plainText: string): Promise<Buffer>;
  decryptStringAsync?(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
}

export const BASIC_TEXT_WARNING =
  'API keys are only obfuscated, not protected by an OS keychain: Electron found no secret service and fell back to its "basic_text" store, ' +
  'so anyone who can read your Switchyard data folder can recover them. Install and unlock gnome-keyring or KWallet and restart Switchyard, ' +
  'or give providers keys through environment variables instead.';

export const UNAVAILABLE_WARNING =
  'No OS keychain is available, so Switchyard cannot store API keys. Give providers keys through environment variables, ' +
  'or install and unlock gnome-keyring or KWallet (Linux) and restart Switchyard.';

export const UNKNOWN_WARNING =
  'Switchyard could not tell which keychain protects API keys, so treat stored keys as obfuscated only; environment variables are the safer choice here.';

function platformBackend(platform: NodeJS.Platform, storage: SafeStorageLike): string {
  if (platform === 'darwin') return 'keychain';
  if (platform === 'win32') return 'dpapi';
  return storage.getSelectedStorageBackend?.() ?? 'unknown';
}

/**
 * Builds the vault once `app` is ready (before that Linux reports 'unknown').
 *
 * @example const vault = await createKeyVault(electron.safeStorage); vault.secure // false on basic_text
 */
export async function createKeyVault(storage: SafeStorageLike, platform: NodeJS.Platform = process.platform): Promise<KeyVault> {
  const { isAsyncEncryptionAvailable, encryptStringAsync, decryptStringAsync } = storage;
  const crypt =
    isAsyncEncryptionAvailable && encryptStringAsync && decryptStringAsync
      ? {
          available: () => isAsyncEncryptionAvailable.call(storage),
          encrypt: (plain: string) => encryptStringAsync.call(storage, plain),
          decrypt: async (cipher: Buffer) => (await decryptStringAsync.call(storage, cipher)).result,
        }
      : {
          available: async () => storage.isEncryptionAvailable(),
          encrypt: async (plain: string) => storage.encryptString(plain),
          decrypt: async (cipher: Buffer) => storage.decryptString(cipher),
        };
  const available = await crypt.available();
  const backend = available ? platformBackend(platform, storage) : 'unavailable';
  const obfuscatedOnly = backend === 'basic_text';
  const secure = available && !obfuscatedOnly && backend !== 'unknown';
  const warning = !available ? UNAVAILABLE_WARNING : obfuscatedOnly ? BASIC_TEXT_WARNING : secure ? null : UNKNOWN_WARNING;

  const refuse = (): Promise<never> =>
    Promise.reject(new Error('cannot store API keys: no OS keychain is available (use an environment variable for this key)'));
  return {
    backend,
    secure,
    warning,
    encrypt: (plain: string) => (available ? crypt.encrypt(plain) : refuse()),
    // shouldReEncrypt (the keychain key rotated) is not acted on: the old ciphertext stays readable and the next save re-encrypts.
    decrypt: (cipher: Buffer) => (available ? crypt.decrypt(cipher) : refuse()),
  };
}
