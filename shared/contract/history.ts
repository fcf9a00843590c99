import { z } from 'zod';
import { RunResult, RunSummary } from '../domain';
import { defineCall } from './define';

export const historyContract = {
  listRuns: defineCall(
    'history:list-runs',
    z.object({ limit: z.number().int().min(1).max(1000).default(200), offset: z.number().int().min(0).default(0), query: z.string().max(500).optional() }),
    z.array(RunSummary),
  ),
  getRun: defineCall('history:get-run', z.object({ runId: z.string().min(1) }), RunResult),
  deleteRun: defineCall('history:delete-run', z.object({ runId: z.string().min(1) }), z.object({ ok: z.boolean() })),
} as const;
