/**
 * Files the user drops, pastes or picks, read for the upload call. Sizes are
 * checked before reading, so a huge file is refused at once rather than read
 * into memory.
 */
import { ATTACHMENT_LIMITS, MAX_ATTACHMENT_BYTES, formatLimit } from '../../shared/attachments';

/** A one-line refusal when the file is over any limit it may fall under (the type is told by the host from its bytes). */
export function sizeProblem(file: { name: string; size: number; type: string }): string | null {
  const image = file.type.startsWith('image/');
  const limit = image ? ATTACHMENT_LIMITS.image : MAX_ATTACHMENT_BYTES;
  if (file.size <= limit) return null;
  return `cannot attach ${file.name}: over the ${formatLimit(limit)} limit for ${image ? 'images' : 'any file'}`;
}

/** The file's bytes as base64, in slices (String.fromCharCode on megabytes at once overflows the stack). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

/** Small images get a thumbnail (a data: URL, which the CSP allows); big ones a plain chip. */
export const THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024;
