/**
 * Attachments: what the workbench accepts (PNG, JPEG, WebP, GIF, PDF, UTF-8
 * text), how a file's type is told (from its first bytes, never its name), the
 * size limits, and how many input tokens each protocol charges for one.
 * Pure: the same rules run in the CLI, the engine and the renderer.
 */
import { z } from 'zod';

export const ATTACHMENT_MIMES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/pdf', 'text/plain'] as const;
export const AttachmentMime = z.enum(ATTACHMENT_MIMES);
export type AttachmentMime = z.infer<typeof AttachmentMime>;

/** What the catalog's `modalities.input` calls each kind; text files are inlined as text. */
export type AttachmentKind = 'image' | 'pdf' | 'text';

/**
 * A file attached to a user message, by content hash: the bytes are stored
 * once (SQLite `attachments`) however many messages, columns and runs use them.
 * @example { hash: '9f86d0…', mime: 'image/png', name: 'chart.png', size: 48213 }
 */
export const AttachmentRef = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'attachment hash must be 64 lowercase hex digits (sha256)'),
  mime: AttachmentMime,
  name: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
});
export type AttachmentRef = z.infer<typeof AttachmentRef>;

const MB = 1024 * 1024;

/**
 * Per kind, about what the providers take: Anthropic and OpenAI refuse images
 * over 20 MB and PDFs over 32 MB; a text file is inlined into the prompt, so
 * 2 MB (some 500k tokens) is already more than most context windows.
 */
export const ATTACHMENT_LIMITS: Record<AttachmentKind, number> = { image: 20 * MB, pdf: 32 * MB, text: 2 * MB };
export const MAX_ATTACHMENT_BYTES = Math.max(...Object.values(ATTACHMENT_LIMITS));
export const MAX_ATTACHMENTS_PER_MESSAGE = 20;

export function kindOf(mime: AttachmentMime): AttachmentKind {
  return mime === 'application/pdf' ? 'pdf' : mime === 'text/plain' ? 'text' : 'image';
}

