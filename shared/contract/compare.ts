import { z } from 'zod';
import { CompareEvent, CompareRequest, ProviderType, RoutePlan, RunResult } from '../domain';
import { AttachmentRef, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_MESSAGE } from '../attachments';
import { defineCall } from './define';
import { TOOL_LIMITS } from '../tools';

/**
 * A target the engine could not serve, left out of the run (the other targets run).
 * @example { target: 'nope:gpt-4o', reason: 'unknown provider "nope" in target "nope:gpt-4o" (configured: openai)' }
 */
export const LeftOutTarget = z.object({ target: z.string(), reason: z.string() });
export type LeftOutTarget = z.infer<typeof LeftOutTarget>;

export const Estimate = z.object({
  columns: z.array(
    z.object({
      target: z.string(),
      endpointId: z.string().nullable(),
      provider: z.string().nullable(),
      inputTokens: z.number().int(),
      /** True when inputTokens is an upper bound ("at most"): the prompt held a run too long to merge exactly in time. */
      inputTokensUpperBound: z.boolean().default(false),
      inputCostUsd: z.number().nullable(),
      maxOutputTokens: z.number().int(),
      maxOutputCostUsd: z.number().nullable(),
      jurisdiction: z.string().nullable(),
      retainsPrompts: z.boolean().nullable(),
      trainsOnData: z.boolean().nullable(),
      zdrAvailable: z.boolean().nullable(),
      error: z.string().nullable(),
      /** What the send will try: primary, then fallbacks (null when the target did not resolve). */
      plan: RoutePlan.nullable().optional(),
      /** Tokens of the images and PDFs, included in inputTokens: ESTIMATED by the protocol's documented rule. Text files are counted with the prompt. */
      attachmentTokens: z.number().int().optional(),
      /** Things worth knowing before sending, e.g. an endpoint whose input modalities the catalog does not know. */
      warnings: z.array(z.string()).optional(),
    }),
  ),
  totalMinUsd: z.number(),
  totalMaxUsd: z.number(),
  /** True when any column's input tokens (so the costs) are upper bounds, not exact. */
  upperBound: z.boolean().default(false),
  /** Budgets that would be exceeded (hard) or crossed (soft) by the worst case. */
  budgetWarnings: z.array(z.string()).default([]),
  blockedBy: z.string().nullable().default(null),
  /** Targets the send would leave out (not in `columns`), with why; absent when every target can be served. */
  leftOut: z.array(LeftOutTarget).optional(),
});
export type Estimate = z.infer<typeof Estimate>;

/** Base64 of the largest file accepted (see shared/attachments.ts); the host's body limit for this call follows it. */
export const MAX_ATTACHMENT_BASE64 = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;

/**
 * A file's bytes, base64, to be stored once by hash; the answer is the reference a message carries.
 * @example { name: 'chart.png', dataBase64: 'iVBORw0KGgo…' }
 */
export const AddAttachment = z.object({
  name: z.string().min(1, 'the file needs a name').max(255, 'file name is too long (255 characters at most)'),
  dataBase64: z
    .string()
    .max(MAX_ATTACHMENT_BASE64 + 4, 'the file is over the 32 MB limit for any file')
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'dataBase64 must be base64'),
});

/** How the window can make an unservable target servable: add (or edit) a provider, prefilled from the catalog. */
export const TargetFix = z.object({
  action: z.enum(['add', 'edit']),
  providerId: z.string(),
  type: ProviderType.nullable(),
  baseUrl: z.string().nullable(),
  /** The variable the catalog says holds this provider's key, e.g. GROQ_API_KEY. */
  keyEnv: z.string().nullable(),
});
export type TargetFix = z.infer<typeof TargetFix>;

/**
 * One target as the engine would resolve it now: servable, or why not and how to fix it.
 * @example { target: 'groq:llama-3.1-8b-instant', ok: false, reason: 'no provider "groq" is configured', fix: { action: 'add', providerId: 'groq', type: 'openai', baseUrl: 'https://api.groq.com/openai/v1', keyEnv: 'GROQ_API_KEY' } }
 */
