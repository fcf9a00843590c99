/**
 * The compare form as typed (strings, so a half-typed "0." stays editable) and
 * its conversion to a CompareRequest.
 */
import { PARAM_LIMITS, type ChatMessage, type CompareRequest, type CompareRequestInput, type GenerationParams } from '../../shared/domain';

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
  /** A fork's conversation so far, sent before the prompt (none: a fresh question). */
  history?: ChatMessage[];
  /** The run and column (0-based) a fork continues. */
  forkedFrom?: { runId: string; index: number };
  /** Per-column parameters as typed, by target (a target picked twice shares them); blank keeps the shared value. */
  targetParams?: Record<string, TargetParamsDraft>;
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

export const emptyDraft: Draft = { system: '', prompt: '', temperature: '', maxTokens: '', topP: '', seed: '', idleTimeout: '', firstTokenTimeout: '', targets: [] };

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
const within = (n: number, r: { min: number; max: number }) => n >= r.min && n <= r.max;

export function draftToRequest(d: Draft): Converted {
  if (!d.prompt.trim()) return { ok: false, error: 'write a prompt first' };
  if (d.targets.length === 0) return { ok: false, error: 'pick at least one model' };
  const params: GenerationParams = {};
  const fields = [
    ['temperature', num(d.temperature, 'temperature', (n) => within(n, L.temperature), 'a number from 0 to 2')],
    ['maxTokens', num(d.maxTokens, 'max tokens', (n) => Number.isInteger(n) && within(n, L.maxTokens), `a whole number from 1 to ${L.maxTokens.max}`)],
    ['topP', num(d.topP, 'top_p', (n) => within(n, L.topP), 'a number from 0 to 1')],
    ['seed', num(d.seed, 'seed', (n) => Number.isInteger(n) && within(n, L.seed), `a whole number from ${L.seed.min} to ${L.seed.max}`)],
  ] as const;
  for (const [key, value] of fields) {
    if (typeof value === 'string') return { ok: false, error: value };
    if (value !== undefined) params[key] = value;
  }
  const idle = num(d.idleTimeout, 'idle timeout', (n) => n >= 0.001 && n <= MAX_IDLE_S, `a number of seconds from 0.001 to ${MAX_IDLE_S}`);
  if (typeof idle === 'string') return { ok: false, error: idle };
  // The CLI flag's bounds, so the window and `--first-token-timeout` accept the same values.
  const firstTokenMs = num(d.firstTokenTimeout, 'first-token timeout', (n) => Number.isInteger(n) && n >= 1 && n <= 3_600_000, 'a whole number of ms from 1 to 3600000');
  if (typeof firstTokenMs === 'string') return { ok: false, error: firstTokenMs };
  const request: CompareRequestInput = {
    messages: [...(d.history ?? []), { role: 'user', content: d.prompt }],
    params,
    targets: [...d.targets],
  };
  if (d.history?.length && d.forkedFrom) request.forkedFrom = d.forkedFrom;
  const own = d.targets.map((t) => targetParams(d.targetParams?.[t]));
  const bad = own.findIndex((p) => typeof p === 'string');
  if (bad >= 0) return { ok: false, error: `column ${bad + 1} (${d.targets[bad]}): ${own[bad] as string}` };
  if (own.some((p) => p !== null)) request.targetParams = own as Array<GenerationParams | null>;
  if (d.system.trim()) request.system = d.system;
  if (idle !== undefined || firstTokenMs !== undefined) {
    request.timeouts = { ...(idle !== undefined ? { idleMs: Math.round(idle * 1000) } : {}), ...(firstTokenMs !== undefined ? { firstTokenMs } : {}) };
  }
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
