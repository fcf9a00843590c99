/**
 * Tools and structured output: what a comparison may carry (tool definitions
 * with JSON Schema parameters, a tool choice, a response format) and what a
 * column brings back (the tool calls a model made, whether a structured answer
 * validates). Pure, so the CLI, the engine and the window check the same rules.
 */
import { z } from 'zod';

/** The strictest of the three protocols' rules (OpenAI's): Anthropic and Gemini accept every name it does. */
export const TOOL_NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;
export const TOOL_LIMITS = {
  tools: 128,
  descriptionChars: 4096,
  /** One tool's parameters, or the response schema, as JSON text. */
  schemaBytes: 64 * 1024,
  /** A file given to `--tools` or `--response-format`. */
  fileBytes: 1024 * 1024,
  /** One tool result sent back. */
  resultChars: 256 * 1024,
} as const;

const jsonSize = (v: unknown): number => {
  try {
    return JSON.stringify(v)?.length ?? 0;
  } catch {
    return Infinity;
  }
};

const ToolName = z.string().regex(TOOL_NAME_RE, 'a tool name is 1-64 letters, digits, "_" or "-"');

/** A JSON Schema object, bounded in size; its meaning is checked by the provider (and by ajv for a response schema). */
const SchemaObject = z
  .record(z.string(), z.unknown())
  .refine((s) => jsonSize(s) <= TOOL_LIMITS.schemaBytes, `a schema is at most ${TOOL_LIMITS.schemaBytes / 1024} KiB of JSON`);

/**
 * One tool the models may call.
 * @example { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }
 */
export const ToolDefinition = z.object({
  name: ToolName,
  description: z.string().max(TOOL_LIMITS.descriptionChars, `a tool description is at most ${TOOL_LIMITS.descriptionChars} characters`).optional(),
  parameters: SchemaObject.refine((s) => s.type === undefined || s.type === 'object', 'a tool\'s parameters must be a JSON Schema of type "object"'),
});
export type ToolDefinition = z.infer<typeof ToolDefinition>;

export const ToolChoice = z.union([z.enum(['auto', 'none', 'required']), z.object({ name: ToolName })]);
export type ToolChoice = z.infer<typeof ToolChoice>;

export const ResponseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('json_schema'), name: ToolName, schema: SchemaObject, strict: z.boolean().optional() }),
  z.object({ type: z.literal('json_object') }),
]);
export type ResponseFormat = z.infer<typeof ResponseFormat>;

export const ToolList = z
  .array(ToolDefinition)
  .max(TOOL_LIMITS.tools, `at most ${TOOL_LIMITS.tools} tools`)
  .refine((ts) => new Set(ts.map((t) => t.name)).size === ts.length, 'two tools have the same name');

/**
 * A tool call as the model made it. `arguments` is the JSON text exactly as
 * streamed; `parsed` is that text parsed, or `parseError` says why it is not JSON.
 * @example { id: 'call_4Xzl…', name: 'get_weather', arguments: '{"city":"Paris"}', parsed: { city: 'Paris' } }
 */
export const ToolCall = z.object({
  id: z.string().min(1).max(256),
  name: z.string().max(256),
  arguments: z.string(),
  parsed: z.unknown().optional(),
  parseError: z.string().optional(),
  /** Gemini's `thoughtSignature` on the call's part: opaque, and sent back with the call as the API requires of thinking models. */
  signature: z.string().max(1_000_000).optional(),
});
export type ToolCall = z.infer<typeof ToolCall>;

/** Whether a structured answer validates against the response format's schema; `errors` say why not, one line each. */
export const StructuredCheck = z.object({ valid: z.boolean(), errors: z.array(z.string()).optional() });
export type StructuredCheck = z.infer<typeof StructuredCheck>;

/**
 * A result sent back for one tool call, in the user message after the call.
 * `content` is what the user gave (JSON or text); `missing` marks the placeholder
 * sent for a call nobody answered (both OpenAI and Anthropic refuse a call with no result).
 */
export const ToolResult = z.object({
  callId: z.string().min(1).max(256),
  name: z.string().max(256),
  content: z.string().max(TOOL_LIMITS.resultChars, `a tool result is at most ${TOOL_LIMITS.resultChars / 1024} KiB`),
  missing: z.boolean().optional(),
});
export type ToolResult = z.infer<typeof ToolResult>;

/** What a call nobody gave a result for is sent back with. */
export const NO_RESULT = 'no result provided';

