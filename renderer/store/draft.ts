/**
 * The compare form as typed (strings, so a half-typed "0." stays editable) and
 * its conversion to a CompareRequest.
 */
import { PARAM_LIMITS, RoutingOptions, type ChatMessage, type ColumnRouting, type CompareRequest, type CompareRequestInput, type GenerationParams } from '../../shared/domain';
import { emptyRoutingDraft, routingFromDraft, routingToDraft, type RoutingDraft, type RoutingField } from './routingDraft';
import type { AttachmentRef } from '../../shared/attachments';
import { ResponseFormat, ToolChoice, ToolList, normaliseResponseFormat, normaliseTools, type ToolDefinition } from '../../shared/tools';

/** The longest stall the window accepts, in seconds (the CLI's --idle-timeout bound). */
const MAX_IDLE_S = 3600;

export interface Draft {
  system: string;
  prompt: string;
  temperature: string;
  maxTokens: string;
  topP: string;
  seed: string;
  /** Seconds a stream may stall between chunks before it is ended (blank: the engine's 30). */
  idleTimeout: string;
  /** Milliseconds from the send to the first token before failing over (the CLI's --first-token-timeout). */
  firstTokenTimeout: string;
  targets: string[];
  /** The Routing group: the CLI's routing flags. */
  routing: RoutingDraft;
  /** A column's own routing, by target (targets are unique in a draft). */
  columnRouting: Record<string, ColumnRouting>;
  /** Files attached to the prompt, by content hash (the bytes live in the engine's store): plain data, safe to persist. */
  attachments: AttachmentRef[];
  /** A fork's conversation so far, sent before the prompt (none: a fresh question). */
  history?: ChatMessage[];
  /** The run and column (0-based) a fork continues. */
  forkedFrom?: { runId: string; index: number };
  /** Per-column parameters as typed, by target (a target picked twice shares them); blank keeps the shared value. */
  targetParams?: Record<string, TargetParamsDraft>;
  /** "Tools & format": tool definitions as typed (a JSON array; blank: none). */
  tools: string;
  /** '' (the models decide), auto, none, required, or a tool's name. */
  toolChoice: string;
  /** A JSON Schema the answers must follow, or {"type":"json_object"} (blank: free text). */
  responseFormat: string;
}

export interface TargetParamsDraft {
  temperature: string;
  maxTokens: string;
  /** '' (the model's default), or OpenAI's minimal|low|medium|high. */
  reasoningEffort: string;
  thinkingBudget: string;
}

export const emptyTargetParams: TargetParamsDraft = { temperature: '', maxTokens: '', reasoningEffort: '', thinkingBudget: '' };
const EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;

/** One column's own parameters, or null when it has none; a string is the one-line problem. */
function targetParams(d: TargetParamsDraft | undefined): GenerationParams | null | string {
  if (!d) return null;
  const out: GenerationParams = {};
  const t = num(d.temperature, 'temperature', (n) => within(n, L.temperature), 'a number from 0 to 2');
  const m = num(d.maxTokens, 'max tokens', (n) => Number.isInteger(n) && within(n, L.maxTokens), `a whole number from 1 to ${L.maxTokens.max}`);
  const b = num(d.thinkingBudget, 'thinking budget', (n) => Number.isInteger(n) && n >= 0 && n <= L.maxTokens.max, `a whole number from 0 to ${L.maxTokens.max}`);
  for (const v of [t, m, b]) if (typeof v === 'string') return v;
  if (typeof t === 'number') out.temperature = t;
  if (typeof m === 'number') out.maxTokens = m;
  if (typeof b === 'number') out.thinkingBudget = b;
  if (d.reasoningEffort) {
    const effort = EFFORTS.find((e) => e === d.reasoningEffort);
    if (!effort) return `reasoning effort must be one of ${EFFORTS.join(', ')}`;
    out.reasoningEffort = effort;
  }
  return Object.keys(out).length ? out : null;
}

export const emptyDraft: Draft = {
  system: '',
  prompt: '',
  temperature: '',
  maxTokens: '',
  topP: '',
  seed: '',
  idleTimeout: '',
  firstTokenTimeout: '',
  targets: [],
  routing: emptyRoutingDraft,
  columnRouting: {},
  attachments: [],
  tools: '',
  toolChoice: '',
  responseFormat: '',
};

/** Every field of the form that can hold a bad value, each marked with its own sentence. */
export type DraftField = 'temperature' | 'maxTokens' | 'topP' | 'seed' | 'idleTimeout' | 'firstTokenTimeout' | 'tools' | 'toolChoice' | 'responseFormat' | RoutingField;
export type FieldErrors = Partial<Record<DraftField, string>>;

type Converted = { ok: true; request: CompareRequestInput } | { ok: false; error: string };

