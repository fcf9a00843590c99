/** Anthropic Messages API. */
import { failStream, getJson, isRecord, joinUrl, numOrNull, oneLine, parseData, runStream, type EventHandler } from './sse';
import { anthropicAnswerTool, anthropicMessages, anthropicToolFields } from './tool-wire';
import type { AdapterRequest, ProviderAdapter } from './types';

const API_VERSION = '2023-06-01';
// The API refuses a request without max_tokens; this is generous for a comparison reply.
const DEFAULT_MAX_TOKENS = 4096;

interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

interface AnthropicEvent {
  type?: string;
  message?: { usage?: AnthropicUsage };
  index?: number;
  content_block?: { type?: string; text?: string; thinking?: string; id?: string; name?: string; input?: unknown };
  delta?: { type?: string; text?: string; thinking?: string; partial_json?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

function headers(apiKey: string | null): Record<string, string> {
  return apiKey ? { 'x-api-key': apiKey, 'anthropic-version': API_VERSION } : { 'anthropic-version': API_VERSION };
}

function requestBody(req: AdapterRequest): Record<string, unknown> {
  const p = req.params;
  const thinking = p.thinkingBudget ? { type: 'enabled', budget_tokens: p.thinkingBudget } : undefined;
  return {
    model: req.model,
    // max_tokens must exceed the thinking budget: the default leaves the answer its usual room beyond it.
    max_tokens: p.maxTokens ?? (thinking ? p.thinkingBudget! + DEFAULT_MAX_TOKENS : DEFAULT_MAX_TOKENS),
    system: req.system || undefined,
    messages: anthropicMessages(req.messages, req.attachments),
    stream: true,
    temperature: p.temperature,
    top_p: p.topP,
    stop_sequences: p.stop,
    thinking,
    ...anthropicToolFields(req.tools, req.toolChoice, req.responseFormat),
  };
}

/**
 * `answerTool`: the forced tool a structured answer comes through (see tool-wire.ts);
 * its input is streamed as the answer's text, not as a tool call.
 */
function handler(label: string, answerTool: string | null): EventHandler {
  // Blocks by index: the answer tool's, and tool_use blocks whose input has not streamed yet.
  let answerBlock = -1;
  const initialInput = new Map<number, string>();
  // Counts arrive split across message_start and message_delta; keep the latest of each.
  const raw = { input: null as number | null, cacheRead: null as number | null, cacheWrite: null as number | null, output: null as number | null };
  const absorb = (u: AnthropicUsage | undefined): void => {
    if (!u) return;
    raw.input = numOrNull(u.input_tokens) ?? raw.input;
    raw.cacheRead = numOrNull(u.cache_read_input_tokens) ?? raw.cacheRead;
    raw.cacheWrite = numOrNull(u.cache_creation_input_tokens) ?? raw.cacheWrite;
    raw.output = numOrNull(u.output_tokens) ?? raw.output;
  };

  return (event, state, sink) => {
    const data = parseData<AnthropicEvent>(event.data, state, label);
    if (!data) return;
    const type = data.type ?? event.event;
    switch (type) {
      case 'message_start':
        absorb(data.message?.usage);
        break;
      case 'content_block_start': {
        const block = data.content_block;
        const index = data.index ?? -1;
        if (block?.type === 'text' && block.text) sink.onText(block.text);
        else if (block?.type === 'thinking' && block.thinking) sink.onReasoning(block.thinking);
        else if (block?.type === 'tool_use') {
          // The start carries `input: {}`; the input streams as partial JSON. A non-empty start input stands if nothing streams.
          const input = block.input && typeof block.input === 'object' && Object.keys(block.input).length ? JSON.stringify(block.input) : '';
          if (answerTool !== null && block.name === answerTool && answerBlock < 0) {
            answerBlock = index;
            if (input) initialInput.set(index, input);
          } else {
            state.tools.push({ id: block.id ?? `toolu_${state.tools.length}`, name: block.name ?? '', args: [], key: index });
            if (input) initialInput.set(index, input);
            sink.onToolCall?.();
          }
        }
        return;
      }
      case 'content_block_delta': {
        const delta = data.delta;
        if (delta?.type === 'text_delta' && delta.text) sink.onText(delta.text);
        else if (delta?.type === 'thinking_delta' && delta.thinking) sink.onReasoning(delta.thinking);
        else if (delta?.type === 'input_json_delta' && delta.partial_json) {
          const index = data.index ?? -1;
          initialInput.delete(index);
          if (index === answerBlock) sink.onText(delta.partial_json);
          else {
            const call = state.tools.find((t) => t.key === index) ?? state.tools.at(-1);
            call?.args.push(delta.partial_json);
            sink.onToolCall?.();
          }
        }
        return;
      }
      case 'content_block_stop': {
        const index = data.index ?? -1;
        const input = initialInput.get(index);
        if (input !== undefined) {
          initialInput.delete(index);
          if (index === answerBlock) sink.onText(input);
          else state.tools.find((t) => t.key === index)?.args.push(input);
        }
        return;
      }
      case 'message_delta':
        absorb(data.usage);
        // A stop_reason means the answer is whole even if message_stop never comes.
        if (data.delta?.stop_reason) {
          state.finishReason = data.delta.stop_reason;
          state.terminal = true;
        }
        break;
      case 'message_stop':
        state.terminal = true;
        state.stop = true;
        return;
      case 'error': {
        const providerMessage = data.error?.message ?? null;
        const detail = providerMessage ? `${data.error?.type ?? 'error'}: ${providerMessage}` : oneLine(event.data, 120);
        failStream(state, 'stream_error', `${label} stream error: ${detail}`, providerMessage);
        return;
      }
      default:
        return; // ping, and event types added after this was written
    }
    // Normalised: input includes cache reads and writes, as OpenAI's prompt_tokens does.
    const input = raw.input === null ? null : raw.input + (raw.cacheRead ?? 0) + (raw.cacheWrite ?? 0);
    state.usage = { inputTokens: input, outputTokens: raw.output, reasoningTokens: null, cachedInputTokens: raw.cacheRead, costUsd: null, ...(raw.cacheWrite ? { cacheWriteTokens: raw.cacheWrite } : {}) };
  };
}

/**
 * @example await anthropicAdapter.stream({ baseUrl: 'https://api.anthropic.com/v1', apiKey, model: 'claude-3-5-haiku-latest', messages, params: {}, signal }, sink)
 */
export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',
  stream(req, sink) {
    const label = req.providerId ?? 'anthropic';
    return runStream(
      { label, url: joinUrl(req.baseUrl, '/messages'), headers: headers(req.apiKey), body: requestBody(req), signal: req.signal },
      sink,
      handler(label, anthropicAnswerTool(req.responseFormat)?.name ?? null),
    );
  },
  async listModels(req) {
    const label = req.providerId ?? 'anthropic';
    const ids: string[] = [];
    let after: string | null = null;
    // Paged; the cap only guards against a server that always says has_more.
    for (let page = 0; page < 20; page++) {
      const query: string = after ? `?limit=1000&after_id=${encodeURIComponent(after)}` : '?limit=1000';
      const body = await getJson(joinUrl(req.baseUrl, `/models${query}`), headers(req.apiKey), req.signal, label);
      const data = isRecord(body) && Array.isArray(body.data) ? (body.data as unknown[]) : [];
      for (const m of data) if (isRecord(m) && typeof m.id === 'string') ids.push(m.id);
      if (!isRecord(body) || body.has_more !== true || typeof body.last_id !== 'string') break;
      after = body.last_id;
    }
    return ids;
  },
};
