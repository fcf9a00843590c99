import { z } from 'zod';
import { defineCall } from './define';

export const BudgetView = z.object({
  id: z.string(),
  scope: z.enum(['all', 'provider', 'key']),
  scopeValue: z.string(),
  period: z.enum(['day', 'week', 'month']),
  usd: z.number(),
  warnPct: z.number(),
  hard: z.boolean(),
  spentUsd: z.number(),
});
export type BudgetView = z.infer<typeof BudgetView>;

/**
 * Spend of one day, provider or model. `runs` and the tokens are the priced columns' (the ledger's);
 * `unpriced` is there when columns of an endpoint with no known price used tokens too.
 */
export const SpendRow = z.object({
  key: z.string(),
  usd: z.number(),
  runs: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  unpriced: z.object({ columns: z.number(), inputTokens: z.number(), outputTokens: z.number() }).optional(),
});
export type SpendRow = z.infer<typeof SpendRow>;

/** One ledger row: a column that cost money, with its latency (for the cost-vs-latency chart). */
export const SpendEntry = z.object({
  columnId: z.string(),
  runId: z.string(),
  at: z.number(),
  provider: z.string(),
  model: z.string(),
  modelId: z.string().nullable(),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  costUsd: z.number(),
  estimated: z.boolean(),
  ttftMs: z.number().nullable(),
  totalMs: z.number().nullable(),
});
export type SpendEntry = z.infer<typeof SpendEntry>;

const Since = z.object({ sinceMs: z.number().int().nonnegative().default(0) });

export const spendContract = {
  getSummary: defineCall(
    'spend:get-summary',
    Since.extend({ by: z.enum(['day', 'provider', 'model']).default('day') }),
    z.object({ totalUsd: z.number(), rows: z.array(SpendRow) }),
  ),
  listEntries: defineCall('spend:list-entries', Since.extend({ limit: z.number().int().min(1).max(50_000).default(5000) }), z.array(SpendEntry)),
  exportCsv: defineCall('spend:export-csv', Since, z.object({ csv: z.string(), filename: z.string() })),
  listBudgets: defineCall('spend:list-budgets', z.object({}).default({}), z.array(BudgetView)),
  saveBudget: defineCall(
    'spend:save-budget',
    z.object({
      scope: z.enum(['all', 'provider', 'key']),
      scopeValue: z.string().max(200).default(''),
      period: z.enum(['day', 'week', 'month']),
      usd: z.number().nonnegative().max(1_000_000),
      warnPct: z.number().min(1).max(100).default(80),
      hard: z.boolean().default(true),
    }),
    BudgetView,
  ),
  removeBudget: defineCall('spend:remove-budget', z.object({ id: z.string().min(1) }), z.object({ ok: z.boolean() })),
} as const;
