/**
 * A message's attachments in each protocol's own shape. Files come first, then
 * the message's text (Anthropic advises images before the question; the others
 * do not mind). Text files are inlined as text under their name everywhere.
 */
import { inlineText } from '../../../shared/attachments';
import type { ChatMessage } from '../../../shared/domain';
import type { AttachmentData } from './types';

function filesOf(m: ChatMessage, files: ReadonlyMap<string, AttachmentData> | undefined): AttachmentData[] {
  return (m.attachments ?? []).map((a) => {
    const f = files?.get(a.hash);
    // The engine loads every referenced hash before sending; a gap here is a bug, not user input.
    if (!f) throw new Error(`attachment ${a.hash.slice(0, 12)} was not loaded`);
    // The name is the message's (the same bytes may have been stored under another name first).
    return { ...f, name: a.name };
  });
}

/** OpenAI Chat Completions: a plain string when there is nothing attached (every compatible server takes that). */
export function openaiContent(m: ChatMessage, files?: ReadonlyMap<string, AttachmentData>): string | unknown[] {
  if (!m.attachments?.length) return m.content;
  const parts: unknown[] = filesOf(m, files).map((f) => {
    if (f.mime === 'text/plain') return { type: 'text', text: inlineText(f.name, f.text) };
    if (f.mime === 'application/pdf') return { type: 'file', file: { filename: f.name, file_data: `data:application/pdf;base64,${f.base64}` } };
    return { type: 'image_url', image_url: { url: `data:${f.mime};base64,${f.base64}` } };
  });
  if (m.content) parts.push({ type: 'text', text: m.content });
  return parts;
}

/** Anthropic Messages: image and document blocks with base64 sources. */
export function anthropicContent(m: ChatMessage, files?: ReadonlyMap<string, AttachmentData>): string | unknown[] {
  if (!m.attachments?.length) return m.content;
  const parts: unknown[] = filesOf(m, files).map((f) => {
    if (f.mime === 'text/plain') return { type: 'text', text: inlineText(f.name, f.text) };
    if (f.mime === 'application/pdf') return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: f.base64 } };
    return { type: 'image', source: { type: 'base64', media_type: f.mime, data: f.base64 } };
  });
  if (m.content) parts.push({ type: 'text', text: m.content });
  return parts;
}

/** Gemini: inline data parts beside the text part. */
export function geminiParts(m: ChatMessage, files?: ReadonlyMap<string, AttachmentData>): unknown[] {
  if (!m.attachments?.length) return [{ text: m.content }];
  const parts: unknown[] = filesOf(m, files).map((f) => (f.mime === 'text/plain' ? { text: inlineText(f.name, f.text) } : { inlineData: { mimeType: f.mime, data: f.base64 } }));
  if (m.content) parts.push({ text: m.content });
  return parts;
}
