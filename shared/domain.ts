/**
 * Domain types shared by the engine, the store, the CLI and the renderer.
 * Pure TypeScript + zod: no node, electron or DOM imports (lint enforces it).
 */
import { z } from 'zod';
import { AttachmentRef, MAX_ATTACHMENTS_PER_MESSAGE } from './attachments';
import { ResponseFormat, StructuredCheck, ToolCall, ToolChoice, ToolList, ToolResult } from './tools';

export const ProviderType = z.enum(['openai', 'anthropic', 'gemini']);
export type ProviderType = z.infer<typeof ProviderType>;

/** Identifier of a provider the user configured, e.g. `openai`, `groq`, `my-vllm`. */
export const ProviderId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'provider id must be lowercase letters, digits, ".", "_" or "-" (e.g. "openai")');

/**
 * Where an API key comes from. Keys themselves are never stored in plaintext:
 * `env` names an environment variable (CLI), `secret` points at a value the
 * desktop app encrypted with the OS keychain (safeStorage).
 */
export const KeyRef = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('env'), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a valid environment variable name') }),
  z.object({ kind: z.literal('secret'), id: z.string().min(1), last4: z.string().max(4) }),
]);
export type KeyRef = z.infer<typeof KeyRef>;

/** A model the provider serves under a canonical id: `--serve openai/gpt-4o-mini=gpt-4o-mini`. */
export const ServeMapping = z.object({ modelId: z.string().min(1), upstreamModel: z.string().min(1) });
export type ServeMapping = z.infer<typeof ServeMapping>;

export const ProviderConfig = z.object({
  id: ProviderId,
  type: ProviderType,
  baseUrl: z.url({ message: 'base URL must be an http(s) URL' }).max(2048, 'base URL is too long (2048 characters at most)'),
  keys: z.array(KeyRef).default([]),
  serves: z.array(ServeMapping).default([]),
  /** Catalog provider this one stands for (prices, policies, catalog models); null when the catalog does not know it. */
  catalogProvider: z.string().nullable().default(null),
  createdAt: z.number().int().optional(),
});
export type ProviderConfig = z.infer<typeof ProviderConfig>;

/** USD per million tokens. Tiers apply when the prompt is larger than `aboveInputTokens`. */
export const Price = z.object({
  inputPerM: z.number().nonnegative(),
  outputPerM: z.number().nonnegative(),
  cacheReadPerM: z.number().nonnegative().nullable().default(null),
  cacheWritePerM: z.number().nonnegative().nullable().default(null),
  reasoningPerM: z.number().nonnegative().nullable().default(null),
  tiers: z
    .array(
      z.object({
        aboveInputTokens: z.number().int().positive(),
        inputPerM: z.number().nonnegative(),
        outputPerM: z.number().nonnegative(),
        cacheReadPerM: z.number().nonnegative().nullable().default(null),
      }),
    )
    .default([]),
});
export type Price = z.infer<typeof Price>;

export const Capabilities = z.object({
  tools: z.boolean().nullable(),
  vision: z.boolean().nullable(),
  json: z.boolean().nullable(),
  reasoning: z.boolean().nullable(),
});
export type Capabilities = z.infer<typeof Capabilities>;
export const CapabilityName = z.enum(['tools', 'vision', 'json', 'reasoning']);
export type CapabilityName = z.infer<typeof CapabilityName>;

/** `null` everywhere means "unknown"; an unknown fact never satisfies a constraint that asks for it. */
export const DataPolicy = z.object({
  retainsPrompts: z.boolean().nullable(),
  retentionDays: z.number().nullable(),
  trainsOnData: z.boolean().nullable(),
  zdrAvailable: z.boolean().nullable(),
  /** ISO country/bloc codes, e.g. "US", "EU". */
  jurisdiction: z.string().nullable(),
  regions: z.array(z.string()).default([]),
  sourceUrl: z.string().nullable().default(null),
  asOf: z.string().nullable().default(null),
});
export type DataPolicy = z.infer<typeof DataPolicy>;

