import { z } from 'zod';
import { CompareEvent, CompareRequest, RoutePlan, RunResult } from '../domain';
import { defineCall } from './define';

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
    }),
  ),
  totalMinUsd: z.number(),
  totalMaxUsd: z.number(),
  /** True when any column's input tokens (so the costs) are upper bounds, not exact. */
  upperBound: z.boolean().default(false),
  /** Budgets that would be exceeded (hard) or crossed (soft) by the worst case. */
  budgetWarnings: z.array(z.string()).default([]),
  blockedBy: z.string().nullable().default(null),
});
export type Estimate = z.infer<typeof Estimate>;

const RunRef = z.object({ runId: z.string().min(1) });
const ColumnRef = z.object({ runId: z.string().min(1), columnId: z.string().min(1) });
const Ok = z.object({ ok: z.boolean() });

export const compareContract = {
  startRun: defineCall(
    'compare:start-run',
    CompareRequest,
    z.object({ runId: z.string(), columns: z.array(z.object({ columnId: z.string(), index: z.number(), target: z.string() })) }),
  ),
  cancelRun: defineCall('compare:cancel-run', RunRef, Ok),
  cancelColumn: defineCall('compare:cancel-column', ColumnRef, Ok),
  /** Re-runs one column of a finished run in place (a new set of attempts). */
  retryColumn: defineCall('compare:retry-column', ColumnRef, Ok),
  estimateRun: defineCall('compare:estimate-run', CompareRequest, Estimate),
  /**
   * The runs still streaming, each column with its text so far, and the `seq` of the last
   * event the snapshot holds: a reloaded window rebuilds its columns and applies later events only.
   */
  listActive: defineCall('compare:list-active', z.object({}).default({}), z.object({ seq: z.number().int().nonnegative(), runs: z.array(RunResult) })),
} as const;

/** Subscription channel: every CompareEvent of every run, in order. */
export const COMPARE_EVENT_CHANNEL = 'compare:event' as const;
export { CompareEvent };
