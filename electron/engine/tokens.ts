/**
 * Local token counts, for pre-flight estimates and for responses whose
 * provider reported no usage. Exact for OpenAI models; for every other lab it
 * is an ESTIMATE: their tokenizers are not public or not bundled, and o200k
 * is a close enough stand-in for budgeting (expect a 10-20% difference).
 *
 * The BPE tables are large (o200k takes ~0.5 s to load), so encoders load on
 * first use and importing this module costs nothing. Counts that serve a
 * request (estimates, usage fallbacks) run in a worker thread, so neither the
 * load nor a long count ever holds the engine's event loop.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { counterFor, type BoundedCount, type CountOptions } from './token-count.mjs';
import { toolPromptTexts } from '../../shared/tools';

export type { BoundedCount } from './token-count.mjs';

export type EncodingName = 'o200k_base' | 'cl100k_base';

type Counter = (text: string, opts?: CountOptions) => BoundedCount;

const MODULES: Record<EncodingName, string> = {
  o200k_base: 'gpt-tokenizer/cjs/encoding/o200k_base',
  cl100k_base: 'gpt-tokenizer/cjs/encoding/cl100k_base',
};

const loaded = new Map<EncodingName, Counter>();

function load(name: EncodingName): Counter {
  let counter = loaded.get(name);
  if (!counter) {
    // A synchronous lazy load: `require` inside a CJS bundle, createRequire under native ESM.
    const req = typeof require === 'function' ? require : createRequire(import.meta.url);
    counter = counterFor(req(MODULES[name]));
    loaded.set(name, counter);
  }
  return counter;
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
 * Tokens in `text` for `modelId` (canonical `lab/model` or a bare upstream id),
 * in this thread. Exactly gpt-tokenizer's count for real text; a pre-token of
 * more than MAX_PIECE characters counts as its bytes (see token-count.mjs).
 * @example countTokens('Hello, world!', 'openai/gpt-4o-mini') // 4
 */
export function countTokens(text: string, modelId?: string | null): number {
  return countTokensBounded(text, modelId).tokens;
}

/**
 * countTokens that says whether the count is exact or only an upper bound.
 * @example countTokensBounded('a'.repeat(1000)) // { tokens: 1000, upperBound: true }
 */
export function countTokensBounded(text: string, modelId?: string | null, opts?: CountOptions): BoundedCount {
  if (!text) return { tokens: 0, upperBound: false };
  return load(encodingFor(modelId))(text, opts);
}

/** Framing tokens per chat message (start, role, separator, end) in OpenAI's chat format. */
export const MESSAGE_OVERHEAD = 4;
/** Tokens that prime the assistant's reply. */
export const REPLY_PRIMING = 3;

export interface PromptForCount {
  system?: string | null;
  messages: ReadonlyArray<{ role: string; content: string; toolCalls?: ReadonlyArray<{ name: string; arguments: string }> | undefined; toolResults?: ReadonlyArray<{ content: string }> | undefined }>;
  /** Tool definitions and a response format count as input too (see shared/tools.ts toolPromptTexts). */
  tools?: readonly unknown[] | undefined;
  responseFormat?: unknown;
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
  for (const t of toolPromptTexts(prompt)) total += MESSAGE_OVERHEAD + countTokens(t, modelId);
  return total;
}

/** Load an encoder ahead of time (e.g. at idle after start-up) so the first count is not slow. */
export function warmTokenizer(modelId?: string | null): void {
  load(encodingFor(modelId));
}

/** One prompt's count in one encoding; `upperBound` when part of it was only bounded. */
export interface PromptCount {
  tokens: number;
  upperBound: boolean;
}

interface Job {
  resolve(results: BoundedCount[][]): void;
  reject(err: Error): void;
}
interface WorkerReply {
  id: number;
  results?: BoundedCount[][];
  cancelled?: boolean;
  error?: string;
}

let worker: Worker | null = null;
let workerBroken = false;
let nextId = 0;
const waiting = new Map<number, Job>();

