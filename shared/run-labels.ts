/**
 * What a researcher adds to a run (tags, a note), where a run came from, and
 * the filters History offers over them. Pure: the store, the CLI and the
 * window apply the same rules.
 */
import { z } from 'zod';
import { quote } from './quote';

export const MAX_TAG_CHARS = 40;
export const MAX_TAGS_PER_RUN = 20;
export const MAX_NOTE_CHARS = 10_000;

/**
 * Where a run was made. Known values below; the column takes any short
 * lowercase word so that later callers (a gateway, an eval suite) need no
 * migration. Runs from before sources were kept have none ("unknown").
 */
export const KNOWN_SOURCES = ['window', 'cli', 'rerun', 'fork'] as const;
export const RunSource = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a source is a lowercase word, e.g. window, cli, rerun or fork');
export type RunSource = z.infer<typeof RunSource>;
/** The filter value for runs with no recorded source. */
export const UNKNOWN_SOURCE = 'unknown';

/**
 * The run summary's kinds (shared/run-summary.ts). `ok`: every column answered;
 * each other kind: at least one column (its latest turn) ended that way.
 */
export const STATUS_KINDS = ['ok', 'failed', 'incomplete', 'stopped', 'interrupted'] as const;
export const StatusKind = z.enum(STATUS_KINDS);
export type StatusKind = z.infer<typeof StatusKind>;

/** The key a tag is unique by within a run, and matched by in a filter. */
export const tagKey = (tag: string): string => tag.trim().toLowerCase();

/** One tag, trimmed (inner runs of white space become one space), or the reason it is refused. */
export function checkTag(raw: string): { ok: true; tag: string } | { ok: false; error: string } {
  const tag = raw.trim().replace(/\s+/g, ' ');
  if (!tag) return { ok: false, error: 'a tag cannot be empty' };
  if ([...tag].length > MAX_TAG_CHARS) return { ok: false, error: `tag ${quote(tag)} is too long (${MAX_TAG_CHARS} characters at most)` };
  return { ok: true, tag };
}

/**
 * A run's whole tag set: each tag checked, duplicates (ignoring case) folded
 * into the first spelling, at most MAX_TAGS_PER_RUN.
 * @example normalizeTags([' Baseline ', 'baseline', 'gpt']) // { ok: true, tags: ['Baseline', 'gpt'] }
 */
export function normalizeTags(raw: readonly string[]): { ok: true; tags: string[] } | { ok: false; error: string } {
  const tags: string[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    const c = checkTag(r);
    if (!c.ok) return c;
    const key = tagKey(c.tag);
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(c.tag);
  }
  if (tags.length > MAX_TAGS_PER_RUN) return { ok: false, error: `a run can have at most ${MAX_TAGS_PER_RUN} tags (${tags.length} given)` };
  return { ok: true, tags };
}

/** One tag as a contract value: checked with the same rule as normalizeTags. */
export const Tag = z.string().max(1000).superRefine((v, ctx) => {
  const c = checkTag(v);
  if (!c.ok) ctx.addIssue({ code: 'custom', message: c.error });
});

/**
 * History's filters; every one given must hold (tags: all of them). They
 * combine with a search and with keyset paging.
 * - model: equal, ignoring case, to a column's target as asked
 *   (`openai:gpt-4o-mini`, `openai/gpt-4o-mini`) or to the model that served it
 *   (`gpt-4o-mini`). Exact, not a substring: a substring cannot use an index.
 * - provider: the provider id that served a column.
 * - since / until: created at or after `since`, before `until` (ms since epoch).
 * @example { tags: ['baseline'], status: 'failed', since: 1764547200000 }
 */
export const HistoryFilters = z.object({
  model: z.string().trim().min(1).max(300).optional(),
  provider: z.string().trim().min(1).max(100).optional(),
  status: StatusKind.optional(),
  tags: z.array(Tag).max(MAX_TAGS_PER_RUN).optional(),
  /** `unknown`: runs with no recorded source. */
  source: RunSource.optional(),
  since: z.number().int().nonnegative().optional(),
  until: z.number().int().nonnegative().optional(),
});
export type HistoryFilters = z.infer<typeof HistoryFilters>;

/** True when no filter is set (the plain list or a search). */
export function noFilters(f: HistoryFilters | undefined): boolean {
  return !f || (!f.model && !f.provider && !f.status && !f.tags?.length && !f.source && f.since === undefined && f.until === undefined);
}
