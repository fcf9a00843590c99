/**
 * Attachments on the engine side: taking a file in (type from its bytes,
 * limits, hash, stored once), checking a request's references against the
 * store, and loading the bytes at send time for the adapters.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import {
  ATTACHMENT_LIMITS,
  MAX_ATTACHMENT_BYTES,
  attachmentFacts,
  binaryAttachmentTokens,
  formatLimit,
  inlineText,
  isUtf8Text,
  kindOf,
  sniffBinary,
  type AttachmentMime,
  type AttachmentRef,
  type TokenProtocol,
} from '../../shared/attachments';
import type { CompareRequest } from '../../shared/domain';
import { quote } from '../../shared/quote';
import type { Store } from '../store';
import type { StoredAttachment } from '../store/attachments-repo';
import { UserError } from './errors';
import { describeSystemError, showPath } from './system-errors';
import type { AttachmentData } from './providers/types';
import { countTokensBatch, MESSAGE_OVERHEAD } from './tokens';

const KIND_WORD = { image: 'images', pdf: 'PDFs', text: 'text files' } as const;
const SUPPORTED = 'PNG, JPEG, WebP, GIF, PDF or UTF-8 text';

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function label(name: string): string {
  return quote(name, 80);
}

/** The type of a whole file, or a one-line refusal. */
function typeOf(name: string, bytes: Uint8Array): AttachmentMime {
  const binary = sniffBinary(bytes.subarray(0, 16));
  if (binary) return binary;
  if (bytes.length > ATTACHMENT_LIMITS.text) throw tooBig(name, bytes.length, 'text/plain');
  if (bytes.length > 0 && isUtf8Text(bytes)) return 'text/plain';
  throw new UserError(`cannot attach ${label(name)}: ${bytes.length === 0 ? 'the file is empty' : `unsupported type (${SUPPORTED})`}`);
}

function tooBig(name: string, size: number, mime: AttachmentMime): UserError {
  const kind = kindOf(mime);
  return new UserError(`cannot attach ${label(name)}: ${mb(size)} is over the ${formatLimit(ATTACHMENT_LIMITS[kind])} limit for ${KIND_WORD[kind]}`);
}

/**
 * Stores a file's bytes once by sha256 and returns the reference a message carries.
 * @example ingestAttachment(store, 'chart.png', bytes) // { hash: '9f86…', mime: 'image/png', name: 'chart.png', size: 68 }
 */
export function ingestAttachment(store: Pick<Store, 'attachments'>, name: string, bytes: Uint8Array, now = Date.now()): AttachmentRef {
  // Control characters in a name would break the one-line messages and the inlined header.
  const clean = [...name].filter((ch) => ch.charCodeAt(0) > 0x1f && ch !== '\x7f').join('').slice(0, 255) || 'attachment';
  if (bytes.length > MAX_ATTACHMENT_BYTES) throw new UserError(`cannot attach ${label(clean)}: ${mb(bytes.length)} is over the ${formatLimit(MAX_ATTACHMENT_BYTES)} limit for any file`);
  const mime = typeOf(clean, bytes);
  if (bytes.length > ATTACHMENT_LIMITS[kindOf(mime)]) throw tooBig(clean, bytes.length, mime);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const ref: AttachmentRef = { hash, mime, name: clean, size: bytes.length };
  store.attachments.put({ ...ref, ...attachmentFacts(mime, bytes) }, bytes, now);
  return ref;
}

/**
 * Reads a file the user named (`--image FILE`, `--file FILE`): its size is
 * checked before anything is read, so a 4 GB file costs nothing.
 * `want: 'image'` refuses anything that is not an image.
 */