/** A call's arguments parsed, or why not. */
export function parseArguments(raw: string): Pick<ToolCall, 'parsed' | 'parseError'> {
  // Some providers send an empty string for a call that takes no arguments.
  if (raw.trim() === '') return { parsed: {} };
  try {
    return { parsed: JSON.parse(raw) as unknown };
  } catch (err) {
    return { parseError: `arguments are not JSON: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
}

/** A finished call with its arguments parsed. */
export function toolCall(id: string, name: string, raw: string): ToolCall {
  return { id, name, arguments: raw, ...parseArguments(raw) };
}

/** Arguments for display: pretty-printed JSON when they parse, else the text as it came. */
export function prettyArguments(call: Pick<ToolCall, 'arguments' | 'parsed'>): string {
  return call.parsed === undefined ? call.arguments : JSON.stringify(call.parsed, null, 2);
}

/**
 * Tool definitions in our shape or OpenAI's (`[{type:'function',function:{name,description,parameters}}]`),
 * as one list; a tool without parameters gets the empty object schema.
 */
export function normaliseTools(input: unknown): unknown {
  if (!Array.isArray(input)) return input;
  return input.map((t: unknown) => {
    if (!t || typeof t !== 'object') return t;
    const o = t as Record<string, unknown>;
    const f = o.type === 'function' && o.function && typeof o.function === 'object' ? (o.function as Record<string, unknown>) : o;
    const { type: _type, function: _fn, strict: _strict, input_schema, parameters, ...rest } = f;
    return { ...rest, parameters: parameters ?? input_schema ?? { type: 'object', properties: {} } };
  });
}

/** A response format from a file: a bare JSON Schema, or our `{type, name, schema}` shape, or OpenAI's `{type:'json_schema', json_schema:{…}}`. */
export function normaliseResponseFormat(input: unknown, fallbackName = 'answer'): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const o = input as Record<string, unknown>;
  if (o.type === 'json_object') return { type: 'json_object' };
  if (o.type === 'json_schema' && o.json_schema && typeof o.json_schema === 'object') {
    const j = o.json_schema as Record<string, unknown>;
    return { type: 'json_schema', name: j.name ?? fallbackName, schema: j.schema, ...(typeof j.strict === 'boolean' ? { strict: j.strict } : {}) };
  }
  if (o.type === 'json_schema') return { name: fallbackName, ...o };
  return { type: 'json_schema', name: fallbackName, schema: o };
}

/** A result's content as a JSON object for Gemini's `functionResponse.response` (a Struct): objects as they are, anything else wrapped. */
export function resultObject(r: Pick<ToolResult, 'content' | 'missing'>): Record<string, unknown> {
  if (r.missing) return { error: r.content };
  try {
    const v = JSON.parse(r.content) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    return { result: v };
  } catch {
    return { result: r.content };
  }
}

interface ToolMessage {
  role: 'user' | 'assistant';
  content: string;
  toolCalls?: Array<Pick<ToolCall, 'id' | 'name' | 'arguments'>> | undefined;
  toolResults?: ToolResult[] | undefined;
}

/**
 * Every assistant tool call followed by its result: the next user message gets
 * the placeholder result (NO_RESULT, `missing`) for each call it does not
 * answer, and results for calls the assistant did not make are dropped (the
 * protocols refuse both). A conversation ending in tool calls is left as it is.
 * @example completeToolResults([{ role: 'assistant', content: '', toolCalls: [c] }, { role: 'user', content: 'go on' }])[1].toolResults // [{ callId: c.id, …, missing: true }]
 */
export function completeToolResults<M extends ToolMessage>(messages: readonly M[]): M[] {
  return messages.map((m, i) => {
    if (m.role !== 'user') return m;
    const prev = messages[i - 1];
    const calls = prev?.role === 'assistant' ? (prev.toolCalls ?? []) : [];
    if (calls.length === 0) return m.toolResults?.length ? { ...m, toolResults: undefined } : m;
    const given = new Map((m.toolResults ?? []).map((r) => [r.callId, r]));
    const toolResults = calls.map((c): ToolResult => given.get(c.id) ?? { callId: c.id, name: c.name, content: NO_RESULT, missing: true });
    return { ...m, toolResults: toolResults.map((r, k) => ({ ...r, name: calls[k]!.name })) };
  });
}

/**
 * The text a request's tool parts put into the prompt, for token counts: the
 * definitions and response schema as JSON, and each message's calls and results.
 * Providers render them in formats of their own, so this is an estimate.
 */
export function toolPromptTexts(r: {
  tools?: readonly unknown[] | undefined;
  responseFormat?: unknown;
  messages: ReadonlyArray<{ content?: string; toolCalls?: ReadonlyArray<{ name: string; arguments: string }> | undefined; toolResults?: ReadonlyArray<{ content: string }> | undefined }>;
}): string[] {
  const out: string[] = [];
  if (r.tools?.length) out.push(JSON.stringify(r.tools));
  if (r.responseFormat) out.push(JSON.stringify(r.responseFormat));
  for (const m of r.messages) {
    for (const c of m.toolCalls ?? []) out.push(`${c.name} ${c.arguments}`);
    for (const x of m.toolResults ?? []) out.push(x.content);
  }
  return out;
}
