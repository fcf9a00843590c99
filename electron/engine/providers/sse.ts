/**
 * What the three protocols share: one streaming POST read through an SSE
 * parser, and one way of turning HTTP, network and abort failures into an
 * AdapterError. No retries here: the router owns them.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ErrorKind } from '../../../shared/domain';
import { scrub, scrubError } from '../scrub';
import { toolCall } from '../../../shared/tools';
import type { AdapterError, AdapterOutcome, ReportedUsage, StreamSink } from './types';

export type { EventSourceMessage };

/** Per-stream state a protocol's event handler fills in. */
export interface StreamState {
  finishReason: string | null;
  usage: ReportedUsage;
  /** The protocol's terminal signal arrived: the answer is whole. */
  terminal: boolean;
  /** Stop reading now ([DONE], message_stop, an error event). */
  stop: boolean;
  error: AdapterError | null;
  /** Tool calls as they stream: arguments arrive in pieces (OpenAI, Anthropic) or whole (Gemini). */
  tools: PendingToolCall[];
}

export interface PendingToolCall {
  id: string;
  name: string;
  args: string[];
  /** The protocol's own key for the call within the stream (OpenAI `index`, Anthropic block index). */
  key: number;
  /** Gemini's thoughtSignature on the call's part. */
  signature?: string;
}

/** The calls of a stream, their arguments joined and parsed; undefined when there were none. */
function finishedCalls(tools: PendingToolCall[]): AdapterOutcome['toolCalls'] {
  return tools.length ? tools.map((t) => ({ ...toolCall(t.id, t.name, t.args.join('')), ...(t.signature ? { signature: t.signature } : {}) })) : undefined;
}

export interface StreamCall {
  label: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal;
}

export type EventHandler = (event: EventSourceMessage, state: StreamState, sink: StreamSink) => void;

/** Thrown by listModels; `message` is the one-line AdapterError message. */
export class ProviderRequestError extends Error {
  readonly info: AdapterError;
  constructor(info: AdapterError) {
    super(info.message);
    this.name = 'ProviderRequestError';
    this.info = info;
  }
}

const ERROR_KINDS = new Set<string>(ErrorKind.options);
// A runaway line without a newline must not eat memory; real events are a few KB.
const MAX_SSE_BUFFER = 8 * 1024 * 1024;

export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

export function numOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function emptyUsage(): ReportedUsage {
  return { inputTokens: null, outputTokens: null, reasoningTokens: null, cachedInputTokens: null, costUsd: null };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function errorKindForStatus(status: number): ErrorKind {
  if (status === 429) return 'rate_limit';
  if (status >= 500 || status === 408) return 'server';
  // 402 (no credit) is like a bad key: this key will not work, another might.
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  return 'bad_request';
}

/** `Retry-After` as delay-seconds or an HTTP date, to milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  // An HTTP date always names its day and month; this keeps Date.parse from reading '-5' as a year.
  if (!/[a-z]/i.test(v)) return null;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function retryAfterFromHeaders(headers: Headers): number | null {
  // OpenAI sends a millisecond variant that is more precise than Retry-After.
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  return parseRetryAfter(headers.get('retry-after'));
}

/**
 * The provider's own error message from an error body: OpenAI `{error:{message}}`,
 * Anthropic `{type:'error',error:{message}}`, Gemini `{error:{message,status}}`,
 * plus the shapes OpenAI-compatible servers use.
 */
export function extractProviderMessage(body: string): string | null {
  const text = body.trim();
  if (text === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (text.startsWith('<')) return /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim() || null;
    return oneLine(text.split(/\r?\n/, 1)[0] ?? '') || null;
  }
  // Gemini sometimes wraps the error object in an array.
  const value = Array.isArray(parsed) ? (parsed[0] as unknown) : parsed;
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return null;
  const err = value.error;
  if (isRecord(err) && typeof err.message === 'string') return err.message;
  if (typeof err === 'string') return err;
  if (typeof value.message === 'string') return value.message;
  // FastAPI-based servers (vLLM and friends).
  if (typeof value.detail === 'string') return value.detail;
  return null;
}

export async function httpError(res: Response, label: string): Promise<AdapterError> {
  let body = '';
  try {
    body = await res.text();
  } catch {
    // The body was lost (abort, reset); the status alone still classifies it.
  }
  const providerMessage = extractProviderMessage(body);
  let kind = errorKindForStatus(res.status);
  // Gemini answers a bad key with 400 INVALID_ARGUMENT; the reason code tells the truth.
  if (kind === 'bad_request' && body.includes('API_KEY_INVALID')) kind = 'auth';
  const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
  const detail = location !== null ? `redirected to ${redirectHost(location, res.url)}; keys are sent only to the base URL's host, so set the base URL to where it redirects` : (providerMessage ?? (res.statusText || 'HTTP error'));
  return {
    kind,
    message: oneLine(`${res.status} from ${label}: ${detail}`),
    httpStatus: res.status,
    retryAfterMs: retryAfterFromHeaders(res.headers),
    providerMessage,
  };
}

/** Request headers that carry the key; their values are scrubbed from whatever the upstream answers. */
const CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key', 'api-key'];

/** The credentials a request carries, as the key itself (without its auth scheme). */
export function credentialsOf(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (CREDENTIAL_HEADERS.includes(name.toLowerCase()) && value) out.push(value.replace(/^(Bearer|Basic)\s+/i, ''));
  }
  return out;
}

