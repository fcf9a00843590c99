/**
 * Checkpoints as C2SP signed notes (c2sp.org/signed-note, c2sp.org/tlog-checkpoint):
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key hash || signature)>\n
 *
 * The Ed25519 key hash is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key);
 * the signature covers the note text (up to and including its last newline, not the blank line).
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

const ED25519 = 0x01;
const SIG_PREFIX = '\u2014 ';

/** The 32 raw bytes of an Ed25519 public key. */
export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ type: 'spki', format: 'der' });
  // SPKI for Ed25519 is a fixed 12-byte header followed by the key.
  return der.subarray(der.length - 32);
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  const header = Buffer.from('302a300506032b6570032100', 'hex');
  return createPublicKey({ key: Buffer.concat([header, raw]), format: 'der', type: 'spki' });
}

export function keyHash(name: string, rawPub: Uint8Array): Buffer {
  return createHash('sha256').update(name).update(Buffer.from([0x0a, ED25519])).update(rawPub).digest().subarray(0, 4);
}

/** The verifier key string of signed-note: `<name>+<hex key hash>+<base64(0x01 || key)>`. */
export function verifierKey(name: string, rawPub: Uint8Array): string {
  return `${name}+${keyHash(name, rawPub).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), rawPub]).toString('base64')}`;
}

export function parseVerifierKey(vkey: string): { name: string; keyHash: Buffer; publicKey: Buffer } | null {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey.trim());
  if (!m) return null;
  const bytes = Buffer.from(m[3]!, 'base64');
  if (bytes.length !== 33 || bytes[0] !== ED25519) return null;
  const publicKey = bytes.subarray(1);
  const hash = Buffer.from(m[2]!, 'hex');
  if (!keyHash(m[1]!, publicKey).equals(hash)) return null;
  return { name: m[1]!, keyHash: hash, publicKey };
}

export function checkpointText(origin: string, size: number, root: Uint8Array): string {
  return `${origin}\n${size}\n${Buffer.from(root).toString('base64')}\n`;
}

export interface Signer {
  /** The key name on signature lines. */
  name: string;
  rawPublicKey: Buffer;
  backend: string;
  sign(text: Buffer): Promise<Buffer> | Buffer;
}

export async function signNote(text: string, signer: Signer): Promise<string> {
  if (!text.endsWith('\n')) throw new Error('a note text ends with a newline');
  const sig = await signer.sign(Buffer.from(text, 'utf8'));
  const blob = Buffer.concat([keyHash(signer.name, signer.rawPublicKey), sig]).toString('base64');
  return `${text}\n${SIG_PREFIX}${signer.name} ${blob}\n`;
}

export interface ParsedNote {
  text: string;
  signatures: Array<{ name: string; keyHash: Buffer; signature: Buffer }>;
}

/** Splits a signed note at its last blank line; null when it is not one. */
export function parseNote(note: string): ParsedNote | null {
  if (!note.endsWith('\n')) return null;
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return null;
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const signatures: ParsedNote['signatures'] = [];
  for (const line of lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) return null;
    const bytes = Buffer.from(m[2]!, 'base64');
    if (bytes.length < 5) return null;
    signatures.push({ name: m[1]!, keyHash: bytes.subarray(0, 4), signature: bytes.subarray(4) });
  }
  return signatures.length ? { text, signatures } : null;
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

/** The three lines of a tlog checkpoint (extension lines, if any, are ignored). */
export function parseCheckpointText(text: string): Checkpoint | null {
  const lines = text.split('\n');
  if (lines.length < 4 || lines.at(-1) !== '') return null;
  const [origin, size, root] = lines as [string, string, string];
  if (!origin || !/^(0|[1-9]\d{0,15})$/.test(size)) return null;
  const rootBytes = Buffer.from(root, 'base64');
  if (rootBytes.length !== 32 || rootBytes.toString('base64') !== root) return null;
  return { origin, size: Number(size), root: rootBytes };
}

/** True when one of the note's signatures is a valid Ed25519 signature by this key. */
export function verifyNote(parsed: ParsedNote, name: string, rawPub: Uint8Array): boolean {
  const hash = keyHash(name, rawPub);
  const key = publicKeyFromRaw(rawPub);
  return parsed.signatures.some((s) => s.name === name && s.keyHash.equals(hash) && s.signature.length === 64 && verify(null, Buffer.from(parsed.text, 'utf8'), key, s.signature));
}

/** A signer over a private KeyObject held in memory. */
export function keySigner(name: string, privateKey: KeyObject, backend: string): Signer {
  const pub = rawPublicKey(createPublicKey(privateKey));
  return { name, rawPublicKey: pub, backend, sign: (text) => sign(null, text, privateKey) };
}
