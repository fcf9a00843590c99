/**
 * C2SP signed notes: the spec's own example key hash, a round trip through
 * sign/parse/verify, and refusals of a changed text, another key or a malformed note.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointText, keyHash, keySigner, parseCheckpointText, parseNote, parseVerifierKey, signNote, verifierKey, verifyNote } from '../../../electron/audit/note';
import { encodeEntry, decodeEntry } from '../../../electron/audit/entries';

describe('signed notes', () => {
  it('a checkpoint signs, parses and verifies; the key hash is SHA-256(name || 0x0A || 0x01 || key)[:4]', async () => {
    const signer = keySigner('example.com/log', generateKeyPairSync('ed25519').privateKey, 'memory');
    const root = Buffer.alloc(32, 7);
    const note = await signNote(checkpointText('example.com/log', 42, root), signer);
    const [origin, size, b64, blank, sigLine, end] = note.split('\n');
    expect([origin, size, b64, blank, end]).toEqual(['example.com/log', '42', root.toString('base64'), '', '']);
    expect(sigLine!.startsWith('\u2014 example.com/log ')).toBe(true);
    const parsed = parseNote(note)!;
    expect(parsed.signatures[0]!.keyHash).toEqual(keyHash('example.com/log', signer.rawPublicKey));
    expect(parsed.signatures[0]!.signature).toHaveLength(64);
    expect(verifyNote(parsed, 'example.com/log', signer.rawPublicKey)).toBe(true);
    expect(parseCheckpointText(parsed.text)).toEqual({ origin: 'example.com/log', size: 42, root });

    const other = keySigner('example.com/log', generateKeyPairSync('ed25519').privateKey, 'memory');
    expect(verifyNote(parsed, 'example.com/log', other.rawPublicKey)).toBe(false);
    expect(verifyNote({ ...parsed, text: parsed.text.replace('42', '43') }, 'example.com/log', signer.rawPublicKey)).toBe(false);
    expect(parseNote('no signature\n')).toBeNull();
    expect(parseNote('text\n\nnot a signature line\n')).toBeNull();
    expect(parseCheckpointText('o\n01\nAAAA\n')).toBeNull();
  });

  it('the verifier key string round-trips and rejects a wrong hash', () => {
    const s = keySigner('sy', generateKeyPairSync('ed25519').privateKey, 'memory');
    const vkey = verifierKey('sy', s.rawPublicKey);
    expect(parseVerifierKey(vkey)).toMatchObject({ name: 'sy', publicKey: s.rawPublicKey });
    expect(parseVerifierKey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toBeNull();
  });

  it('matches the key hash of the spec example verifier key (PeterNeumann)', () => {
    // From c2sp.org/signed-note: PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW
    expect(parseVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).not.toBeNull();
  });
});

describe('audit entries', () => {
  it('are RFC 8785 canonical: keys sorted, no spaces, and decode reports a non-canonical edit', () => {
    const bytes = encodeEntry({ v: 1, seq: 3, at: '2026-12-06T00:00:00.000Z', prev: null, kind: 'run-delete', runId: 'r1' } as never);
    expect(bytes.toString()).toBe('{"at":"2026-12-06T00:00:00.000Z","kind":"run-delete","prev":null,"runId":"r1","seq":3,"v":1}');
    expect(decodeEntry(bytes.toString())).toMatchObject({ ok: true, canonical: true });
    expect(decodeEntry(bytes.toString().replace(',"seq"', ', "seq"'))).toMatchObject({ ok: true, canonical: false });
    expect(decodeEntry('{"v":1}')).toMatchObject({ ok: false });
  });
});
