import { z } from 'zod';
import { HistoryStats, RunResult, RunSummary } from '../domain';
import { defineCall } from './define';
import { EXPORT_FORMATS } from '../export/run-export';
import { AttachmentMime } from '../attachments';
import { HistoryFilters, MAX_NOTE_CHARS, MAX_TAGS_PER_RUN, Tag } from '../run-labels';

const RunRef = z.object({ runId: z.string().min(1).max(200) });
const Tags = z.object({ tags: z.array(z.string()) });

/**
 * A past run's attachment, by hash: whether its bytes are still stored, and an image's bytes for a thumbnail.
 * @example { hash: '9f86…', stored: true, mime: 'image/png', size: 48213, dataBase64: 'iVBORw0KGgo…' }
 */
export const PastAttachment = z.object({
  hash: z.string(),
  stored: z.boolean(),
  mime: AttachmentMime.nullable(),
  size: z.number().int().nullable(),
  /** Images up to THUMBNAIL_MAX_BYTES only; null for other files and bigger images. */
  dataBase64: z.string().nullable(),
});
export type PastAttachment = z.infer<typeof PastAttachment>;
/** The largest image whose bytes History fetches for a thumbnail. */
export const THUMBNAIL_MAX_BYTES = 4 * 1024 * 1024;

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
      /** Model, provider, status, tags (all of them), source, since/until: see shared/run-labels.ts. */
      filters: HistoryFilters.optional(),
    }),
    z.array(RunSummary),
  ),
  /**
   * Replaces a run's tags (trimmed, 1-40 characters, unique ignoring case, at most 20).
   * @example setTags({ runId: 'r_1', tags: ['baseline', 'Long context'] }) // { tags: ['baseline', 'Long context'] }
   */
  setTags: defineCall('history:set-tags', RunRef.extend({ tags: z.array(Tag).max(MAX_TAGS_PER_RUN, `a run can have at most ${MAX_TAGS_PER_RUN} tags`) }), Tags),
  /** @example setNote({ runId: 'r_1', note: 'temperature 0 was steadier' }) // { note: 'temperature 0 was steadier' }; '' or null clears it */
  setNote: defineCall(
    'history:set-note',
    RunRef.extend({ note: z.string().max(MAX_NOTE_CHARS, `the note is too long (${MAX_NOTE_CHARS.toLocaleString('en-US')} characters at most)`).nullable() }),
    z.object({ note: z.string().nullable() }),
  ),
  /** Every tag in use, one spelling each, alphabetically: the filter bar's suggestions. */
  listTags: defineCall('history:list-tags', z.object({}).default({}), Tags),
  /** A past run's attachment (History lists them under the prompt), or that its bytes are gone. */
  getAttachment: defineCall('history:get-attachment', z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/, 'attachment hash must be 64 lowercase hex digits') }), PastAttachment),
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