export const UNKNOWN_POLICY: DataPolicy = {
  retainsPrompts: null,
  retentionDays: null,
  trainsOnData: null,
  zdrAvailable: null,
  jurisdiction: null,
  regions: [],
  sourceUrl: null,
  asOf: null,
};

/** One way to serve a model: provider x upstream model, with its price, limits and policy. */
export const Endpoint = z.object({
  /** `provider:upstream-model` */
  id: z.string(),
  providerId: z.string(),
  upstreamModel: z.string(),
  /** Canonical model id, `lab/model`, or the upstream name when the catalog knows none. */
  modelId: z.string(),
  price: Price.nullable(),
  contextWindow: z.number().int().nullable(),
  maxOutput: z.number().int().nullable(),
  capabilities: Capabilities,
  /** The catalog model's input modalities (`text`, `image`, `pdf`, …); null or absent when the catalog does not know the model. */
  inputModalities: z.array(z.string()).nullable().optional(),
  policy: DataPolicy,
  source: z.enum(['catalog', 'user', 'direct']),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const RouteStrategy = z.enum(['order', 'price', 'latency', 'throughput', 'balanced']);
export type RouteStrategy = z.infer<typeof RouteStrategy>;

/** OpenRouter-style provider preferences, applied to every target of a request. */
export const RoutingOptions = z.object({
  strategy: RouteStrategy.default('balanced'),
  order: z.array(z.string()).default([]),
  only: z.array(z.string()).default([]),
  ignore: z.array(z.string()).default([]),
  zdr: z.boolean().default(false),
  noTraining: z.boolean().default(false),
  jurisdictions: z.array(z.string()).default([]),
  maxPrice: z.object({ inputPerM: z.number().nonnegative(), outputPerM: z.number().nonnegative() }).nullable().default(null),
  requireCapabilities: z.array(CapabilityName).default([]),
  /** Pin each column to its first-choice endpoint: no fallback at all. */
  noFallback: z.boolean().default(false),
  /** On a mid-stream failure, restart on another endpoint (recorded as a second attempt, never spliced). */
  continueElsewhere: z.boolean().default(false),
});
export type RoutingOptions = z.infer<typeof RoutingOptions>;
export type RoutingOptionsInput = z.input<typeof RoutingOptions>;

/**
 * What one column may set for itself on top of the request's routing (the
 * window's per-column menu, the CLI's `--column-route N:key=value`).
 * `firstTokenMs` is the column's own first-token timeout (the run's `timeouts.firstTokenMs`).
 */
export const ColumnRouting = z.object({
  strategy: RouteStrategy.optional(),
  order: z.array(z.string()).optional(),
  only: z.array(z.string()).optional(),
  ignore: z.array(z.string()).optional(),
  zdr: z.boolean().optional(),
  noTraining: z.boolean().optional(),
  jurisdictions: z.array(z.string()).optional(),
  maxPrice: z.object({ inputPerM: z.number().nonnegative(), outputPerM: z.number().nonnegative() }).nullable().optional(),
  firstTokenMs: z.number().int().min(1).max(3_600_000).optional(),
  noFallback: z.boolean().optional(),
});
export type ColumnRouting = z.infer<typeof ColumnRouting>;

/**
 * The routing one column follows: the request's, with that column's override on top.
 * @example routingFor({ routing, columnRouting: [null, { zdr: true }] }, 1).zdr // true
 */
export function routingFor(request: { routing: RoutingOptions; columnRouting?: Array<ColumnRouting | null> | undefined }, index: number): RoutingOptions {
  const own = request.columnRouting?.[index];
  if (!own) return request.routing;
  // The timeout is not routing: columnRequest moves it into the column's timeouts.
  const set = Object.fromEntries(Object.entries(own).filter(([k, v]) => v !== undefined && k !== 'firstTokenMs'));
  return { ...request.routing, ...set };
}

/** How long a stream may go without a chunk once output has begun (a stall); the CLI's `--idle-timeout` and the window's setting. */
export const DEFAULT_IDLE_MS = 30_000;

export const Timeouts = z.object({
  connectMs: z.number().int().positive().default(10_000),
  firstTokenMs: z.number().int().positive().default(60_000),
  idleMs: z.number().int().positive().default(DEFAULT_IDLE_MS),
  totalMs: z.number().int().positive().default(600_000),
});
export type Timeouts = z.infer<typeof Timeouts>;

/**
 * `attachments` (user messages): files by content hash, stored once; the engine
 * loads their bytes at send time and builds each protocol's own parts.
 */
export const ChatMessage = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  attachments: z.array(AttachmentRef).max(MAX_ATTACHMENTS_PER_MESSAGE, `at most ${MAX_ATTACHMENTS_PER_MESSAGE} attachments per message`).optional(),
  /** Assistant messages: the tool calls the model made (sent back in each protocol's own shape). */
  toolCalls: z.array(ToolCall.pick({ id: true, name: true, arguments: true, signature: true, thinking: true })).max(128).optional(),
  /** User messages: results for the previous assistant message's tool calls (see shared/tools.ts completeToolResults). */
  toolResults: z.array(ToolResult).max(128).optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/**
 * What the protocols take, checked the same in the CLI and at the host/IPC boundary.
 * Seed: Gemini's is a signed 32-bit integer (OpenAI's is wider), so the common range is int32.
 * Temperature: OpenAI and Gemini take 0-2 (Anthropic 0-1, enforced by its API).
 */
export const PARAM_LIMITS = {
  temperature: { min: 0, max: 2 },
  topP: { min: 0, max: 1 },
  maxTokens: { min: 1, max: 10_000_000 },
  seed: { min: -(2 ** 31), max: 2 ** 31 - 1 },
} as const;

export const GenerationParams = z.object({
  temperature: z.number().min(PARAM_LIMITS.temperature.min).max(PARAM_LIMITS.temperature.max).optional(),
  maxTokens: z.number().int().min(PARAM_LIMITS.maxTokens.min).max(PARAM_LIMITS.maxTokens.max).optional(),
  topP: z.number().min(PARAM_LIMITS.topP.min).max(PARAM_LIMITS.topP.max).optional(),
  seed: z.number().int().min(PARAM_LIMITS.seed.min).max(PARAM_LIMITS.seed.max).optional(),
  stop: z.array(z.string()).max(4).optional(),
  /** OpenAI `reasoning_effort` (o-series, gpt-5); ignored by the other protocols. */
  reasoningEffort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
  /** Anthropic `thinking.budget_tokens` (0: no thinking) and Gemini `thinkingConfig.thinkingBudget` (0: off); OpenAI has none. */
  thinkingBudget: z.number().int().min(0).max(PARAM_LIMITS.maxTokens.max).optional(),
});
export type GenerationParams = z.infer<typeof GenerationParams>;

/**
 * One prompt to N targets.
 * @example { system: 'Be brief', messages: [{ role: 'user', content: 'Hi' }], params: {}, targets: ['openai:gpt-4o-mini', 'anthropic/claude-3-5-haiku'] }
 */
export const CompareRequest = z.object({
  system: z.string().optional(),
  messages: z.array(ChatMessage).min(1, 'a prompt needs at least one message'),
  params: GenerationParams.default({}),
  targets: z.array(z.string().min(1)).min(1, 'pick at least one model').max(64),
  routing: RoutingOptions.default(RoutingOptions.parse({})),
  timeouts: Timeouts.partial().default({}),
  /** Refuse to send when the worst-case estimate exceeds a hard budget (always on; here for tests). */
  dryRun: z.boolean().default(false),
  /**
   * The plan ids the pre-flight showed, one per target (null: none shown). A column
   * whose plan differs at send (a breaker opened, health moved) says `replanned`.
   */
  plans: z.array(z.string().nullable()).max(64).optional(),
  /**
   * Per-column parameters, one per target (null: the shared ones only); a value set here wins over `params`.
   * @example targetParams: [null, { temperature: 0, thinkingBudget: 2048 }]
   */
  targetParams: z.array(GenerationParams.nullable()).max(64).optional(),
  /** This run continues another run's column as a new conversation (`compare --fork`). */
  forkedFrom: z.object({ runId: z.string(), index: z.number().int().min(0) }).optional(),
  /** Per-column routing overrides, one per target (null: the request's routing as is). */
  columnRouting: z.array(ColumnRouting.nullable()).max(64).optional(),
  /**
   * Tools every column may call (JSON Schema parameters), translated for each protocol.
   * @example tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }]
   */
  tools: ToolList.optional(),
  /** `required`: some tool must be called; `{ name }`: that one. Needs `tools`. */
  toolChoice: ToolChoice.optional(),
  /** A structured answer: JSON per a schema (each column's answer is validated against it) or any JSON object. */
  responseFormat: ResponseFormat.optional(),
}).superRefine((r, ctx) => {
  if (r.toolChoice === undefined) return;
  if (!r.tools?.length) ctx.addIssue({ code: 'custom', path: ['toolChoice'], message: 'a tool choice needs tools' });
  else if (typeof r.toolChoice === 'object' && !r.tools.some((t) => t.name === (r.toolChoice as { name: string }).name)) {
    ctx.addIssue({ code: 'custom', path: ['toolChoice'], message: `no tool named "${r.toolChoice.name}" is defined` });
  }
});
export type CompareRequest = z.infer<typeof CompareRequest>;
export type CompareRequestInput = z.input<typeof CompareRequest>;

export const ColumnStatus = z.enum(['queued', 'running', 'ok', 'error', 'incomplete', 'cancelled', 'interrupted']);
export type ColumnStatus = z.infer<typeof ColumnStatus>;
export const AttemptStatus = z.enum(['running', 'ok', 'error', 'incomplete', 'cancelled', 'interrupted', 'skipped']);
export type AttemptStatus = z.infer<typeof AttemptStatus>;

/** Normalised error classes; the router decides what each one means. */
export const ErrorKind = z.enum([
  'rate_limit', // 429
  'server', // 5xx
  'auth', // 401/403
  'not_found', // 404
  'bad_request', // 400/422
  'network', // connect refused, reset, DNS
  'timeout_connect',
  'timeout_first_token',
  'timeout_idle',
  'timeout_total',
  'stream_error', // error event after HTTP 200
  'malformed', // unparseable event
  'truncated', // stream ended without terminal signal
  'cancelled',
  'budget', // stopped by a hard budget
  'policy', // refused by routing constraints
  'config', // missing key, unknown provider
]);
export type ErrorKind = z.infer<typeof ErrorKind>;

export const AttemptRecord = z.object({
  provider: z.string(),
  model: z.string(),
  status: AttemptStatus,
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  errorKind: ErrorKind.nullable().default(null),
  startedAt: z.number(),
  ttftMs: z.number().nullable(),
  totalMs: z.number().nullable(),
  /** Which key of the provider was used (index, never the key). */
  keyIndex: z.number().int().nullable().default(null),
  retryAfterMs: z.number().nullable().default(null),
  outputTokens: z.number().int().nullable().default(null),
});
export type AttemptRecord = z.infer<typeof AttemptRecord>;

export const Usage = z.object({
  inputTokens: z.number().int().nullable(),
  outputTokens: z.number().int().nullable(),
  reasoningTokens: z.number().int().nullable().default(null),
  cachedInputTokens: z.number().int().nullable().default(null),
  /** Tokens written to the prompt cache (Anthropic `cache_creation_input_tokens`): a part of `inputTokens` billed at the cache-write price. Present when reported. */
  cacheWriteTokens: z.number().int().nullable().optional(),
  /** True when counted locally with a tokenizer rather than reported by the provider. */
  estimated: z.boolean(),
});
export type Usage = z.infer<typeof Usage>;

export const ColumnMetrics = z.object({
  queuedAt: z.number().nullable().default(null),
  sentAt: z.number().nullable().default(null),
  ttftMs: z.number().nullable(),
  totalMs: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
});
export type ColumnMetrics = z.infer<typeof ColumnMetrics>;

/** One endpoint of a routing plan: the configured provider, the catalog (or direct) model id, the provider's own model name. */
export const PlannedEndpoint = z.object({
  provider: z.string(),
  model: z.string(),
  upstream: z.string(),
  /** Every key's circuit is open: planned behind the others until its cool-down ends. */
  circuitOpen: z.boolean().optional(),
});
export type PlannedEndpoint = z.infer<typeof PlannedEndpoint>;

/**
 * What a column will try, decided once before anything is sent: the pre-flight,
 * `compare --dry-run --json` and the run derive it identically.
 * @example { id: '3f9c0a1b2c4d', primary: { provider: 'groq', model: 'meta/llama-3.1-8b', upstream: 'llama-3.1-8b-instant' }, fallbacks: [] }
 */
export const RoutePlan = z.object({
  /** Hash of the ordered endpoints: equal ids, equal plans. */
  id: z.string(),
  primary: PlannedEndpoint.nullable(),
  fallbacks: z.array(PlannedEndpoint),
});
export type RoutePlan = z.infer<typeof RoutePlan>;

/** The fields of one answer: a column's, and each turn's of a conversation. */
const ColumnFields = z.object({
  columnId: z.string(),
  index: z.number().int(),
  target: z.string(),
  status: ColumnStatus,
  servedBy: z.object({ provider: z.string(), model: z.string() }).nullable(),
  fellBack: z.boolean(),
  text: z.string(),
  reasoning: z.string().default(''),
  finishReason: z.string().nullable().default(null),
  error: z.string().nullable(),
  attempts: z.array(AttemptRecord),
  usage: Usage,
  metrics: ColumnMetrics,
  costUsd: z.number().nullable(),
  providerCostUsd: z.number().nullable().default(null),
  /** (computed - reported) / reported, when both exist. Over 5% is flagged. */
  costDrift: z.number().nullable().default(null),
  /** The plan the run followed; `fellBack` is relative to its primary. */
  plan: RoutePlan.optional(),
  /** The request carried the pre-flight's plan id and the run's plan differed from it. */
  replanned: z.boolean().optional(),
  /** No cache-write price in the catalog: priced at Anthropic's documented 1.25 x the input price. */
  cacheWritePriceFallback: z.boolean().optional(),
  /** The tool calls the model made, in order (present when it made any). */
  toolCalls: z.array(ToolCall).optional(),
  /** Present when the request had a response format with a schema: whether the answer validates against it. */
  structured: StructuredCheck.optional(),
  /** Results this turn's prompt carried for the column's earlier tool calls (a follow-up's `--tool-result`). */
  toolResults: z.array(ToolResult).optional(),
});

/** Sums over a conversation's turns (null when no turn had the figure). */
export const Totals = z.object({
  costUsd: z.number().nullable(),
  inputTokens: z.number().int().nullable(),
  outputTokens: z.number().int().nullable(),
  totalMs: z.number().nullable(),
});
export type Totals = z.infer<typeof Totals>;

/** One turn of a column's conversation: the prompt it answered and the answer, with its own attempts, usage, metrics and cost. */
export const ColumnTurn = ColumnFields.extend({ turn: z.number().int().min(0), prompt: z.string() });
export type ColumnTurn = z.infer<typeof ColumnTurn>;

/**
 * The per-column JSON contract of `switchyard compare --json` (scripts rely on it).
 * In a conversation (a run with follow-ups) the top-level fields are the column's
 * latest turn; `turns` lists every turn it answered, oldest first, and `totals` sums them.
 */
export const ColumnResult = ColumnFields.extend({
  turns: z.array(ColumnTurn).optional(),
  totals: Totals.optional(),
});
export type ColumnResult = z.infer<typeof ColumnResult>;

/** A turn of a run: the prompt sent and which columns (indexes) it went to. Turn 0 is the run's own request. */
/** One prompt of a conversation; `attachments`: the files a follow-up prompt carried (turn 0's are in the request). */
export const RunTurn = z.object({ turn: z.number().int().min(0), prompt: z.string(), createdAt: z.number(), columns: z.array(z.number().int()), attachments: z.array(AttachmentRef).optional() });
export type RunTurn = z.infer<typeof RunTurn>;

export const RunResult = z.object({
  runId: z.string(),
  createdAt: z.number().optional(),
  status: z.enum(['running', 'done', 'interrupted']).optional(),
  request: CompareRequest.optional(),
  columns: z.array(ColumnResult),
  /** Present once the run has a follow-up: every turn, oldest first, and the sums over all columns and turns. */
  turns: z.array(RunTurn).optional(),
  totals: Totals.optional(),
  /** History's labels (a stored run has them; a live one may not): tags as typed, the note, where it came from (null: unknown). */
  tags: z.array(z.string()).optional(),
  note: z.string().nullable().optional(),
  source: z.string().nullable().optional(),
});
export type RunResult = z.infer<typeof RunResult>;

/** The few figures of a column a run's summary row needs; a history page carries these, not whole columns. */
export const ColumnFacts = z.object({
  status: ColumnStatus,
  costUsd: z.number().nullable(),
  ttftMs: z.number().nullable(),
  inputTokens: z.number().int().nullable(),
  outputTokens: z.number().int().nullable(),
});
export type ColumnFacts = z.infer<typeof ColumnFacts>;

export const RunSummary = z.object({
  runId: z.string(),
  createdAt: z.number(),
  status: z.enum(['running', 'done', 'interrupted']),
  promptPreview: z.string(),
  targets: z.array(z.string()),
  costUsd: z.number().nullable(),
  columnStatuses: z.array(ColumnStatus),
  /** Pass the last run's cursor as `before` to get the page after it (keyset paging, no OFFSET). */
  cursor: z.number().optional(),
  /** What each column came to, in column order: what the summary row (shared/run-summary.ts) is made from. */
  columns: z.array(ColumnFacts).optional(),
  tags: z.array(z.string()).optional(),
  /** Where the run was made (window, cli, rerun, fork…); null: before sources were kept. */
  source: z.string().nullable().optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/**
 * How big history is. `dbBytes` is the database file's pages; the WAL is counted apart (it folds back in at a
 * checkpoint). `columns` is null when not asked for: counting a million answers reads a 30 MB index.
 */
export const HistoryStats = z.object({
  runs: z.number().int(),
  columns: z.number().int().nullable(),
  dbBytes: z.number().int(),
  walBytes: z.number().int(),
});
export type HistoryStats = z.infer<typeof HistoryStats>;

/**
 * Streaming events of a compare run, in the order they happen. `seq` numbers
 * every event the engine emits (one counter for all runs), so a window that
 * reloads can tell which ones its snapshot (compare:list-active) already holds.
 */
export const CompareEvent = z.discriminatedUnion('type', [
  /** Also sent when a follow-up turn starts (`turn` > 0): the listed columns are that turn's, under new column ids. */
  z.object({ type: z.literal('run-started'), runId: z.string(), columns: z.array(z.object({ columnId: z.string(), index: z.number(), target: z.string() })), turn: z.number().int().optional() }),
  z.object({ type: z.literal('attempt-started'), runId: z.string(), columnId: z.string(), attempt: AttemptRecord }),
  z.object({ type: z.literal('delta'), runId: z.string(), columnId: z.string(), text: z.string(), reasoning: z.string() }),
  /** A tool call streaming: its place among the answer's calls, id and name with its first piece, argument text to append. */
  z.object({ type: z.literal('tool-delta'), runId: z.string(), columnId: z.string(), index: z.number().int().min(0).max(127), id: z.string().max(256).optional(), name: z.string().max(256).optional(), arguments: z.string() }),
  z.object({ type: z.literal('attempt-finished'), runId: z.string(), columnId: z.string(), attempt: AttemptRecord }),
  z.object({ type: z.literal('column-finished'), runId: z.string(), column: ColumnResult }),
  z.object({ type: z.literal('run-finished'), runId: z.string(), result: RunResult }),
]).and(z.object({ seq: z.number().int().nonnegative().optional() }));
export type CompareEvent = z.infer<typeof CompareEvent>;
