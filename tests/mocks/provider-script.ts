/**
 * What a scripted model does once its request is accepted: the answer, its
 * pacing, and where and how it fails. Wire spelling lives in provider-wire.ts.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWire, type Channel, type Protocol, type WireToolCall, type WireUsage } from './provider-wire';

export type MockFault =
  | 'rate_limit'
  | 'server_500'
  | 'server_502'
  | 'server_503'
  | 'hang_before_headers'
  | 'stall_mid_stream'
  | 'drop_mid_stream'
  | 'missing_terminal'
  | 'error_event'
  | 'malformed_event'
  | 'auth'
  | 'not_found'
  | 'bad_request'
  /** Bad-key answer in the protocol's own shape, the key echoed back in full in the body, headers and status line. */
  | 'reflect_key'
  /** Bad-key answer with an empty body: the key only in the status line and headers. */
  | 'reflect_key_status'
  /** A stream that fails mid-way with an in-band error event echoing the key. */
  | 'reflect_key_event';

/** Faults that echo the request's credential back, as some proxies and self-hosted servers do. */
export const REFLECT_FAULTS: ReadonlySet<MockFault> = new Set(['reflect_key', 'reflect_key_status', 'reflect_key_event']);

export interface MockScript {
  /** Answer text, streamed one word per frame. Default: `tok1 tok2 … tokN`. */
  text?: string;
  /** N for the default text (default 5). */
  tokens?: number;
  /** Delay between frames; 0 sends everything at once. */
  tokenDelayMs?: number;
  /** Delay after the headers (and empty frames) before the first content. */
  firstTokenDelayMs?: number;
  /** Empty-content frames sent before any content, as real providers do. */
  emptyFramesFirst?: number;
  /** Streamed first, on the protocol's thinking channel, one word per frame. */
  reasoning?: string;
  /** OpenAI only: which field carries reasoning (default `reasoning_content`). */
  reasoningField?: 'reasoning_content' | 'reasoning';
  fault?: MockFault;
  /** Text tokens sent before a mid-stream fault (default 2). */
  faultAfterTokens?: number;
  /** Apply the fault to the first N requests for this model only, then behave. */
  failTimes?: number;
  /** Retry-After on HTTP faults: seconds, or a string sent verbatim (an HTTP date). */
  retryAfterSec?: number | string;
  /** Override reported usage (normalised: input includes cached, output includes reasoning). */
  usage?: Partial<Omit<WireUsage, 'costUsd'>>;
  /** Reported provider cost (OpenRouter-style `usage.cost`; OpenAI protocol only). */
  costUsd?: number;
  /** Delay between the terminal event and the end of the body, as servers that flush them apart do. */
  endDelayMs?: number;
  /**
   * Tool calls made after the text (with `text: ''`, an answer that is only calls); the finish reason
   * becomes the protocol's own (`tool_calls`, `tool_use`, Gemini's STOP). `id` defaults to `call_mock_<n>`;
   * `arguments` as an object is sent as its JSON, as a string verbatim (so a broken one can be tested).
   */
  toolCalls?: Array<{ id?: string; name: string; arguments: string | Record<string, unknown>; signature?: string }>;
}

export const HTTP_FAULTS: Partial<Record<MockFault, [number, string]>> = {
  rate_limit: [429, 'Rate limit reached for requests'],
  server_500: [500, 'The server had an error while processing your request'],
  server_502: [502, 'Bad gateway'],
  server_503: [503, 'The engine is currently overloaded, please try again later'],
  auth: [401, 'Incorrect API key provided'],
  not_found: [404, 'The model does not exist or you do not have access to it'],
  bad_request: [400, 'Invalid request: messages must not be empty'],
};

export interface StreamContext {
  record: { textTokensSent: number };
  /** The credential the client sent, for the faults that echo it. */
  key: string | null;
  stop: AbortController;
  serverClosed: boolean;
}