export const TargetCheck = z.object({ target: z.string(), ok: z.boolean(), reason: z.string().nullable(), fix: TargetFix.nullable() });
export type TargetCheck = z.infer<typeof TargetCheck>;

const RunRef = z.object({ runId: z.string().min(1) });
const ColumnRef = z.object({ runId: z.string().min(1), columnId: z.string().min(1) });
const Ok = z.object({ ok: z.boolean() });
const StartedColumns = z.array(z.object({ columnId: z.string(), index: z.number(), target: z.string() }));
/** `column`: 0-based; omitted, every column continues its own conversation. */
/** `attachments`: files (stored first with addAttachment) the follow-up prompt carries, to every column it goes to. */
const FollowUp = z.object({
  runId: z.string().min(1),
  prompt: z.string().max(1_000_000),
  column: z.number().int().min(0).max(63).optional(),
  attachments: z.array(AttachmentRef).max(MAX_ATTACHMENTS_PER_MESSAGE, `at most ${MAX_ATTACHMENTS_PER_MESSAGE} attachments per message`).optional(),
  /** Results for the last answers' tool calls, by call id (JSON or text); a call given none is sent "no result provided". */
  toolResults: z
    .record(z.string().min(1).max(256), z.string().max(TOOL_LIMITS.resultChars, `a tool result is at most ${TOOL_LIMITS.resultChars / 1024} KiB`))
    .refine((r) => Object.keys(r).length <= 128, 'at most 128 tool results')
    .optional(),
});

export const compareContract = {
  /** `source`: what in the window sent it (History's Rerun says `rerun`; a fork's request says `fork` by itself). */
  startRun: defineCall(
    'compare:start-run',
    CompareRequest.extend({ source: z.enum(['window', 'rerun']).optional() }),
    z.object({ runId: z.string(), columns: z.array(z.object({ columnId: z.string(), index: z.number(), target: z.string() })), leftOut: z.array(LeftOutTarget).optional() }),
  ),
  cancelRun: defineCall('compare:cancel-run', RunRef, Ok),
  cancelColumn: defineCall('compare:cancel-column', ColumnRef, Ok),
  /** Re-runs one column of a finished run in place (a new set of attempts). */
  retryColumn: defineCall('compare:retry-column', ColumnRef, Ok),
  estimateRun: defineCall('compare:estimate-run', CompareRequest, Estimate),
  /**
   * The next turn of a finished run, to every column or to one; streams like a run (a `run-started` event with `turn`).
   * @example followUp({ runId: 'r_…', prompt: 'And in French?', column: 1 }) // { runId, turn: 1, columns: [{ columnId, index: 1, target }], warnings: [] }
   */
  followUp: defineCall('compare:follow-up', FollowUp, z.object({ runId: z.string(), turn: z.number().int(), columns: StartedColumns, warnings: z.array(z.string()) })),
  /**
   * The runs still streaming, each column with its text so far, and the `seq` of the last
   * event the snapshot holds: a reloaded window rebuilds its columns and applies later events only.
   */
  listActive: defineCall('compare:list-active', z.object({}).default({}), z.object({ seq: z.number().int().nonnegative(), runs: z.array(RunResult) })),
  /** Stores an attachment (type told from its bytes, size-limited) and returns its reference. */
  addAttachment: defineCall('compare:add-attachment', AddAttachment, AttachmentRef),
  /** Checks targets as they are added to the window, before any prompt exists. */
  checkTargets: defineCall('compare:check-targets', z.object({ targets: z.array(z.string().max(4000)).max(64) }), z.array(TargetCheck)),
} as const;

/** Subscription channel: every CompareEvent of every run, in order. */
export const COMPARE_EVENT_CHANNEL = 'compare:event' as const;
export { CompareEvent };
