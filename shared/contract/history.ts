import { z } from 'zod';
import { HistoryStats, RunResult, RunSummary } from '../domain';
import { defineCall } from './define';
import { EXPORT_FORMATS } from '../export/run-export';

export const ExportRunsResult = z.object({ content: z.string(), filename: z.string(), mime: z.string() });
export type ExportRunsResult = z.infer<typeof ExportRunsResult>;

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
  /** @example exportRuns({ runIds: ['r_1'], format: 'html' }) // { content: '<!doctype html>…', filename: 'switchyard-r_1.html', mime: 'text/html;charset=utf-8' } */
  exportRuns: defineCall(
    'history:export-runs',
    z.object({ runIds: z.array(z.string().min(1).max(200)).min(1, 'pick at least one run to export').max(500), format: z.enum(EXPORT_FORMATS) }),
    ExportRunsResult,
  ),
  /** Runs, columns and the database's size on disk (the History footer, `switchyard history stats`). */
  getStats: defineCall('history:get-stats', z.object({ countColumns: z.boolean().default(true) }).default({ countColumns: true }), HistoryStats),
  deleteRun: defineCall('history:delete-run', z.object({ runId: z.string().min(1) }), z.object({ ok: z.boolean() })),
} as const;
