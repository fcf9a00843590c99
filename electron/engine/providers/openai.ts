/**
 * OpenAI Chat Completions, which also covers OpenRouter, Groq, Together,
 * DeepSeek, Ollama, vLLM and every other OpenAI-compatible base URL.
 */
import { failStream, getJson, isRecord, joinUrl, numOrNull, oneLine, parseData, runStream, type EventHandler, type StreamState } from './sse';
import { openaiMessages, openaiResponseFormat, openaiToolChoice, openaiTools } from './tool-wire';
import type { AdapterRequest, ProviderAdapter, StreamSink } from './types';

interface OpenAIDelta {
  content?: string | null;
  /** DeepSeek and vLLM. */
  reasoning_content?: string | null;
  /** OpenRouter. */
  reasoning?: string | null;
  refusal?: string | null;
  tool_calls?: Array<{ index?: number; id?: string; type?: string; function?: { name?: string; arguments?: string } }> | null;
}

interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
  /** OpenRouter's own charge for the request, in USD. */
  cost?: number;
}

interface OpenAIChunk {
  choices?: Array<{ delta?: OpenAIDelta | null; finish_reason?: string | null }>;
  usage?: OpenAIUsage | null;
  error?: { message?: string; code?: string | number | null } | string;
}

function headers(apiKey: string | null): Record<string, string> {
  // Local servers (Ollama, LM Studio) take no key at all.
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

function requestBody(req: AdapterRequest): Record<string, unknown> {
  const turns = openaiMessages(req.messages, req.attachments);
  const messages = req.system ? [{ role: 'system', content: req.system }, ...turns] : turns;
  const p = req.params;
  return {
    model: req.model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
    temperature: p.temperature,
    max_tokens: p.maxTokens,
    top_p: p.topP,
    seed: p.seed,
    stop: p.stop,
    reasoning_effort: p.reasoningEffort,
    tools: openaiTools(req.tools),
    tool_choice: openaiToolChoice(req.toolChoice),
    response_format: openaiResponseFormat(req.responseFormat),
  };
}

function handler(label: string): EventHandler {
  return (event, state, sink) => {
    const data = event.data;
    if (data === '[DONE]') {
      state.terminal = true;
      state.stop = true;
      return;
    }
    if (data.trim() === '') return;
    const chunk = parseData<OpenAIChunk>(data, state, label);
    if (!chunk) return;
    if (chunk.error) {
      const providerMessage = typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? null);
      failStream(state, 'stream_error', `${label} stream error: ${providerMessage ?? oneLine(data, 120)}`, providerMessage);
      return;
    }
    const choice = chunk.choices?.[0];
    if (choice) {
      const delta = choice.delta;
      if (delta) {
        // Some routers send the same text under both names; take one.
        const reasoning = delta.reasoning_content || delta.reasoning;
        if (typeof reasoning === 'string' && reasoning !== '') sink.onReasoning(reasoning);
        if (typeof delta.content === 'string' && delta.content !== '') sink.onText(delta.content);
        if (typeof delta.refusal === 'string' && delta.refusal !== '') sink.onText(delta.refusal);
        if (delta.tool_calls) toolDeltas(delta.tool_calls, state, sink);
      }
      if (choice.finish_reason) {
        state.finishReason = choice.finish_reason;
        state.terminal = true;
      }
    }
    const u = chunk.usage;
    if (u) {
      state.usage = {
        inputTokens: numOrNull(u.prompt_tokens),
        outputTokens: numOrNull(u.completion_tokens),
        reasoningTokens: numOrNull(u.completion_tokens_details?.reasoning_tokens),
        cachedInputTokens: numOrNull(u.prompt_tokens_details?.cached_tokens),
        costUsd: numOrNull(u.cost),
      };
    }
  };
}

/**
 * Streamed tool calls are keyed by `index`: the first delta of a call has its id
 * and name, later ones pieces of its arguments. Parallel calls interleave by index.
 */
function toolDeltas(calls: NonNullable<OpenAIDelta['tool_calls']>, state: StreamState, sink: StreamSink): void {
  for (const d of calls) {
    // A compatible server that leaves out `index` sends each call whole, or with its id on every piece.
    const key = typeof d.index === 'number' ? d.index : d.id ? -1 - state.tools.length : (state.tools.at(-1)?.key ?? 0);
    let call = state.tools.find((t) => t.key === key && (!d.id || !t.id || t.id === d.id));
    if (!call) {
      call = { id: d.id ?? `call_${state.tools.length}`, name: '', args: [], key };
      state.tools.push(call);
    }
    if (d.id && call.id !== d.id) call.id = d.id;
    if (d.function?.name) call.name += d.function.name;
    if (typeof d.function?.arguments === 'string' && d.function.arguments !== '') call.args.push(d.function.arguments);
    sink.onToolCall?.();
  }
}

/**
 * @example await openaiAdapter.stream({ baseUrl: 'https://api.openai.com/v1', apiKey, model: 'gpt-4o-mini', messages, params: {}, signal }, sink)
 */
export const openaiAdapter: ProviderAdapter = {
  type: 'openai',
  stream(req, sink) {
    const label = req.providerId ?? 'openai';
    return runStream(
      { label, url: joinUrl(req.baseUrl, '/chat/completions'), headers: headers(req.apiKey), body: requestBody(req), signal: req.signal },
      sink,
      handler(label),
    );
  },
  async listModels(req) {
    const label = req.providerId ?? 'openai';
    const body = await getJson(joinUrl(req.baseUrl, '/models'), headers(req.apiKey), req.signal, label);
    const data = isRecord(body) && Array.isArray(body.data) ? (body.data as unknown[]) : [];
    return data.flatMap((m) => (isRecord(m) && typeof m.id === 'string' ? [m.id] : []));
  },
};
