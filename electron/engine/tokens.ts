/**
 * Local token counts, for pre-flight estimates and for responses whose
 * provider reported no usage. Exact for OpenAI models; for every other lab it
 * is an ESTIMATE: their tokenizers are not public or not bundled, and o200k
 * is a close enough stand-in for budgeting (expect a 10-20% difference).
 *
 * The BPE tables are large (o200k takes ~0.5 s to load), so encoders load on
 * first use and importing this module costs nothing.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type EncodingName = 'o200k_base' | 'cl100k_base';

interface Encoder {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

const MODULES: Record<EncodingName, string> = {
  o200k_base: 'gpt-tokenizer/cjs/encoding/o200k_base',
  cl100k_base: 'gpt-tokenizer/cjs/encoding/cl100k_base',
};

const loaded = new Map<EncodingName, Encoder>();
// User text may contain strings like "<|endoftext|>": count them as text instead of throwing.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

function load(name: EncodingName): Encoder {
  let enc = loaded.get(name);
  if (!enc) {
    // A synchronous lazy load: `require` inside a CJS bundle, createRequire under native ESM.
    const req = typeof require === 'function' ? require : createRequire(import.meta.url);
    enc = req(MODULES[name]) as Encoder;
    loaded.set(name, enc);
  }
  return enc;
}

/** GPT-3.5 and GPT-4 (not 4o/4.1/4.5) and the older embeddings use cl100k. */
const CL100K = /^(gpt-3\.5|gpt-35|gpt-4(-|$)|text-embedding-(ada-002|3-))/;

/** Which encoding counts this model's tokens. @example encodingFor('openai/gpt-4-turbo') // 'cl100k_base' */
export function encodingFor(modelId?: string | null): EncodingName {
  if (!modelId) return 'o200k_base';
  const name = modelId.toLowerCase().slice(modelId.lastIndexOf('/') + 1);
  return CL100K.test(name) ? 'cl100k_base' : 'o200k_base';
}

/** True when the count is exact (an OpenAI model), false when it is an estimate. */
export function isExactFor(modelId?: string | null): boolean {
  if (!modelId) return false;
  const id = modelId.toLowerCase();
  return id.startsWith('openai/') || /^(gpt-|o\d|chatgpt-|text-embedding-)/.test(id.slice(id.lastIndexOf('/') + 1));
}

/**
 * Tokens in `text` for `modelId` (canonical `lab/model` or a bare upstream id).
 * @example countTokens('Hello, world!', 'openai/gpt-4o-mini') // 4
 */
export function countTokens(text: string, modelId?: string | null): number {
  if (!text) return 0;
  return load(encodingFor(modelId)).countTokens(text, PLAIN_TEXT);
}

/** Framing tokens per chat message (start, role, separator, end) in OpenAI's chat format. */
export const MESSAGE_OVERHEAD = 4;
/** Tokens that prime the assistant's reply. */
export const REPLY_PRIMING = 3;

export interface PromptForCount {
  system?: string | null;
  messages: ReadonlyArray<{ role: string; content: string }>;
}

/**
 * Input tokens of a chat prompt: every message's content plus a small
 * per-message overhead, as OpenAI counts chat completions.
 * @example countPromptTokens({ system: 'Be brief', messages: [{ role: 'user', content: 'Hi' }] })
 */
export function countPromptTokens(prompt: PromptForCount, modelId?: string | null): number {
  let total = REPLY_PRIMING;
  if (prompt.system) total += MESSAGE_OVERHEAD + countTokens(prompt.system, modelId);
  for (const m of prompt.messages) total += MESSAGE_OVERHEAD + countTokens(m.content, modelId);
  return total;
}

/** Load an encoder ahead of time (e.g. at idle after start-up) so the first count is not slow. */
export function warmTokenizer(modelId?: string | null): void {
  load(encodingFor(modelId));
}

let worker: Worker | null = null;
let workerBroken = false;
let nextId = 0;
const waiting = new Map<number, { resolve(counts: number[]): void; reject(err: Error): void }>();

function tokenWorker(): Worker | null {
  if (worker || workerBroken) return worker;
  const file = fileURLToPath(new URL('./token-worker.mjs', import.meta.url));
  if (!existsSync(file)) {
    workerBroken = true;
    return null;
  }
  worker = new Worker(file);
  worker.unref();
  worker.on('message', (m: { id: number; counts?: number[]; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.counts) w?.resolve(m.counts);
    else w?.reject(new Error(m.error ?? 'token worker failed'));
    if (waiting.size === 0) worker?.unref();
  });
  worker.on('error', (err) => {
    workerBroken = true;
    worker = null;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  });
  return worker;
}

/**
 * Counts without blocking the event loop: in-process when the encoder is
 * already loaded, else in a worker thread (falling back to in-process if the
 * worker cannot start). Used while other columns are still streaming.
 */
export async function countTokensBatch(texts: readonly string[], modelId?: string | null): Promise<number[]> {
  const name = encodingFor(modelId);
  const w = loaded.has(name) ? null : tokenWorker();
  if (!w) return texts.map((t) => countTokens(t, modelId));
  w.ref();
  const id = nextId++;
  try {
    return await new Promise<number[]>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      w.postMessage({ id, encoding: name, texts });
    });
  } catch {
    return texts.map((t) => countTokens(t, modelId));
  }
}

/** countPromptTokens without blocking the event loop. */
export async function countPromptTokensAsync(prompt: PromptForCount, modelId?: string | null): Promise<number> {
  const parts = [...(prompt.system ? [prompt.system] : []), ...prompt.messages.map((m) => m.content)];
  const counts = await countTokensBatch(parts, modelId);
  return REPLY_PRIMING + counts.reduce((sum, n) => sum + MESSAGE_OVERHEAD + n, 0);
}
