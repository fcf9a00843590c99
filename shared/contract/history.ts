import { z } from 'zod';
import { HistoryStats, RunResult, RunSummary } from '../domain';
import { defineCall } from './define';

export const historyContract = {
  listRuns: defineCall(
    'history:list-runs',
    z.object({
      limit: z.number().int().min(1).max(1000).default(200),
      offset: z.number().int().min(0).default(0),
      query: z.string().max(500).optional(),
      /** The `cursor` of the last run already shown: the page after it, newest first. */
      before: z.number().int().optional(),
    }),
    z.array(RunSummary),
  ),
  getRun: defineCall('history:get-run', z.object({ runId: z.string().min(1) }), RunResult),
  /** Runs, columns and the database's size on disk (the History footer, `switchyard history stats`). */
  getStats: defineCall('history:get-stats', z.object({ countColumns: z.boolean().default(true) }).default({ countColumns: true }), HistoryStats),
  deleteRun: defineCall('history:delete-run', z.object({ runId: z.string().min(1) }), z.object({ ok: z.boolean() })),
} as const;