/** "20 MB" */
export function formatLimit(bytes: number): string {
  return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / 1024)} KB`;
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((x, i) => b[at + i] === x);
const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));

/**
 * The binary type a file's first bytes announce, or null (then it may still be
 * text, see `isUtf8Text`). Sixteen bytes are enough.
 * @example sniffBinary(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) // 'image/png'
 */
export function sniffBinary(head: Uint8Array): Exclude<AttachmentMime, 'text/plain'> | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return 'image/webp';
  if (ascii(head, 0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

/** UTF-8 without NUL bytes: what a text editor would open as text. */
export function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Facts the token estimate needs, read once when the file is stored. */
export interface AttachmentFacts {
  width: number | null;
  height: number | null;
  pages: number | null;
}

function be16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}
function be32(b: Uint8Array, at: number): number {
  return be16(b, at) * 65536 + be16(b, at + 2);
}
function le16(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}
function le24(b: Uint8Array, at: number): number {
  return le16(b, at) | ((b[at + 2] ?? 0) << 16);
}

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    // SOF0-SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: be16(b, i + 5), width: be16(b, i + 7) };
    }
    i += 2 + be16(b, i + 2);
  }
  return null;
}

function webpSize(b: Uint8Array): { width: number; height: number } | null {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X') return { width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
  if (chunk === 'VP8L') {
    const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ') return { width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
  return null;
}

/** Pages of a PDF, counted from its page objects (no parser: an estimate, good enough for tokens). */
function pdfPages(b: Uint8Array): number | null {
  // latin1 keeps one char per byte, so binary streams cannot break the match.
  let text = '';
  const step = 1 << 16;
  for (let i = 0; i < b.length; i += step) text += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + step)));
  const n = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  return n > 0 ? n : null;
}

/**
 * @example attachmentFacts('image/png', pngBytes) // { width: 1, height: 1, pages: null }
 */
export function attachmentFacts(mime: AttachmentMime, b: Uint8Array): AttachmentFacts {
  let size: { width: number; height: number } | null = null;
  if (mime === 'image/png') size = { width: be32(b, 16), height: be32(b, 20) };
  else if (mime === 'image/gif') size = { width: le16(b, 6), height: le16(b, 8) };
  else if (mime === 'image/jpeg') size = jpegSize(b);
  else if (mime === 'image/webp') size = webpSize(b);
  const ok = size !== null && size.width > 0 && size.height > 0;
  return { width: ok ? size!.width : null, height: ok ? size!.height : null, pages: mime === 'application/pdf' ? pdfPages(b) : null };
}

export type TokenProtocol = 'openai' | 'anthropic' | 'gemini';

function fit(w: number, h: number, max: number): [number, number] {
  const s = Math.min(1, max / Math.max(w, h));
  return [w * s, h * s];
}

/**
 * Input tokens one image costs, by each protocol's documented rule (an estimate:
 * providers may resize differently). Unknown dimensions take the rule's largest image.
 * - OpenAI (high detail): fit in 2048x2048, shortest side to 768, 170 per 512px tile + 85.
 * - Anthropic: long edge to 1568, then width x height / 750.
 * - Gemini: 258 when both sides are 384 or less, else 258 per 768x768 tile.
 * @example imageTokens('openai', 1024, 1024) // 765
 */
export function imageTokens(protocol: TokenProtocol, width: number | null, height: number | null): number {
  if (width === null || height === null) return { openai: 1445, anthropic: 1600, gemini: 1032 }[protocol];
  if (protocol === 'openai') {
    let [w, h] = fit(width, height, 2048);
    const s = Math.min(1, 768 / Math.min(w, h));
    [w, h] = [w * s, h * s];
    return 85 + 170 * Math.ceil(w / 512) * Math.ceil(h / 512);
  }
  if (protocol === 'anthropic') {
    const [w, h] = fit(width, height, 1568);
    return Math.max(1, Math.ceil((w * h) / 750));
  }
  if (width <= 384 && height <= 384) return 258;
  return 258 * Math.ceil(width / 768) * Math.ceil(height / 768);
}

/**
 * Per PDF page: Gemini documents 258; Anthropic 1,500-3,000 for the text plus
 * the page as an image, and OpenAI sends both too, so 3,000 (the top) for them:
 * budgets are worst cases. A PDF whose pages cannot be counted counts as one.
 */
export const PDF_PAGE_TOKENS: Record<TokenProtocol, number> = { openai: 3000, anthropic: 3000, gemini: 258 };

/**
 * Tokens of one image or PDF for a protocol (text files are counted as the text they inline).
 * @example binaryAttachmentTokens('gemini', 'application/pdf', { width: null, height: null, pages: 3 }) // 774
 */
export function binaryAttachmentTokens(protocol: TokenProtocol, mime: AttachmentMime, facts: AttachmentFacts): number {
  const kind = kindOf(mime);
  if (kind === 'image') return imageTokens(protocol, facts.width, facts.height);
  if (kind === 'pdf') return PDF_PAGE_TOKENS[protocol] * (facts.pages ?? 1);
  return 0;
}

/** The header a text file is inlined under, the same for every protocol. */
export function inlineText(name: string, text: string): string {
  return `[file ${name}]\n${text}`;
}

/** Input modalities (catalog names) a request's attachments need from an endpoint; text files need none. */
export function requiredModalities(messages: ReadonlyArray<{ attachments?: ReadonlyArray<{ mime: AttachmentMime }> | undefined }>): Array<'image' | 'pdf'> {
  const out = new Set<'image' | 'pdf'>();
  for (const m of messages) {
    for (const a of m.attachments ?? []) {
      const k = kindOf(a.mime);
      if (k !== 'text') out.add(k);
    }
  }
  return [...out].sort();
}