export function attachFile(store: Pick<Store, 'attachments'>, path: string, want: 'image' | 'any'): AttachmentRef {
  const flag = want === 'image' ? '--image' : '--file';
  let fd: number;
  try {
    // Non-blocking, so a FIFO named here cannot hang the open (it is refused just below).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new UserError(`${flag}: ${describeSystemError(err, { action: 'read', path }) ?? `cannot read ${showPath(path)}`}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UserError(`${flag}: cannot read ${showPath(path)}: it is a folder; give a file name`);
    // The same rule as limits.ts's readBoundedFile (whose single limit cannot wait for the type, told from the first bytes).
    if (!st.isFile()) throw new UserError(`${flag}: ${showPath(path)} is not a regular file (devices, FIFOs and sockets are refused)`);
    const name = basename(path);
    if (st.size > MAX_ATTACHMENT_BYTES) throw new UserError(`${flag}: cannot attach ${label(name)}: ${mb(st.size)} is over the ${formatLimit(MAX_ATTACHMENT_BYTES)} limit for any file`);
    const head = new Uint8Array(16);
    readSync(fd, head, 0, 16, 0);
    const binary = sniffBinary(head);
    if (want === 'image' && (binary === null || kindOf(binary) !== 'image')) {
      throw new UserError(`--image: ${showPath(path)} is not a PNG, JPEG, WebP or GIF image${binary === 'application/pdf' ? ' (it is a PDF: use --file)' : ''}`);
    }
    const limit = binary ? ATTACHMENT_LIMITS[kindOf(binary)] : ATTACHMENT_LIMITS.text;
    if (st.size > limit) throw new UserError(`${flag}: ${tooBig(name, st.size, binary ?? 'text/plain').message}`);
    const bytes = new Uint8Array(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, bytes, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    try {
      return ingestAttachment(store, name, bytes.subarray(0, got));
    } catch (err) {
      if (err instanceof UserError) throw new UserError(`${flag}: ${err.message}`);
      throw err;
    }
  } finally {
    closeSync(fd);
  }
}

/** Every hash a request refers to, once each, in order. */
export function requestHashes(request: Pick<CompareRequest, 'messages'>): string[] {
  const out = new Set<string>();
  for (const m of request.messages) for (const a of m.attachments ?? []) out.add(a.hash);
  return [...out];
}

/**
 * Checks each reference against the store and takes the stored type and size
 * (a caller's `mime` is never trusted: the bytes decided it at upload).
 * Throws one line for a hash that is not stored.
 */
export function resolveAttachments(store: Pick<Store, 'attachments'>, request: CompareRequest): { request: CompareRequest; stored: Map<string, StoredAttachment> } {
  const stored = new Map<string, StoredAttachment>();
  if (!request.messages.some((m) => m.attachments?.length)) return { request, stored };
  for (const hash of requestHashes(request)) {
    const meta = store.attachments.meta(hash);
    if (!meta) throw new UserError(`attachment ${hash.slice(0, 12)}… is not stored on this machine: attach the file again`, 'not_found');
    stored.set(hash, meta);
  }
  const messages = request.messages.map((m) =>
    m.attachments?.length ? { ...m, attachments: m.attachments.map((a) => ({ ...a, mime: stored.get(a.hash)!.mime, size: stored.get(a.hash)!.size })) } : m,
  );
  return { request: { ...request, messages }, stored };
}

/** The bytes of every attachment, encoded once per run and shared by its columns. */
export function loadAttachments(store: Pick<Store, 'attachments'>, stored: ReadonlyMap<string, StoredAttachment>): Map<string, AttachmentData> {
  const out = new Map<string, AttachmentData>();
  for (const [hash, meta] of stored) {
    const bytes = store.attachments.bytes(hash);
    if (!bytes) throw new UserError(`attachment ${meta.name} is no longer stored: attach the file again`, 'not_found');
    out.set(hash, meta.mime === 'text/plain' ? { mime: meta.mime, name: meta.name, text: bytes.toString('utf8') } : { mime: meta.mime, name: meta.name, base64: bytes.toString('base64') });
  }
  return out;
}

/** Upper bound on the tokens of the request's attachments under any protocol (text: 3 bytes a token, as token-bound.ts). */
export function attachmentTokenBound(request: Pick<CompareRequest, 'messages'>, stored: ReadonlyMap<string, StoredAttachment>): number {
  let total = 0;
  for (const m of request.messages) {
    for (const a of m.attachments ?? []) {
      const meta = stored.get(a.hash);
      if (!meta) continue;
      total += meta.mime === 'text/plain' ? 8 + Math.ceil(meta.size / 3) : Math.max(...(['openai', 'anthropic', 'gemini'] as const).map((p) => binaryAttachmentTokens(p, meta.mime, meta)));
    }
  }
  return total;
}

/**
 * Estimated tokens of the request's images and PDFs for one protocol (text files
 * are counted with the prompt's text by the caller).
 */
export function binaryTokensFor(protocol: TokenProtocol, request: Pick<CompareRequest, 'messages'>, stored: ReadonlyMap<string, StoredAttachment>): number {
  let total = 0;
  for (const m of request.messages) for (const a of m.attachments ?? []) {
    const meta = stored.get(a.hash);
    if (meta) total += binaryAttachmentTokens(protocol, meta.mime, meta);
  }
  return total;
}

/**
 * Input tokens of the attachments for a column whose provider reported no
 * usage: images and PDFs by the protocol's rule, text files counted (off the
 * event loop, as the prompt is). An estimate, as `usage.estimated` says.
 */
export async function fallbackAttachmentTokens(
  protocol: TokenProtocol,
  request: Pick<CompareRequest, 'messages'>,
  stored: ReadonlyMap<string, StoredAttachment> | undefined,
  files: ReadonlyMap<string, AttachmentData> | undefined,
  modelId: string | undefined,
): Promise<number> {
  if (!stored?.size) return 0;
  const texts = request.messages.flatMap((m) => (m.attachments ?? []).flatMap((a) => {
    const f = files?.get(a.hash);
    return f && 'text' in f ? [inlineText(a.name, f.text)] : [];
  }));
  const counted = texts.length ? await countTokensBatch(texts, modelId) : [];
  return binaryTokensFor(protocol, request, stored) + counted.reduce((sum, n) => sum + MESSAGE_OVERHEAD + n, 0);
}
