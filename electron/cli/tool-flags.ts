/**
 * The compare command's tool flags: `--tools FILE`, `--tool-choice`,
 * `--response-format FILE|json`, `--tool-result <callId>=<value>`, and how a
 * column's tool calls and schema check are printed under it.
 */
import type { ColumnResult } from '../../shared/domain';
import { quote } from '../../shared/quote';
import { ResponseFormat, ToolList, TOOL_LIMITS, TOOL_NAME_RE, normaliseResponseFormat, normaliseTools, prettyArguments, type ToolChoice, type ToolDefinition } from '../../shared/tools';
import { zodLine } from '../engine/errors';
import { InputLimitError, readBoundedFile } from '../engine/limits';
import { describeSystemError } from '../engine/system-errors';
import { CliExit, EXIT_USAGE } from './errors';

export interface ToolFlags {
  tools?: string;
  toolChoice?: string;
  responseFormat?: string;
  toolResult?: string[];
}

export interface ToolFields {
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
}

async function readJson(flag: string, path: string): Promise<unknown> {
  let text: string;
  try {
    text = (await readBoundedFile(path, TOOL_LIMITS.fileBytes, `${flag} file`)).toString('utf8');
  } catch (err) {
    if (err instanceof InputLimitError) throw new CliExit(`${flag}: ${err.message}`, EXIT_USAGE);
    throw new CliExit(`${flag}: ${describeSystemError(err, { action: 'read', path }) ?? `cannot read ${quote(path)}`}`, EXIT_USAGE);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliExit(`${flag} ${path}: not JSON: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, EXIT_USAGE);
  }
}

/** `auto|none|required` or a tool's name. */
export function parseToolChoice(value: string): ToolChoice {
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  if (!TOOL_NAME_RE.test(value)) throw new CliExit(`--tool-choice ${quote(value)}: give auto, none, required or a tool's name (1-64 letters, digits, "_" or "-")`, EXIT_USAGE);
  return { name: value };
}

/** Reads and checks the files the flags name; each problem is one line naming the file. */
export async function loadToolFlags(f: ToolFlags): Promise<ToolFields> {
  const out: ToolFields = {};
  if (f.tools !== undefined) {
    const raw = await readJson('--tools', f.tools);
    if (!Array.isArray(raw)) throw new CliExit(`--tools ${f.tools}: expected a JSON array of tool definitions ([{ "name", "description", "parameters" }] or OpenAI's [{ "type": "function", "function": {…} }])`, EXIT_USAGE);
    const parsed = ToolList.safeParse(normaliseTools(raw));
    if (!parsed.success) throw new CliExit(`--tools ${f.tools}: ${zodLine(parsed.error)}`, EXIT_USAGE);
    if (parsed.data.length === 0) throw new CliExit(`--tools ${f.tools}: the list is empty`, EXIT_USAGE);
    out.tools = parsed.data;
  }
  if (f.toolChoice !== undefined) {
    out.toolChoice = parseToolChoice(f.toolChoice);
    if (!out.tools) throw new CliExit('--tool-choice needs --tools FILE', EXIT_USAGE);
    const named = out.toolChoice;
    if (typeof named === 'object' && !out.tools.some((t) => t.name === named.name)) {
      throw new CliExit(`--tool-choice ${quote(named.name)}: no such tool in ${f.tools} (it has ${out.tools.map((t) => t.name).join(', ')})`, EXIT_USAGE);
    }
  }
  if (f.responseFormat !== undefined) {
    if (f.responseFormat === 'json') out.responseFormat = { type: 'json_object' };
    else {
      const parsed = ResponseFormat.safeParse(normaliseResponseFormat(await readJson('--response-format', f.responseFormat)));
      if (!parsed.success) throw new CliExit(`--response-format ${f.responseFormat}: ${zodLine(parsed.error)}`, EXIT_USAGE);
      out.responseFormat = parsed.data;
    }
  }
  return out;
}

/** `--tool-result call_1={"temp":18}` (repeatable): the value is sent as given, JSON or text. */
export function parseToolResults(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const at = v.indexOf('=');
    if (at <= 0) throw new CliExit(`--tool-result ${quote(v)}: give <callId>=<result> (the id as printed under the column)`, EXIT_USAGE);
    const id = v.slice(0, at);
    if (id in out) throw new CliExit(`--tool-result: call ${quote(id)} is given twice`, EXIT_USAGE);
    out[id] = v.slice(at + 1);
  }
  return out;
}

/**
 * The lines printed under a finished column: each tool call (name, id, pretty-printed
 * arguments) and whether a structured answer validates.
 * @example toolLines(column) // ['tool call get_weather (call_1):', '  {', '    "city": "Paris"', '  }', 'schema: valid']
 */
export function toolLines(c: Pick<ColumnResult, 'toolCalls' | 'structured'>): string[] {
  const lines: string[] = [];
  for (const call of c.toolCalls ?? []) {
    lines.push(`tool call ${call.name} (${call.id}):`);
    for (const l of prettyArguments(call).split('\n')) lines.push(`  ${l}`);
    if (call.parseError) lines.push(`  (${call.parseError})`);
  }
  if (c.structured) lines.push(c.structured.valid ? 'schema: valid' : `schema: invalid (${(c.structured.errors ?? []).join('; ')})`);
  return lines;
}
