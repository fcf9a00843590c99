/**
 * The three wire formats as the real APIs send them: frames, error bodies and
 * model lists. provider-server.ts decides what to send; this file decides how
 * each protocol spells it.
 */
export type Protocol = 'openai' | 'anthropic' | 'gemini';

/** Normalised counts (input includes cached, output includes reasoning); each wire re-splits them. */
export interface WireUsage {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  cachedInputTokens: number;
  /** Part of the input written to the prompt cache: only Anthropic's wire reports it (`cache_creation_input_tokens`). */
  cacheWriteTokens?: number;
  costUsd: number | null;
}

export type Channel = 'reasoning' | 'text';

/** A tool call the mock model makes; `arguments` is sent as given (split into pieces where the protocol streams them). */
export interface WireToolCall {
  id: string;
  name: string;
  arguments: string;
  /** Gemini only: the part's thoughtSignature, as thinking models send it. */
  signature?: string;
}

/** Arguments in pieces of about 8 characters, as the real APIs stream them (cut mid-token and mid-string). */
function argPieces(args: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 8) out.push(args.slice(i, i + 8));
  return out;
}

export interface Wire {
  /** Frames sent right after the headers. */
  open(usage: WireUsage): string;
  /** A frame with no content, like the role-only chunk real providers send first. */
  empty(channel: Channel): string;
  delta(channel: Channel, piece: string): string;
  /** The whole of one tool call (the `i`th of the answer), in the protocol's streamed shape. */
  toolCall(i: number, call: WireToolCall): string;
  /** Finish reason, usage and the terminal event. */
  finish(reason: 'stop' | 'length' | 'tool', usage: WireUsage): string;
  errorEvent(message: string): string;
  malformed(): string;
}

export interface WireOptions {
  model: string;
  /** OpenAI only: the client asked for `stream_options.include_usage`. */
  includeUsage: boolean;
  /** OpenAI only: DeepSeek's `reasoning_content` or OpenRouter's `reasoning`. */
  reasoningField: 'reasoning_content' | 'reasoning';
}

let seq = 0;
const nextId = (): string => `${Date.now().toString(36)}${(++seq).toString(36)}`;