function redirectHost(location: string, from: string): string {
  try {
    return new URL(location, from || undefined).host;
  } catch {
    return oneLine(location, 80);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** undici hides the useful part: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }). */
function describeCause(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && isRecord(e); depth++) {
    if (typeof e.code === 'string') {
      const msg = typeof e.message === 'string' ? e.message : '';
      return msg.includes(e.code) ? msg : `${msg || 'failed'} (${e.code})`;
    }
    if (Array.isArray(e.errors) && e.errors.length > 0) e = e.errors[0] as unknown;
    else if (e.cause !== undefined) e = e.cause;
    else break;
  }
  return err instanceof Error ? err.message : String(err);
}

export function networkError(err: unknown, url: string, label: string, midStream: boolean): AdapterError {
  const host = hostOf(url);
  const cause = describeCause(err);
  const message = midStream ? `connection to ${label} (${host}) lost mid-stream: ${cause}` : `cannot reach ${label} at ${host}: ${cause}`;
  return { kind: 'network', message: oneLine(message), httpStatus: null, retryAfterMs: null, providerMessage: null };
}

function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && ERROR_KINDS.has(value);
}

/**
 * The engine aborts for its own reasons (timeouts, budgets) as well as for the
 * user; a reason `{ kind, message }` keeps that distinction in the outcome.
 */
export function abortOutcome(signal: AbortSignal, httpStatus: number | null): { status: 'cancelled' | 'error'; error: AdapterError } {
  const reason: unknown = signal.reason;
  const base = { httpStatus, retryAfterMs: null, providerMessage: null };
  if (isRecord(reason) && isErrorKind(reason.kind) && reason.kind !== 'cancelled') {
    const message = typeof reason.message === 'string' ? reason.message : reason.kind.replace(/_/g, ' ');
    return { status: 'error', error: { ...base, kind: reason.kind, message } };
  }
  if (reason instanceof DOMException && reason.name === 'TimeoutError') {
    return { status: 'error', error: { ...base, kind: 'timeout_total', message: 'timed out' } };
  }
  return { status: 'cancelled', error: { ...base, kind: 'cancelled', message: 'cancelled' } };
}

export function failStream(state: StreamState, kind: ErrorKind, message: string, providerMessage: string | null): void {
  state.error = { kind, message: oneLine(message), httpStatus: null, retryAfterMs: null, providerMessage };
  state.stop = true;
}

/** JSON.parse once per event, no validation: this is the hot path. */
export function parseData<T>(data: string, state: StreamState, label: string): T | null {
  try {
    return JSON.parse(data) as T;
  } catch {
    failStream(state, 'malformed', `malformed event from ${label}: ${oneLine(data, 80)}`, null);
    return null;
  }
}