function num(raw: string, name: string, check: (n: number) => boolean, rule: string): number | undefined | string {
  const s = raw.trim();
  if (!s) return undefined;
  const n = Number(s);
  // Plain decimals only, as on the command line: Number() would take "0x10" as 16 and "1e3" as 1000.
  if (!/^-?(\d+(\.\d+)?|\.\d+)$/.test(s) || !Number.isFinite(n) || !check(n)) return `${name} must be ${rule}`;
  return n;
}

const L = PARAM_LIMITS;
const DEFAULT_ROUTING = JSON.stringify(RoutingOptions.parse({}));
const within = (n: number, r: { min: number; max: number }) => n >= r.min && n <= r.max;

type ToolFields = Pick<CompareRequestInput, 'tools' | 'toolChoice' | 'responseFormat'>;
type Parsed = { params: GenerationParams; idle: number | undefined; firstTokenMs: number | undefined; tools: ToolFields; errors: FieldErrors };

/** The first zod issue as a sentence, its place in the JSON first (`1.name: …`). */
function issueLine(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  const i = error.issues[0]!;
  return i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message;
}

function jsonOf(raw: string, what: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch (err) {
    return { ok: false, error: `${what} is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The "Tools & format" fields, each checked as typed; a problem is marked on its own field. */
function parseToolFields(d: Draft, errors: FieldErrors): ToolFields {
  const out: ToolFields = {};
  let tools: ToolDefinition[] = [];
  if ((d.tools ?? '').trim()) {
    const j = jsonOf(d.tools, 'tools');
    if (!j.ok) errors.tools = j.error;
    else if (!Array.isArray(j.value)) errors.tools = 'tools must be a JSON array of { name, description, parameters }';
    else {
      const r = ToolList.safeParse(normaliseTools(j.value));
      if (!r.success) errors.tools = `tools: ${issueLine(r.error)}`;
      else if (r.data.length) out.tools = tools = r.data;
    }
  }
  const choice = (d.toolChoice ?? '').trim();
  if (choice) {
    const r = ToolChoice.safeParse(['auto', 'none', 'required'].includes(choice) ? choice : { name: choice });
    if (!r.success) errors.toolChoice = 'tool choice is auto, none, required or a tool\'s name';
    else if (!errors.tools && tools.length === 0) errors.toolChoice = 'a tool choice needs tools';
    else if (typeof r.data === 'object' && !errors.tools && !tools.some((t) => t.name === (r.data as { name: string }).name)) errors.toolChoice = `no tool named "${choice}" is defined`;
    else out.toolChoice = r.data;
  }
  if ((d.responseFormat ?? '').trim()) {
    const j = jsonOf(d.responseFormat, 'the response schema');
    if (!j.ok) errors.responseFormat = j.error;
    else {
      const r = ResponseFormat.safeParse(normaliseResponseFormat(j.value));
      if (!r.success) errors.responseFormat = `response schema: ${issueLine(r.error)}`;
      else out.responseFormat = r.data;
    }
  }
  return out;
}

function parseFields(d: Draft): Parsed {
  const params: GenerationParams = {};
  const errors: FieldErrors = {};
  const fields = [
    ['temperature', num(d.temperature, 'temperature', (n) => within(n, L.temperature), 'a number from 0 to 2')],
    ['maxTokens', num(d.maxTokens, 'max tokens', (n) => Number.isInteger(n) && within(n, L.maxTokens), `a whole number from 1 to ${L.maxTokens.max}`)],
    ['topP', num(d.topP, 'top_p', (n) => within(n, L.topP), 'a number from 0 to 1')],
    ['seed', num(d.seed, 'seed', (n) => Number.isInteger(n) && within(n, L.seed), `a whole number from ${L.seed.min} to ${L.seed.max}`)],
  ] as const;
  for (const [key, value] of fields) {
    if (typeof value === 'string') errors[key] = value;
    else if (value !== undefined) params[key] = value;
  }
  const idle = num(d.idleTimeout, 'idle timeout', (n) => n >= 0.001 && n <= MAX_IDLE_S, `a number of seconds from 0.001 to ${MAX_IDLE_S}`);
  if (typeof idle === 'string') errors.idleTimeout = idle;
  // The CLI flag's bounds, so the window and `--first-token-timeout` accept the same values.
  const firstTokenMs = num(d.firstTokenTimeout, 'first-token timeout', (n) => Number.isInteger(n) && n >= 1 && n <= 3_600_000, 'a whole number of ms from 1 to 3600000');
  if (typeof firstTokenMs === 'string') errors.firstTokenTimeout = firstTokenMs;
  Object.assign(errors, routingFromDraft(d.routing).errors);
  const tools = parseToolFields(d, errors);
  return { params, idle: typeof idle === 'number' ? idle : undefined, firstTokenMs: typeof firstTokenMs === 'number' ? firstTokenMs : undefined, tools, errors };
}

/** Every bad field of the draft at once (empty when all are fine), for marking them all together. */
export function draftFieldErrors(d: Draft): FieldErrors {
  return parseFields(d).errors;
}

export function draftToRequest(d: Draft): Converted {
  if (!d.prompt.trim()) return { ok: false, error: 'write a prompt first' };
  if (d.targets.length === 0) return { ok: false, error: 'pick at least one model' };
  const { params, idle, firstTokenMs, tools, errors } = parseFields(d);
  const first = Object.values(errors)[0];
  if (first !== undefined) return { ok: false, error: first };
  const request: CompareRequestInput = {
    messages: [...(d.history ?? []), { role: 'user', content: d.prompt, ...(d.attachments?.length ? { attachments: d.attachments.map((a) => ({ ...a })) } : {}) }],
    params,
    targets: [...d.targets],
  };
  if (d.history?.length && d.forkedFrom) request.forkedFrom = d.forkedFrom;
  const ownParams = d.targets.map((t) => targetParams(d.targetParams?.[t]));
  const bad = ownParams.findIndex((p) => typeof p === 'string');
  if (bad >= 0) return { ok: false, error: `column ${bad + 1} (${d.targets[bad]}): ${ownParams[bad] as string}` };
  if (ownParams.some((p) => p !== null)) request.targetParams = ownParams as Array<GenerationParams | null>;
  // Left out when it is the default, as the engine fills it in: a plain draft stays a plain request.
  const routing = RoutingOptions.parse(routingFromDraft(d.routing).routing);
  if (JSON.stringify(routing) !== DEFAULT_ROUTING) request.routing = routing;
  if (d.system.trim()) request.system = d.system;
  if (idle !== undefined || firstTokenMs !== undefined) {
    request.timeouts = { ...(idle !== undefined ? { idleMs: Math.round(idle * 1000) } : {}), ...(firstTokenMs !== undefined ? { firstTokenMs } : {}) };
  }
  const own = d.targets.map((t) => (d.columnRouting[t] && Object.keys(d.columnRouting[t]).length ? d.columnRouting[t] : null));
  if (own.some(Boolean)) request.columnRouting = own;
  Object.assign(request, tools);
  return { ok: true, request };
}

/** Loads a past request back into the form (rerun from history). */
export function requestToDraft(r: CompareRequest | CompareRequestInput): Draft {
  const at = r.messages.findLastIndex((m) => m.role === 'user');
  const lastUser = r.messages[at];
  // What came before the last prompt (a fork's conversation) goes back as the draft's history.
  const history = at > 0 ? r.messages.slice(0, at) : [];
  const p = r.params ?? {};
  const str = (n: number | undefined): string => (n === undefined ? '' : String(n));
  return {
    system: r.system ?? '',
    prompt: lastUser?.content ?? '',
    temperature: str(p.temperature),
    maxTokens: str(p.maxTokens),
    topP: str(p.topP),
    seed: str(p.seed),
    idleTimeout: r.timeouts?.idleMs === undefined ? '' : String(r.timeouts.idleMs / 1000),
    firstTokenTimeout: str(r.timeouts?.firstTokenMs),
    targets: [...r.targets],
    ...(history.length ? { history, ...(r.forkedFrom ? { forkedFrom: r.forkedFrom } : {}) } : {}),
    ...(r.targetParams?.some(Boolean) ? { targetParams: targetParamsToDraft(r.targets, r.targetParams) } : {}),
    routing: routingToDraft(r.routing),
    columnRouting: Object.fromEntries(r.targets.flatMap((t, i) => (r.columnRouting?.[i] ? [[t, r.columnRouting[i]]] : []))),
    attachments: (lastUser?.attachments ?? []).map((a) => ({ ...a })),
    tools: r.tools?.length ? JSON.stringify(r.tools, null, 2) : '',
    toolChoice: r.toolChoice === undefined ? '' : typeof r.toolChoice === 'string' ? r.toolChoice : r.toolChoice.name,
    responseFormat: !r.responseFormat ? '' : JSON.stringify(r.responseFormat.type === 'json_schema' ? r.responseFormat : { type: 'json_object' }, null, 2),
  };
}

function targetParamsToDraft(targets: string[], own: Array<GenerationParams | null>): Record<string, TargetParamsDraft> {
  const str = (n: number | undefined): string => (n === undefined ? '' : String(n));
  const out: Record<string, TargetParamsDraft> = {};
  targets.forEach((t, i) => {
    const p = own[i];
    if (p) out[t] = { temperature: str(p.temperature), maxTokens: str(p.maxTokens), reasoningEffort: p.reasoningEffort ?? '', thinkingBudget: str(p.thinkingBudget) };
  });
  return out;
}
