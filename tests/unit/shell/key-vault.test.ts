import { describe, expect, it } from 'vitest';
import { BASIC_TEXT_WARNING, createKeyVault, UNAVAILABLE_WARNING, UNKNOWN_WARNING } from '../../../electron/shell/key-vault';
import { fakeSafeStorage } from './fakes';

describe('key vault over safeStorage', () => {
  it('uses the async API when Electron has it, and round-trips without storing plaintext', async () => {
    const storage = fakeSafeStorage({ async: true });
    const vault = await createKeyVault(storage, 'linux');
    const cipher = await vault.encrypt('sk-test-1234');
    expect(cipher.toString()).not.toContain('sk-test-1234');
    expect(await vault.decrypt(cipher)).toBe('sk-test-1234');
    expect(storage.calls).toEqual(['isAsyncEncryptionAvailable', 'encryptStringAsync', 'decryptStringAsync']);
    expect(vault).toMatchObject({ backend: 'gnome_libsecret', secure: true, warning: null });
  });

  it('falls back to the sync API on an Electron without the async one', async () => {
    const storage = fakeSafeStorage({ async: false, backend: 'kwallet6' });
    const vault = await createKeyVault(storage, 'linux');
    expect(await vault.decrypt(await vault.encrypt('sk-x'))).toBe('sk-x');
    expect(storage.calls).toEqual(['isEncryptionAvailable', 'encryptString', 'decryptString']);
    expect(vault).toMatchObject({ backend: 'kwallet6', secure: true, warning: null });
  });

  it('flags Linux basic_text as not secure, says what it means, and still works', async () => {
    const vault = await createKeyVault(fakeSafeStorage({ backend: 'basic_text' }), 'linux');
    expect(vault.backend).toBe('basic_text');
    expect(vault.secure).toBe(false);
    expect(vault.warning).toBe(BASIC_TEXT_WARNING);
    expect(vault.warning).toMatch(/only obfuscated/);
    expect(vault.warning).toMatch(/gnome-keyring or KWallet/);
    expect(vault.warning).toMatch(/environment variables/);
    expect(await vault.decrypt(await vault.encrypt('sk-y'))).toBe('sk-y');
  });

  it('refuses to encrypt when no keychain is available at all', async () => {
    const vault = await createKeyVault(fakeSafeStorage({ available: false }), 'linux');
    expect(vault).toMatchObject({ backend: 'unavailable', secure: false, warning: UNAVAILABLE_WARNING });
    await expect(vault.encrypt('sk-z')).rejects.toThrow(/^cannot store API keys: no OS keychain is available/);
    await expect(vault.decrypt(Buffer.from('x'))).rejects.toThrow(/no OS keychain/);
  });

  it('does not call an unknown Linux backend secure', async () => {
    const vault = await createKeyVault(fakeSafeStorage({ backend: 'unknown' }), 'linux');
    expect(vault).toMatchObject({ secure: false, warning: UNKNOWN_WARNING });
  });

  it('names the OS keychain on macOS and Windows', async () => {
    expect(await createKeyVault(fakeSafeStorage(), 'darwin')).toMatchObject({ backend: 'keychain', secure: true, warning: null });
    expect(await createKeyVault(fakeSafeStorage(), 'win32')).toMatchObject({ backend: 'dpapi', secure: true, warning: null });
  });
});