/** POSTs `call.body` and feeds each SSE event to `onEvent` until the stream ends or the handler stops it. */
export async function runStream(call: StreamCall, sink: StreamSink, onEvent: EventHandler): Promise<AdapterOutcome> {
  const state: StreamState = { finishReason: null, usage: emptyUsage(), terminal: false, stop: false, error: null, tools: [] };
  // Every string of the outcome that came from the upstream passes the scrubber here, once per stream.
  const secrets = credentialsOf(call.headers);
  const finish = (status: AdapterOutcome['status'], httpStatus: number | null, error: AdapterError | null): AdapterOutcome => ({
    status,
    finishReason: state.finishReason === null ? null : scrub(state.finishReason, secrets, 100),
    usage: state.usage,
    httpStatus,
    error: error && scrubError(error.httpStatus === null ? { ...error, httpStatus } : error, secrets),
    ...(state.tools.length ? { toolCalls: finishedCalls(state.tools) } : {}),
  });
  const aborted = (httpStatus: number | null): AdapterOutcome => {
    const a = abortOutcome(call.signal, httpStatus);
    return finish(a.status, httpStatus, a.error);
  };

  let res: Response;
  try {
    res = await fetch(call.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...call.headers },
      body: JSON.stringify(call.body),
      signal: call.signal,
      // A key goes only to the host it is bound to: a redirect would carry x-api-key (and x-goog-api-key) to wherever it points.
      redirect: 'manual',
    });
  } catch (err) {
    return call.signal.aborted ? aborted(null) : finish('error', null, networkError(err, call.url, call.label, false));
  }
  if (!res.ok) return finish('error', res.status, await httpError(res, call.label));
  sink.onOpen?.();

  if ((res.headers.get('content-type') ?? '').includes('application/json')) {
    // Some compatible servers answer an error (or ignore stream:true) with a plain JSON body.
    let body: string;
    try {
      body = await res.text();
    } catch (err) {
      return call.signal.aborted ? aborted(res.status) : finish('error', res.status, networkError(err, call.url, call.label, true));
    }
    const providerMessage = extractProviderMessage(body);
    const kind = providerMessage ? 'stream_error' : 'malformed';
    failStream(state, kind, `${call.label} answered JSON instead of a stream: ${providerMessage ?? oneLine(body, 80)}`, providerMessage);
    return finish('error', res.status, state.error);
  }
  if (!res.body) return finish('incomplete', res.status, truncated(call.label));

  const parser = createParser({
    maxBufferSize: MAX_SSE_BUFFER,
    onEvent: (event) => {
      if (!state.stop) onEvent(event, state, sink);
    },
    onError: (err) => {
      // Unknown fields and bad retry values are harmless per the SSE spec; only overflow is fatal.
      if (err.type === 'max-buffer-size-exceeded') failStream(state, 'malformed', `${call.label} sent an event larger than 8 MB`, null);
    },
  });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let readError: unknown = null;
  let ended = false;
  let atLineBreak = true;
  try {
    while (!state.stop) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (err) {
        readError = err ?? new Error('read failed');
        break;
      }
      if (chunk.done) {
        ended = true;
        // Dispatch a last event whose blank line never came; a cut-off line stays unparsed.
        const rest = decoder.decode();
        if (rest) parser.feed(rest);
        // Two: a line ending in a bare CR is held back by the parser, and the first LF only completes it.
        if (rest ? /[\r\n]$/.test(rest) : atLineBreak) parser.feed('\n\n');
        break;
      }
      sink.onChunk?.();
      const text = decoder.decode(chunk.value, { stream: true });
      if (text.length > 0) {
        const last = text.charCodeAt(text.length - 1);
        atLineBreak = last === 10 || last === 13;
        parser.feed(text);
      }
    }
  } finally {
    if (ended) {
      // Nothing to release (and a cancel would still build an AbortError per stream for nothing).
    } else if (state.terminal && !state.error && readError === null) {
      // The answer is whole ([DONE], message_stop) but the body has not ended yet. Read it out in
      // the background instead of cancelling: a cancelled body costs its keep-alive connection,
      // and the next request to this provider a new TCP and TLS handshake inside its TTFT.
      void drainThenRelease(reader);
    } else {
      // Stopped early (an error, the caller's abort): release the socket now.
      reader.cancel().catch(() => undefined);
    }
  }

  if (state.error) return finish('error', res.status, state.error);
  if (state.terminal) return finish('ok', res.status, null);
  if (call.signal.aborted) return aborted(res.status);
  if (readError !== null) return finish('error', res.status, networkError(readError, call.url, call.label, true));
  return finish('incomplete', res.status, truncated(call.label));
}

/** How long a body may run on after its terminal event before the connection is given up. */
export const DRAIN_AFTER_TERMINAL_MS = 2_000;
/** Past this many bytes after the terminal event the server is not closing the body: stop reading. */
const DRAIN_MAX_BYTES = 64 * 1024;

/** Reads what is left of a finished stream so undici can return its connection to the pool. */
async function drainThenRelease(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const timer = setTimeout(() => void reader.cancel().catch(() => undefined), DRAIN_AFTER_TERMINAL_MS);
  timer.unref?.();
  try {
    for (let bytes = 0; bytes <= DRAIN_MAX_BYTES; ) {
      const { done, value } = await reader.read();
      if (done) return;
      bytes += value?.byteLength ?? 0;
    }
    await reader.cancel();
  } catch {
    // Cancelled by the timer, or the connection went: either way it is released.
  } finally {
    clearTimeout(timer);
  }
}

function truncated(label: string): AdapterError {
  return {
    kind: 'truncated',
    message: `stream from ${label} ended without its terminal event`,
    httpStatus: null,
    retryAfterMs: null,
    providerMessage: null,
  };
}

/** GET for model listings; rejects with ProviderRequestError. */
export async function getJson(url: string, headers: Record<string, string>, signal: AbortSignal, label: string): Promise<unknown> {
  const secrets = credentialsOf(headers);
  const fail = (info: AdapterError) => new ProviderRequestError(scrubError(info, secrets));
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal, redirect: 'manual' });
  } catch (err) {
    throw fail(signal.aborted ? abortOutcome(signal, null).error : networkError(err, url, label, false));
  }
  if (!res.ok) throw fail(await httpError(res, label));
  try {
    return (await res.json()) as unknown;
  } catch (err) {
    if (signal.aborted) throw fail(abortOutcome(signal, res.status).error);
    const message = err instanceof SyntaxError ? `${label} answered ${hostOf(url)} model list with invalid JSON` : describeCause(err);
    throw fail({ kind: 'malformed', message, httpStatus: res.status, retryAfterMs: null, providerMessage: null });
  }
}
