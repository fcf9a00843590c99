/**
 * "Did this secret ever leave?" without keeping what left. For each send, the
 * text strings of the request body are cut into pieces, and each piece is kept
 * only as the first 8 bytes of SHA-256(salt || piece), with a fresh random salt
 * per send. A question is cut the same way and hashed with each send's salt.
 *
 * Pieces of a string value: the whole value (trimmed), each whitespace-delimited
 * token, and each token's parts split at the punctuation around credentials
 * (`= : , ; & ? / " ' ( ) [ ] { } < >` and backticks), so `API_KEY="sk-abc"` and
 * `https://x/?token=abc` yield `sk-abc` and `abc`. Pieces under 4 or over 4,096
 * characters are not kept (base64 images, for one).
 *
 * What a match means: every piece of the question was in one request. It does
 * not prove they were next to each other, nor find a secret split across
 * tokens, reformatted, or inside an attachment sent as base64. The salts make a
 * precomputed table useless, not a guess: whoever has the database can test a
 * guessed low-entropy string against it (as they could read the history itself).
 */
import { createHash, randomBytes } from 'node:crypto';

const MIN = 4;
const MAX = 4096;
const HASH_BYTES = 8;
const PARTS = /[=:,;&?/"'()[\]{}<>`]+/;

/** The distinct pieces of one text, in the order found. */
export function piecesOf(text: string, into: Set<string> = new Set()): Set<string> {
  const add = (p: string) => {
    if (p.length >= MIN && p.length <= MAX) into.add(p);
  };
  const whole = text.trim();
  add(whole);
  for (const token of whole.split(/\s+/)) {
    add(token);
    if (PARTS.test(token)) for (const part of token.split(PARTS)) add(part);
  }
  return into;
}

/** Every string value in a request body, keys of objects excluded. */
function stringsOf(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsOf(v, out);
}

function pieceHash(salt: Buffer, piece: string): Buffer {
  return createHash('sha256').update(salt).update(piece).digest().subarray(0, HASH_BYTES);
}

export interface SentIndex {
  salt: Buffer;
  /** 8 bytes per piece, sorted, so a lookup is a binary search. */
  hashes: Buffer;
  count: number;
  /** SHA-256 (hex) of salt || hashes: what the send entry carries, so the row is covered by the tree. */
  sha256: string;
}

export function buildSentIndex(body: unknown): SentIndex {
  const strings: string[] = [];
  stringsOf(body, strings);
  const pieces = new Set<string>();
  for (const s of strings) if (s.length <= 4 * 1024 * 1024) piecesOf(s, pieces);
  const salt = randomBytes(16);
  const list = [...pieces].map((p) => pieceHash(salt, p)).sort(Buffer.compare);
  const hashes = Buffer.concat(list);
  return { salt, hashes, count: list.length, sha256: indexDigest(salt, hashes) };
}

export function indexDigest(salt: Buffer, hashes: Buffer): string {
  return createHash('sha256').update(salt).update(hashes).digest('hex');
}

function contains(hashes: Buffer, h: Buffer): boolean {
  let lo = 0;
  let hi = hashes.length / HASH_BYTES - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = hashes.compare(h, 0, HASH_BYTES, mid * HASH_BYTES, (mid + 1) * HASH_BYTES);
    if (c === 0) return true;
    if (c > 0) hi = mid - 1;
    else lo = mid + 1;
  }
  return false;
}

export interface SentMatch {
  /** The whole question was one of the strings sent (a whole prompt, a whole token). */
  whole: boolean;
  /** How many of the question's tokens were in the request. */
  tokensFound: number;
  tokens: number;
}

/** The question's tokens: what can be looked for (pieces of the right length). */
export function queryTokens(query: string): string[] {
  return query.trim().split(/\s+/).filter((t) => t.length >= MIN && t.length <= MAX);
}

export function matchSent(query: string, salt: Buffer, hashes: Buffer): SentMatch {
  const whole = query.trim();
  const tokens = queryTokens(query);
  const found = tokens.filter((t) => contains(hashes, pieceHash(salt, t))).length;
  return { whole: whole.length >= MIN && whole.length <= MAX && contains(hashes, pieceHash(salt, whole)), tokensFound: found, tokens: tokens.length };
}