function tokenWorker(): Worker | null {
  if (worker || workerBroken) return worker;
  const file = fileURLToPath(new URL('./token-worker.mjs', import.meta.url));
  if (!existsSync(file)) {
    workerBroken = true;
    return null;
  }
  worker = new Worker(file);
  worker.unref();
  worker.on('message', (m: WorkerReply) => {
    const job = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.results) job?.resolve(m.results);
    else if (!m.cancelled) job?.reject(new Error(m.error ?? 'token worker failed'));
    if (waiting.size === 0) worker?.unref();
  });
  worker.on('error', (err) => {
    workerBroken = true;
    worker = null;
    for (const job of waiting.values()) job.reject(err);
    waiting.clear();
  });
  return worker;
}

/** An estimate that was superseded (its signal aborted) before its count finished. */
export class CountAborted extends Error {
  constructor() {
    super('token count superseded by a newer one');
    this.name = 'CountAborted';
  }
}

interface WorkerOptions {
  /** Counting time after which the rest of the text counts as its bytes (marked upperBound). */
  budgetMs?: number;
  /** Aborting drops the job: skipped if still queued, stopped within a few hundred pre-tokens if running. */
  signal?: AbortSignal;
}

/**
 * Counts each group of texts in its encoding on the token worker. Falls back
 * to this thread only when the worker cannot start (a build without the file).
 */
async function countInWorker(groups: ReadonlyArray<{ encoding: EncodingName; texts: readonly string[] }>, opts: WorkerOptions = {}): Promise<BoundedCount[][]> {
  const { signal, budgetMs } = opts;
  if (signal?.aborted) throw new CountAborted();
  const inProcess = () => {
    const deadline = budgetMs === undefined ? undefined : performance.now() + budgetMs;
    return groups.map((g) => g.texts.map((t) => (t ? load(g.encoding)(t, { deadline }) : { tokens: 0, upperBound: false })));
  };
  const w = tokenWorker();
  if (!w) return inProcess();
  // A flag the worker reads between pieces: a message would wait behind the job it means to stop.
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const id = nextId++;
  w.ref();
  const onAbort = () => {
    Atomics.store(flag, 0, 1);
    const job = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) worker?.unref();
    job?.reject(new CountAborted());
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await new Promise<BoundedCount[][]>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      w.postMessage({ id, groups, budgetMs, flag });
    });
  } catch (err) {
    if (err instanceof CountAborted) throw err;
    return inProcess();
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Counts on the token worker, so the engine's event loop never waits for a
 * BPE load or a long text. Used for usage fallbacks while other columns stream.
 */
export async function countTokensBatch(texts: readonly string[], modelId?: string | null): Promise<number[]> {
  const [counts] = await countInWorker([{ encoding: encodingFor(modelId), texts }]);
  return counts!.map((c) => c.tokens);
}

function promptParts(prompt: PromptForCount): string[] {
  return [...(prompt.system ? [prompt.system] : []), ...prompt.messages.map((m) => m.content), ...toolPromptTexts(prompt)];
}

function promptTotal(counts: readonly BoundedCount[]): PromptCount {
  return {
    tokens: REPLY_PRIMING + counts.reduce((sum, c) => sum + MESSAGE_OVERHEAD + c.tokens, 0),
    upperBound: counts.some((c) => c.upperBound),
  };
}

/** countPromptTokens without blocking the event loop. */
export async function countPromptTokensAsync(prompt: PromptForCount, modelId?: string | null): Promise<number> {
  const [counts] = await countInWorker([{ encoding: encodingFor(modelId), texts: promptParts(prompt) }]);
  return promptTotal(counts!).tokens;
}

/**
 * A prompt's tokens in each of `encodings`, on the worker, within `budgetMs`
 * of counting: what the pre-flight estimate shows while the user types.
 * @example await countPromptForEstimate(prompt, ['o200k_base'], { budgetMs: 75, signal })
 */
export async function countPromptForEstimate(prompt: PromptForCount, encodings: readonly EncodingName[], opts: WorkerOptions = {}): Promise<Map<EncodingName, PromptCount>> {
  const texts = promptParts(prompt);
  const results = await countInWorker(encodings.map((encoding) => ({ encoding, texts })), opts);
  return new Map(encodings.map((e, i) => [e, promptTotal(results[i]!)]));
}
