/** Google Gemini (Generative Language API), streamed with `alt=sse`. */
import { failStream, getJson, isRecord, joinUrl, numOrNull, oneLine, parseData, runStream, type EventHandler } from './sse';
import { randomBytes } from 'node:crypto';
import { geminiContents, geminiFormatFields, geminiToolFields } from './tool-wire';
import type { AdapterRequest, ProviderAdapter } from './types';

interface GeminiChunk {
  candidates?: Array<{
    content?: { parts?: Array<{ text?: string; thought?: boolean; thoughtSignature?: string; functionCall?: { id?: string; name?: string; args?: unknown } }> };
    finishReason?: string;
  }>;
  usageMetadata?: {
    promptTokenCount?: number;
    candidatesTokenCount?: number;
    thoughtsTokenCount?: number;
    cachedContentTokenCount?: number;
  };
  promptFeedback?: { blockReason?: string };
  error?: { message?: string; status?: string; code?: number };
  responseId?: string;
}

function headers(apiKey: string | null): Record<string, string> {
  return apiKey ? { 'x-goog-api-key': apiKey } : {};
}

/** Accepts both `gemini-2.5-flash` and the API's own `models/gemini-2.5-flash`. */
function modelPath(model: string): string {
  return encodeURIComponent(model.replace(/^models\//, ''));
}

function requestBody(req: AdapterRequest): Record<string, unknown> {
  const p = req.params;
  const generationConfig = {
    temperature: p.temperature,
    maxOutputTokens: p.maxTokens,
    topP: p.topP,
    seed: p.seed,
    stopSequences: p.stop,
    thinkingConfig: p.thinkingBudget === undefined ? undefined : { thinkingBudget: p.thinkingBudget },
    ...geminiFormatFields(req.responseFormat),
  };
  return {
    contents: geminiContents(req.messages, req.attachments),
    systemInstruction: req.system ? { parts: [{ text: req.system }] } : undefined,
    generationConfig: Object.values(generationConfig).some((v) => v !== undefined) ? generationConfig : undefined,
    ...geminiToolFields(req.tools, req.toolChoice),
  };
}

function handler(label: string): EventHandler {
  // Gemini's calls often have no id: one is made from the response id, unique per column, for results to name.
  let fallbackId: string | null = null;
  return (event, state, sink) => {
    if (event.data.trim() === '') return;
    const chunk = parseData<GeminiChunk>(event.data, state, label);
    if (!chunk) return;
    if (chunk.error) {
      const providerMessage = chunk.error.message ?? null;
      const detail = providerMessage ? `${providerMessage}${chunk.error.status ? ` (${chunk.error.status})` : ''}` : oneLine(event.data, 120);
      failStream(state, 'stream_error', `${label} stream error: ${detail}`, providerMessage);
      return;
    }
    const candidate = chunk.candidates?.[0];
    const parts = candidate?.content?.parts;
    if (parts) {
      for (const part of parts) {
        const fc = part.functionCall;
        if (fc) {
          fallbackId ??= chunk.responseId || randomBytes(6).toString('hex');
          const n = state.tools.length;
          state.tools.push({ id: fc.id || `fc_${fallbackId}_${n}`, name: fc.name ?? '', args: [JSON.stringify(fc.args ?? {})], key: n, ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}) });
          sink.onToolCall?.();
          continue;
        }
        if (typeof part.text !== 'string' || part.text === '') continue;
        if (part.thought === true) sink.onReasoning(part.text);
        else sink.onText(part.text);
      }
    }
    if (candidate?.finishReason) {
      state.finishReason = candidate.finishReason;
      state.terminal = true;
    } else if (chunk.promptFeedback?.blockReason) {
      // A blocked prompt gets no candidate at all; that is still a finished answer.
      state.finishReason = chunk.promptFeedback.blockReason;
      state.terminal = true;
    }
    const u = chunk.usageMetadata;
    if (u) {
      const candidates = numOrNull(u.candidatesTokenCount);
      const thoughts = numOrNull(u.thoughtsTokenCount);
      state.usage = {
        inputTokens: numOrNull(u.promptTokenCount),
        // Gemini counts thoughts apart from candidates; both are billed as output.
        outputTokens: candidates === null && thoughts === null ? null : (candidates ?? 0) + (thoughts ?? 0),
        reasoningTokens: thoughts,
        cachedInputTokens: numOrNull(u.cachedContentTokenCount),
        costUsd: null,
      };
    }
  };
}

/**
 * @example await geminiAdapter.stream({ baseUrl: 'https://generativelanguage.googleapis.com/v1beta', apiKey, model: 'gemini-2.5-flash', messages, params: {}, signal }, sink)
 */
export const geminiAdapter: ProviderAdapter = {
  type: 'gemini',
  stream(req, sink) {
    const label = req.providerId ?? 'gemini';
    const url = joinUrl(req.baseUrl, `/models/${modelPath(req.model)}:streamGenerateContent?alt=sse`);
    return runStream({ label, url, headers: headers(req.apiKey), body: requestBody(req), signal: req.signal }, sink, handler(label));
  },
  async listModels(req) {
    const label = req.providerId ?? 'gemini';
    const names: string[] = [];
    let pageToken: string | null = null;
    // Paged; the cap only guards against a server that never stops handing out tokens.
    for (let page = 0; page < 20; page++) {
      const query: string = pageToken ? `?pageSize=1000&pageToken=${encodeURIComponent(pageToken)}` : '?pageSize=1000';
      const body = await getJson(joinUrl(req.baseUrl, `/models${query}`), headers(req.apiKey), req.signal, label);
      const models = isRecord(body) && Array.isArray(body.models) ? (body.models as unknown[]) : [];
      for (const m of models) if (isRecord(m) && typeof m.name === 'string') names.push(m.name.replace(/^models\//, ''));
      if (!isRecord(body) || typeof body.nextPageToken !== 'string' || body.nextPageToken === '') break;
      pageToken = body.nextPageToken;
    }
    return names;
  },
};