export async function streamScript(
  protocol: Protocol,
  model: string,
  body: unknown,
  script: MockScript,
  fault: MockFault | null,
  res: ServerResponse,
  ctx: StreamContext,
): Promise<void> {
  const signal = ctx.stop.signal;
  const write = (s: string): void => {
    if (s !== '' && !res.destroyed && !res.writableEnded) res.write(s);
  };
  const pause = async (ms: number): Promise<boolean> => {
    if (ms > 0) await sleep(ms, undefined, { signal }).catch(() => undefined);
    return !signal.aborted;
  };
  const b = isRecord(body) ? body : {};
  const streamOptions = isRecord(b.stream_options) ? b.stream_options : {};
  const wire = createWire(protocol, { model, includeUsage: streamOptions.include_usage === true, reasoningField: script.reasoningField ?? 'reasoning_content' });

  const reasoning = words(script.reasoning ?? '');
  const full = words(script.text ?? Array.from({ length: script.tokens ?? 5 }, (_, i) => `tok${i + 1}`).join(' '));
  const max = maxTokensOf(protocol, b);
  const text = max !== null && max < full.length ? full.slice(0, max) : full;
  const reasoningTokens = script.usage?.reasoningTokens ?? reasoning.length;
  const usage: WireUsage = {
    inputTokens: script.usage?.inputTokens ?? Math.max(1, promptWords(b)),
    outputTokens: script.usage?.outputTokens ?? text.length + reasoningTokens,
    reasoningTokens,
    cachedInputTokens: script.usage?.cachedInputTokens ?? 0,
    cacheWriteTokens: script.usage?.cacheWriteTokens ?? 0,
    costUsd: script.costUsd ?? null,
  };

  write(wire.open(usage));
  const firstChannel: Channel = reasoning.length > 0 ? 'reasoning' : 'text';
  for (let i = 0; i < (script.emptyFramesFirst ?? 0); i++) write(wire.empty(firstChannel));
  if (!(await pause(script.firstTokenDelayMs ?? 0))) return;

  const midStream = fault === 'stall_mid_stream' || fault === 'drop_mid_stream' || fault === 'missing_terminal' || fault === 'error_event' || fault === 'malformed_event' || fault === 'reflect_key_event';
  const faultAt = midStream ? Math.min(script.faultAfterTokens ?? 2, text.length) : text.length;
  const frames: Array<[Channel, string]> = [...reasoning.map((p): [Channel, string] => ['reasoning', p]), ...text.slice(0, faultAt).map((p): [Channel, string] => ['text', p])];
  for (let i = 0; i < frames.length; i++) {
    const [channel, piece] = frames[i] ?? ['text', ''];
    if (i > 0 && !(await pause(script.tokenDelayMs ?? 0))) return;
    write(wire.delta(channel, piece));
    if (channel === 'text') ctx.record.textTokensSent++;
  }

  if (fault === 'stall_mid_stream') {
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    return;
  }
  if (fault === 'drop_mid_stream') {
    // Let the tokens reach the client before the connection dies under them.
    const socket = res.socket;
    for (let i = 0; i < 100 && socket && socket.writableLength > 0; i++) await sleep(5);
    ctx.serverClosed = true;
    socket?.destroy();
    return;
  }
  if (fault === 'error_event') write(wire.errorEvent('Overloaded: the model stopped mid-stream'));
  else if (fault === 'reflect_key_event') write(wire.errorEvent(`Upstream revoked the key ${ctx.key ?? '(none)'} mid-stream (authorization: Bearer ${ctx.key ?? ''})`));
  else if (fault === 'malformed_event') write(wire.malformed());
  else if (fault !== 'missing_terminal') {
    const calls: WireToolCall[] = (script.toolCalls ?? []).map((c, i) => ({ id: c.id ?? `call_mock_${i}`, name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments), ...(c.signature ? { signature: c.signature } : {}) }));
    calls.forEach((c, i) => write(wire.toolCall(i, c)));
    write(wire.finish(text.length < full.length ? 'length' : calls.length ? 'tool' : 'stop', usage));
  }
  // The client may leave once it has the terminal event: a pause here is not an abort.
  if (script.endDelayMs && !(await pause(script.endDelayMs))) return;
  res.end();
}

function maxTokensOf(protocol: Protocol, body: Record<string, unknown>): number | null {
  const value = protocol === 'gemini' ? (isRecord(body.generationConfig) ? body.generationConfig.maxOutputTokens : undefined) : body.max_tokens;
  return typeof value === 'number' ? value : null;
}

/** Deterministic input count: words of every string in the prompt parts of the body. */
function promptWords(body: Record<string, unknown>): number {
  let count = 0;
  const walk = (v: unknown, key: string): void => {
    if (typeof v === 'string') {
      if (key !== 'role' && key !== 'type') count += v.split(/\s+/).filter(Boolean).length;
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  for (const k of ['system', 'systemInstruction', 'messages', 'contents']) walk(body[k], k);
  return count;
}

/** One word per piece, each keeping its leading whitespace, so the pieces join back to the text. */
function words(text: string): string[] {
  const pieces = text.match(/\s*\S+/g) ?? [];
  const tail = /\s+$/.exec(text)?.[0];
  if (tail && pieces.length > 0) pieces[pieces.length - 1] += tail;
  return pieces;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
