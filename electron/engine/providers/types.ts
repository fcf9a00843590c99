/**
 * The thin per-protocol adapter seam. An adapter turns one request into one
 * HTTP call and maps that protocol's SSE events onto a sink. It never retries:
 * only the router (electron/engine/router) retries, backs off and fails over.
 */
import type { AttachmentMime } from '../../../shared/attachments';
import type { ChatMessage, ErrorKind, GenerationParams, ProviderType } from '../../../shared/domain';
import type { ResponseFormat, ToolCall, ToolChoice, ToolDefinition } from '../../../shared/tools';

/** An attachment's content at send time: base64 for images and PDFs, the text itself for text files. */
export type AttachmentData =
  | { mime: Exclude<AttachmentMime, 'text/plain'>; name: string; base64: string }
  | { mime: 'text/plain'; name: string; text: string };

export interface AdapterRequest {
  baseUrl: string;
  apiKey: string | null;
  /** Upstream model name as the provider knows it. */
  model: string;
  system?: string | undefined;
  messages: ChatMessage[];
  /** Content of the messages' attachments by hash; every hash the messages name is here. */
  attachments?: ReadonlyMap<string, AttachmentData> | undefined;
  params: GenerationParams;
  /** Tools the model may call, in our shape; each adapter spells them its protocol's way. */
  tools?: ToolDefinition[] | undefined;
  toolChoice?: ToolChoice | undefined;
  responseFormat?: ResponseFormat | undefined;
  /**
   * Aborting reaches the socket (fetch's signal). Abort with `{ kind, message }`
   * (e.g. `{ kind: 'timeout_idle', message: 'no bytes for 30 s' }`) to have the
   * outcome carry that error kind instead of `cancelled`.
   */
  signal: AbortSignal;
  /** Names the provider in error messages ("401 from groq: ..."); defaults to the protocol. */
  providerId?: string | undefined;
}

/** Called on the hot path: keep implementations cheap, no validation per chunk. */
export interface StreamSink {
  /** HTTP response headers arrived with a 2xx status. */
  onOpen?(): void;
  /** Answer text. Never called with an empty string. */
  onText(delta: string): void;
  /** Reasoning/thinking text, a separate channel from the answer. Never empty. */
  onReasoning(delta: string): void;
  /** Any bytes of the body arrived (used for idle timeouts). */
  onChunk?(): void;
  /** A piece of a tool call arrived (its name, or some of its arguments): output, for the timeouts. */
  onToolCall?(): void;
}

/**
 * Normalised across protocols: `inputTokens` includes `cachedInputTokens`
 * (Anthropic's separate cache counts are added back), and `outputTokens`
 * includes `reasoningTokens` (Gemini's thoughts are added back).
 */
export interface ReportedUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  reasoningTokens: number | null;
  cachedInputTokens: number | null;
  /** Part of `inputTokens` written to the prompt cache (Anthropic `cache_creation_input_tokens`), priced apart. */
  cacheWriteTokens?: number | null;
  /** Provider-reported cost in USD (OpenRouter `usage.cost`). */
  costUsd: number | null;
}

export interface AdapterError {
  kind: ErrorKind;
  /** One line, for people: "401 from openai: invalid API key". */
  message: string;
  httpStatus: number | null;
  retryAfterMs: number | null;
  /** Provider's own message, as it said it except for keys (scrubbed, see engine/scrub.ts). */
  providerMessage: string | null;
}

export interface AdapterOutcome {
  /** ok: terminal signal seen. incomplete: stream ended without it. error: HTTP or in-band error. */
  status: 'ok' | 'incomplete' | 'error' | 'cancelled';
  finishReason: string | null;
  usage: ReportedUsage;
  httpStatus: number | null;
  error: AdapterError | null;
  /** The tool calls the model made, in order; absent when it made none. */
  toolCalls?: ToolCall[];
}

export interface ProviderAdapter {
  readonly type: ProviderType;
  stream(req: AdapterRequest, sink: StreamSink): Promise<AdapterOutcome>;
  /**
   * Lists upstream model names (for `providers test` and the model picker).
   * Rejects with a `ProviderRequestError` whose `message` is one line and whose
   * `info` is the normalised AdapterError.
   */
  listModels(req: { baseUrl: string; apiKey: string | null; signal: AbortSignal; providerId?: string | undefined }): Promise<string[]>;
}