function openaiWire(o: WireOptions): Wire {
  const base = { id: `chatcmpl-mock${nextId()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: o.model, system_fingerprint: 'fp_mock' };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(o.includeUsage ? { usage: null } : {}) })}\n\n`;
  return {
    open: () => chunk({ role: 'assistant', content: '' }),
    empty: () => chunk({ content: '' }),
    delta: (channel, piece) => chunk(channel === 'text' ? { content: piece } : { [o.reasoningField]: piece }),
    toolCall(i, call) {
      // The first delta names the call with empty arguments; the arguments follow in pieces, keyed by index.
      let out = chunk({ tool_calls: [{ index: i, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] });
      for (const piece of argPieces(call.arguments)) out += chunk({ tool_calls: [{ index: i, function: { arguments: piece } }] });
      return out;
    },
    finish(reason, u) {
      let out = chunk({}, reason === 'tool' ? 'tool_calls' : reason);
      if (o.includeUsage) {
        const usage = {
          prompt_tokens: u.inputTokens,
          completion_tokens: u.outputTokens,
          total_tokens: u.inputTokens + u.outputTokens,
          prompt_tokens_details: { cached_tokens: u.cachedInputTokens },
          completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
          ...(u.costUsd !== null ? { cost: u.costUsd } : {}),
        };
        out += `data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`;
      }
      return `${out}data: [DONE]\n\n`;
    },
    errorEvent: (message) => `data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })}\n\n`,
    malformed: () => 'data: {"id":"chatcmpl-mock","choices":[{"delta":{"content":\n\n',
  };
}

function anthropicWire(o: WireOptions): Wire {
  const ev = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  let block: { type: 'thinking' | 'text' | 'tool_use'; index: number } | null = null;
  let nextIndex = 0;
  const closeBlock = (): string => {
    if (!block) return '';
    let out = '';
    if (block.type === 'thinking') out += ev('content_block_delta', { index: block.index, delta: { type: 'signature_delta', signature: 'mock-signature' } });
    out += ev('content_block_stop', { index: block.index });
    block = null;
    return out;
  };
  const ensureBlock = (type: 'thinking' | 'text'): string => {
    if (block?.type === type) return '';
    let out = closeBlock();
    block = { type, index: nextIndex++ };
    const content = type === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
    out += ev('content_block_start', { index: block.index, content_block: content });
    return out;
  };
  const deltaOf = (channel: Channel, piece: string): Record<string, unknown> =>
    channel === 'text' ? { type: 'text_delta', text: piece } : { type: 'thinking_delta', thinking: piece };
  return {
    open(u) {
      const usage = {
        input_tokens: u.inputTokens - u.cachedInputTokens - (u.cacheWriteTokens ?? 0),
        cache_creation_input_tokens: u.cacheWriteTokens ?? 0,
        cache_read_input_tokens: u.cachedInputTokens,
        output_tokens: 1,
      };
      const message = { id: `msg_mock${nextId()}`, type: 'message', role: 'assistant', model: o.model, content: [], stop_reason: null, stop_sequence: null, usage };
      return ev('message_start', { message });
    },
    empty(channel) {
      const kind = channel === 'text' ? 'text' : 'thinking';
      const out = ensureBlock(kind);
      return `${out}${ev('ping', {})}${ev('content_block_delta', { index: nextIndex - 1, delta: deltaOf(channel, '') })}`;
    },
    delta(channel, piece) {
      const out = ensureBlock(channel === 'text' ? 'text' : 'thinking');
      return `${out}${ev('content_block_delta', { index: nextIndex - 1, delta: deltaOf(channel, piece) })}`;
    },
    toolCall(_i, call) {
      let out = closeBlock();
      block = { type: 'tool_use', index: nextIndex++ };
      out += ev('content_block_start', { index: block.index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } });
      out += ev('content_block_delta', { index: block.index, delta: { type: 'input_json_delta', partial_json: '' } });
      for (const piece of argPieces(call.arguments)) out += ev('content_block_delta', { index: block.index, delta: { type: 'input_json_delta', partial_json: piece } });
      return out;
    },
    finish(reason, u) {
      const stop = reason === 'stop' ? 'end_turn' : reason === 'tool' ? 'tool_use' : 'max_tokens';
      return (
        closeBlock() +
        ev('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: u.outputTokens } }) +
        ev('message_stop', {})
      );
    },
    errorEvent: (message) => ev('error', { error: { type: 'overloaded_error', message } }),
    malformed: () => 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{\n\n',
  };
}

function geminiWire(o: WireOptions): Wire {
  // Gemini's alt=sse frames end in CRLF pairs; clients must cope.
  const responseId = `mock${nextId()}`;
  let promptTokens = 0;
  const frame = (data: Record<string, unknown>): string => `data: ${JSON.stringify(data)}\r\n\r\n`;
  const chunk = (parts: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}, usage?: Record<string, unknown>): string =>
    frame({
      candidates: [{ content: { parts, role: 'model' }, index: 0, ...extra }],
      usageMetadata: usage ?? { promptTokenCount: promptTokens, totalTokenCount: promptTokens },
      modelVersion: o.model,
      responseId,
    });
  const part = (channel: Channel, text: string): Record<string, unknown> => (channel === 'text' ? { text } : { text, thought: true });
  return {
    open(u) {
      promptTokens = u.inputTokens;
      return '';
    },
    empty: (channel) => chunk([part(channel, '')]),
    delta: (channel, piece) => chunk([part(channel, piece)]),
    // Gemini sends a call whole, its arguments parsed, with no id.
    toolCall: (_i, call) => chunk([{ functionCall: { name: call.name, args: JSON.parse(call.arguments || '{}') as unknown }, ...(call.signature ? { thoughtSignature: call.signature } : {}) }]),
    finish(reason, u) {
      const usage = {
        promptTokenCount: u.inputTokens,
        candidatesTokenCount: u.outputTokens - u.reasoningTokens,
        totalTokenCount: u.inputTokens + u.outputTokens,
        ...(u.reasoningTokens > 0 ? { thoughtsTokenCount: u.reasoningTokens } : {}),
        ...(u.cachedInputTokens > 0 ? { cachedContentTokenCount: u.cachedInputTokens } : {}),
      };
      return chunk([{ text: '' }], { finishReason: reason === 'length' ? 'MAX_TOKENS' : 'STOP' }, usage);
    },
    errorEvent: (message) => frame({ error: { code: 500, message, status: 'INTERNAL' } }),
    malformed: () => 'data: {"candidates":[{"content":\r\n\r\n',
  };
}

export function createWire(protocol: Protocol, options: WireOptions): Wire {
  if (protocol === 'openai') return openaiWire(options);
  if (protocol === 'anthropic') return anthropicWire(options);
  return geminiWire(options);
}

const OPENAI_ERR: Record<number, [string, string | null]> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  404: ['invalid_request_error', 'model_not_found'],
  429: ['requests', 'rate_limit_exceeded'],
};
const ANTHROPIC_ERR: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  503: 'overloaded_error',
};
const GEMINI_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  503: 'UNAVAILABLE',
};

