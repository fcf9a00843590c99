/**
 * Tools, tool choice, response formats and the tool turns of a conversation in
 * each protocol's own shape. Messages arrive with every call answered (see
 * shared/tools.ts completeToolResults), so each protocol sees a valid history.
 */
import type { ChatMessage } from '../../../shared/domain';
import { resultObject, type ResponseFormat, type ToolChoice, type ToolDefinition } from '../../../shared/tools';
import { anthropicContent, geminiParts, openaiContent } from './parts';
import type { AttachmentData } from './types';

type Files = ReadonlyMap<string, AttachmentData> | undefined;

/** A call's arguments as an object, for the protocols that take them parsed (Anthropic `input`, Gemini `args`). */
function argsObject(raw: string): Record<string, unknown> {
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const hasContent = (m: ChatMessage) => m.content !== '' || Boolean(m.attachments?.length);

// OpenAI Chat Completions -------------------------------------------------

/** One message may become several: a user turn's tool results are `role: 'tool'` messages before it. */
export function openaiMessages(messages: ChatMessage[], files: Files): unknown[] {
  const out: unknown[] = [];
  for (const m of messages) {
    if (m.role === 'assistant' && m.toolCalls?.length) {
      out.push({
        role: 'assistant',
        content: m.content === '' ? null : m.content,
        tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
      });
      continue;
    }
    for (const r of m.toolResults ?? []) out.push({ role: 'tool', tool_call_id: r.callId, content: r.content });
    if (!m.toolResults?.length || hasContent(m)) out.push({ role: m.role, content: openaiContent(m, files) });
  }
  return out;
}

export function openaiTools(tools: ToolDefinition[] | undefined): unknown[] | undefined {
  return tools?.length ? tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })) : undefined;
}

export function openaiToolChoice(choice: ToolChoice | undefined): unknown {
  if (choice === undefined || typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

export function openaiResponseFormat(f: ResponseFormat | undefined): unknown {
  if (!f) return undefined;
  if (f.type === 'json_object') return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: f.name, schema: f.schema, ...(f.strict !== undefined ? { strict: f.strict } : {}) } };
}

// Anthropic Messages -------------------------------------------------------

/** The tool a structured answer is given through on Anthropic (it has no response format of its own). */
export function anthropicAnswerTool(f: ResponseFormat | undefined): { name: string; description: string; input_schema: Record<string, unknown> } | null {
  if (!f) return null;
  const name = f.type === 'json_schema' ? f.name : 'json_answer';
  const input_schema = f.type === 'json_schema' ? f.schema : { type: 'object' };
  return { name, description: 'Give your whole answer by calling this tool; its input is the answer.', input_schema };
}

export function anthropicMessages(messages: ChatMessage[], files: Files): unknown[] {
  return messages.map((m) => {
    if (m.role === 'assistant' && m.toolCalls?.length) {
      const text = m.content === '' ? [] : [{ type: 'text', text: m.content }];
      return { role: 'assistant', content: [...text, ...m.toolCalls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: argsObject(c.arguments) }))] };
    }
    if (!m.toolResults?.length) return { role: m.role, content: anthropicContent(m, files) };
    // Results come first in the user turn, as the API requires.
    const results = m.toolResults.map((r) => ({ type: 'tool_result', tool_use_id: r.callId, content: r.content, ...(r.missing ? { is_error: true } : {}) }));
    const rest = hasContent(m) ? anthropicContent(m, files) : [];
    return { role: 'user', content: [...results, ...(typeof rest === 'string' ? [{ type: 'text', text: rest }] : rest)] };
  });
}

/**
 * Tools and tool_choice. A structured answer is asked for with a forced tool
 * whose input schema is the response schema (Anthropic's documented way to get
 * JSON out); beside other tools it is one more and some tool must be called.
 */
export function anthropicToolFields(tools: ToolDefinition[] | undefined, choice: ToolChoice | undefined, format: ResponseFormat | undefined): { tools?: unknown[]; tool_choice?: unknown } {
  const answer = anthropicAnswerTool(format);
  const own = (tools ?? []).map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
  const all = answer ? [...own, answer] : own;
  if (all.length === 0) return {};
  let tool_choice: unknown;
  if (choice === 'auto') tool_choice = { type: 'auto' };
  else if (choice === 'none') tool_choice = { type: 'none' };
  else if (choice === 'required') tool_choice = { type: 'any' };
  else if (choice) tool_choice = { type: 'tool', name: choice.name };
  if (answer && tool_choice === undefined) tool_choice = own.length ? { type: 'any' } : { type: 'tool', name: answer.name };
  return { tools: all, ...(tool_choice !== undefined ? { tool_choice } : {}) };
}

// Gemini --------------------------------------------------------------------

export function geminiContents(messages: ChatMessage[], files: Files): unknown[] {
  return messages.map((m) => {
    if (m.role === 'assistant') {
      const text = m.content === '' && m.toolCalls?.length ? [] : [{ text: m.content }];
      // A thinking model's call carries its thought signature, which must come back with it.
      const calls = (m.toolCalls ?? []).map((c) => ({ functionCall: { name: c.name, args: argsObject(c.arguments) }, ...(c.signature ? { thoughtSignature: c.signature } : {}) }));
      return { role: 'model', parts: [...text, ...calls] };
    }
    if (!m.toolResults?.length) return { role: 'user', parts: geminiParts(m, files) };
    const results = m.toolResults.map((r) => ({ functionResponse: { name: r.name, response: resultObject(r) } }));
    return { role: 'user', parts: [...results, ...(hasContent(m) ? geminiParts(m, files) : [])] };
  });
}

/** Parameters go as `parametersJsonSchema` (full JSON Schema), not `parameters` (an OpenAPI subset that refuses e.g. additionalProperties). */
export function geminiToolFields(tools: ToolDefinition[] | undefined, choice: ToolChoice | undefined): { tools?: unknown[]; toolConfig?: unknown } {
  if (!tools?.length) return {};
  const functionDeclarations = tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.parameters }));
  let functionCallingConfig: unknown;
  if (choice === 'auto') functionCallingConfig = { mode: 'AUTO' };
  else if (choice === 'none') functionCallingConfig = { mode: 'NONE' };
  else if (choice === 'required') functionCallingConfig = { mode: 'ANY' };
  else if (choice) functionCallingConfig = { mode: 'ANY', allowedFunctionNames: [choice.name] };
  return { tools: [{ functionDeclarations }], ...(functionCallingConfig ? { toolConfig: { functionCallingConfig } } : {}) };
}

export function geminiFormatFields(f: ResponseFormat | undefined): Record<string, unknown> {
  if (!f) return {};
  return f.type === 'json_schema' ? { responseMimeType: 'application/json', responseJsonSchema: f.schema } : { responseMimeType: 'application/json' };
}