/** An HTTP error body in the protocol's own shape (502 comes back as a proxy's HTML page, as it does in the wild). */
export function errorResponse(protocol: Protocol, status: number, message: string): { contentType: string; body: string } {
  if (status === 502) {
    return { contentType: 'text/html', body: `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>` };
  }
  let body: unknown;
  if (protocol === 'openai') {
    const [type, code] = OPENAI_ERR[status] ?? ['server_error', null];
    body = { error: { message, type, param: null, code } };
  } else if (protocol === 'anthropic') {
    body = { type: 'error', error: { type: ANTHROPIC_ERR[status] ?? 'api_error', message }, request_id: `req_mock${nextId()}` };
  } else {
    body = { error: { code: status, message, status: GEMINI_STATUS[status] ?? 'INTERNAL' } };
  }
  return { contentType: 'application/json', body: JSON.stringify(body) };
}

/**
 * A bad-key answer echoing the key, in each protocol's real shape (Gemini says 400 API_KEY_INVALID),
 * with the key also in a response header and the status line, as misbehaving proxies send it.
 */
export function keyRejection(protocol: Protocol, key: string, withBody = true): { status: number; statusMessage: string; headers: Record<string, string>; body: string } {
  const headers = {
    'www-authenticate': `Bearer realm="mock", error="invalid_token", error_description="key ${key} rejected"`,
    'x-echo-api-key': key,
    'content-type': 'application/json',
  };
  let status = 401;
  let body: unknown;
  if (protocol === 'openai') {
    const message = `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`;
    body = { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } };
  } else if (protocol === 'anthropic') {
    body = { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${key}` }, request_id: `req_mock${nextId()}` };
  } else {
    status = 400;
    const details = [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com', key } }];
    body = { error: { code: 400, message: `API key not valid. Please pass a valid API key. (got ${key})`, status: 'INVALID_ARGUMENT', details } };
  }
  return { status, statusMessage: `Unauthorized key ${key}`, headers, body: withBody ? JSON.stringify(body) : '' };
}

export function modelList(protocol: Protocol, models: string[]): unknown {
  if (protocol === 'openai') {
    return { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'mock' })) };
  }
  if (protocol === 'anthropic') {
    const data = models.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
    return { data, has_more: false, first_id: models[0] ?? null, last_id: models.at(-1) ?? null };
  }
  return {
    models: models.map((id) => ({ name: `models/${id}`, displayName: id, supportedGenerationMethods: ['generateContent', 'streamGenerateContent'] })),
  };
}

/** What the real APIs reject too, so an adapter that builds a bad request fails here first. */
export function validateRequest(protocol: Protocol, hasAnthropicVersion: boolean, url: URL, body: unknown): string | null {
  if (!isRecord(body)) return 'request body must be a JSON object';
  if (protocol === 'gemini') {
    if (url.searchParams.get('alt') !== 'sse') return 'mock serves alt=sse streaming only';
    return Array.isArray(body.contents) && body.contents.length > 0 ? null : 'contents must not be empty';
  }
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: must not be empty';
  if (body.stream !== true) return 'mock serves stream: true requests only';
  if (protocol === 'anthropic') {
    if (!hasAnthropicVersion) return 'anthropic-version: header is required';
    if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  }
  return toolTurnError(protocol, body.messages as unknown[]);
}

/** The rule both real APIs enforce: every tool call of an assistant turn is answered right after it. */
function toolTurnError(protocol: 'openai' | 'anthropic', messages: unknown[]): string | null {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isRecord(m) || m.role !== 'assistant') continue;
    if (protocol === 'openai') {
      const ids = Array.isArray(m.tool_calls) ? m.tool_calls.map((c) => (isRecord(c) ? c.id : null)) : [];
      const answered = new Set<unknown>();
      for (let k = i + 1; k < messages.length; k++) {
        const t = messages[k];
        if (!isRecord(t) || t.role !== 'tool') break;
        answered.add(t.tool_call_id);
      }
      const missing = ids.find((id) => !answered.has(id));
      if (missing !== undefined) return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${String(missing)}`;
    } else {
      const uses = Array.isArray(m.content) ? m.content.filter((b) => isRecord(b) && b.type === 'tool_use').map((b) => (b as Record<string, unknown>).id) : [];
      if (uses.length === 0) continue;
      const next = messages[i + 1];
      const blocks = isRecord(next) && Array.isArray(next.content) ? next.content : [];
      const results = new Set(blocks.filter((b) => isRecord(b) && b.type === 'tool_result').map((b) => (b as Record<string, unknown>).tool_use_id));
      const missing = uses.find((id) => !results.has(id));
      if (missing !== undefined) return `messages.${i + 1}: tool_use ids were found without tool_result blocks immediately after: ${String(missing)}`;
    }
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
