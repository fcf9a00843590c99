/**
 * Runs, their columns and every attempt, persisted as they happen so that a
 * crash leaves a readable record: the next start marks what was in flight
 * `interrupted`, keeping whatever text had arrived.
 */
import { statSync } from 'node:fs';
import { RoutePlan, type AttemptRecord, type ColumnFacts, type ColumnResult, type ColumnStatus, type ColumnTurn, type CompareRequest, type HistoryStats, type Price, type RunResult, type RunSummary, type RunTurn } from '../../shared/domain';
import { firstPrompt, messagesForTurn, totalsOf } from '../../shared/conversation';
import type { AttachmentRef } from '../../shared/attachments';
import { StructuredCheck, ToolCall, ToolResult } from '../../shared/tools';
import type { DB } from './db';
import { createMatchBuilder } from './fts-match';
import { createHistoryFilters } from './history-filters';
import { SEQ_PER_MS } from './migrations/0010-history-keyset';
import { noFilters, type HistoryFilters } from '../../shared/run-labels';

interface ColumnRow {
  id: string; run_id: string; idx: number; target: string; status: ColumnStatus;
  served_provider: string | null; served_model: string | null; endpoint_id: string | null; fell_back: number;
  text: string; reasoning: string; finish_reason: string | null; error: string | null;
  input_tokens: number | null; output_tokens: number | null; reasoning_tokens: number | null; cached_tokens: number | null;
  usage_estimated: number; queued_at: number | null; sent_at: number | null;
  ttft_ms: number | null; total_ms: number | null; tps: number | null;
  cost_usd: number | null; provider_cost_usd: number | null; cost_drift: number | null;
  plan_json: string | null; replanned: number;
  turn: number; cache_write_tokens: number | null; cache_write_fallback: number;
  tool_calls_json: string | null; structured_json: string | null; tool_results_json: string | null;
}
interface AttemptRow {
  id: number; column_id: string; seq: number; endpoint_id: string; provider: string; model: string; key_index: number | null;
  status: AttemptRecord['status']; http_status: number | null; error: string | null; error_kind: AttemptRecord['errorKind'];
  started_at: number; ttft_ms: number | null; total_ms: number | null; retry_after_ms: number | null; output_tokens: number | null;
}
interface RunRow { id: string; seq: number; created_at: number; status: RunResult['status'] & string; request_json: string; prompt_preview: string; pid: number | null; source: string | null; note: string | null }

/** `price`: the endpoint's price when sent, kept so crash recovery bills what the provider charged then. */
export interface NewAttempt extends AttemptRecord { endpointId: string; seq: number; price?: Price | null }

/** An interrupted column with text the provider billed but no cost recorded yet (see settleInterrupted). */
export interface UnsettledColumn {
  columnId: string; runId: string; text: string; reasoning: string; request: CompareRequest;
  /** The attempt that was streaming when the process died. */
  endpointId: string; provider: string; model: string; keyIndex: number | null; sentAt: number; price: Price | null;
  fellBack: boolean;
}

export interface Settlement {
  inputTokens: number; outputTokens: number; reasoningTokens: number; costUsd: number | null; price: Price | null;
}

/** Above every seq (created_at * 1024 stays below 2^53 until the year 2248): "from the newest". */
const NO_CURSOR = Number.MAX_SAFE_INTEGER;

interface SummaryRow { id: string; seq: number; created_at: number; status: RunSummary['status']; prompt_preview: string; cols: string; cost: number | null; tags: string; source: string | null }

/**
 * What a summary row reads of run `r`: one subquery gathers each column's facts (columns_run gives them in order);
 * cost stays SQL's SUM as before. A conversation's column is one entry: status and TTFT of its latest turn (SQLite
 * takes a bare column from the MAX(turn) row), cost and tokens summed over its turns.
 */
const SUMMARY_COLUMNS = `r.id, r.seq, r.created_at, r.status, r.prompt_preview, r.source,
        (SELECT json_group_array(json_array(target, status, cost_usd, ttft_ms, input_tokens, output_tokens))
          FROM (SELECT target, status, ttft_ms, MAX(turn) AS turn, SUM(cost_usd) AS cost_usd, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens
            FROM columns WHERE run_id = r.id GROUP BY idx ORDER BY idx)) AS cols,
        (SELECT SUM(cost_usd) FROM columns WHERE run_id = r.id) AS cost,
        (SELECT json_group_array(tag) FROM (SELECT tag FROM run_tags WHERE run_id = r.id ORDER BY tag_key)) AS tags`;

/** The run summary's kind of a column's status (shared/run-summary.ts); queued and running have none yet. */
const STATUS_KIND: Partial<Record<ColumnStatus, string>> = { error: 'failed', incomplete: 'incomplete', cancelled: 'stopped', interrupted: 'interrupted' };
type FactsTuple = [string, ColumnStatus, number | null, number | null, number | null, number | null];

function attemptFromRow(r: AttemptRow): AttemptRecord {
  return {
    provider: r.provider, model: r.model, status: r.status, httpStatus: r.http_status, error: r.error, errorKind: r.error_kind ?? null,
    startedAt: r.started_at, ttftMs: r.ttft_ms, totalMs: r.total_ms, keyIndex: r.key_index, retryAfterMs: r.retry_after_ms,
    outputTokens: r.output_tokens,
  };
}

function columnFromRow(c: ColumnRow, attempts: AttemptRecord[]): ColumnResult {
  return {
    columnId: c.id, index: c.idx, target: c.target, status: c.status,
    servedBy: c.served_provider && c.served_model ? { provider: c.served_provider, model: c.served_model } : null,
    fellBack: c.fell_back === 1, text: c.text, reasoning: c.reasoning, finishReason: c.finish_reason, error: c.error, attempts,
    usage: {
      inputTokens: c.input_tokens, outputTokens: c.output_tokens, reasoningTokens: c.reasoning_tokens, cachedInputTokens: c.cached_tokens,
      ...(c.cache_write_tokens !== null ? { cacheWriteTokens: c.cache_write_tokens } : {}), estimated: c.usage_estimated === 1,
    },
    metrics: { queuedAt: c.queued_at, sentAt: c.sent_at, ttftMs: c.ttft_ms, totalMs: c.total_ms, tokensPerSecond: c.tps },
    costUsd: c.cost_usd, providerCostUsd: c.provider_cost_usd, costDrift: c.cost_drift,
    ...planFromRow(c),
    ...(c.cache_write_fallback === 1 ? { cacheWritePriceFallback: true } : {}),
    ...toolsFromRow(c),
  };
}

/** JSON columns parsed through their schemas: a row that does not parse (hand-edited, a bug) loses the field, not the run. */
function toolsFromRow(c: ColumnRow): Pick<ColumnResult, 'toolCalls' | 'structured' | 'toolResults'> {
  const read = <T>(json: string | null, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T | undefined => {
    if (json === null) return undefined;
    try {
      const r = schema.safeParse(JSON.parse(json));
      return r.success ? r.data : undefined;
    } catch {
      return undefined;
    }
  };
  const toolCalls = read(c.tool_calls_json, ToolCall.array());
  const structured = read(c.structured_json, StructuredCheck);
  const toolResults = read(c.tool_results_json, ToolResult.array());
  return { ...(toolCalls ? { toolCalls } : {}), ...(structured ? { structured } : {}), ...(toolResults ? { toolResults } : {}) };
}

interface TurnRow { turn: number; prompt: string; created_at: number; attachments_json: string | null }

/**
 * A run with follow-ups: each column is its latest turn, with every turn it
 * answered and their sums; the run lists its turns and the sums over all of them.
 */
function composeConversation(run: RunResult, rows: Array<{ row: ColumnRow; column: ColumnResult }>, turnRows: TurnRow[]): RunResult {
  const prompts = new Map<number, string>([[0, firstPrompt(run)], ...turnRows.map((t) => [t.turn, t.prompt] as [number, string])]);
  const byIndex = new Map<number, ColumnTurn[]>();
  for (const { row, column } of rows) {
    const list = byIndex.get(row.idx) ?? [];
    list.push({ ...column, turn: row.turn, prompt: prompts.get(row.turn) ?? '' });
    byIndex.set(row.idx, list);
  }
  const columns: ColumnResult[] = [...byIndex.values()].map((turns) => {
    const { turn: _turn, prompt: _prompt, ...latest } = turns.at(-1)!;
    return { ...latest, turns, totals: totalsOf(turns) };
  });
  const answered = (turn: number) => rows.filter((r) => r.row.turn === turn).map((r) => r.row.idx);
  const turns: RunTurn[] = [
    { turn: 0, prompt: prompts.get(0)!, createdAt: run.createdAt ?? 0, columns: answered(0) },
    ...turnRows.map((t) => ({ turn: t.turn, prompt: t.prompt, createdAt: t.created_at, columns: answered(t.turn), ...(t.attachments_json ? { attachments: JSON.parse(t.attachments_json) as AttachmentRef[] } : {}) })),
  ];
  return { ...run, columns, turns, totals: totalsOf(rows.map((r) => r.column)) };
}

/** A row from before plans were recorded (or a column that never resolved) has none. */
function planFromRow(c: ColumnRow): Pick<ColumnResult, 'plan' | 'replanned'> {
  if (c.plan_json === null) return {};
  const plan = RoutePlan.safeParse(JSON.parse(c.plan_json));
  return plan.success ? { plan: plan.data, replanned: c.replanned === 1 } : {};
}

function preview(req: CompareRequest): string {
  const last = req.messages[req.messages.length - 1]?.content ?? '';
  return last.replace(/\s+/g, ' ').trim().slice(0, 200);
}

export function createRunsRepo(db: DB) {
  const s = {
    insertRun: db.prepare('INSERT INTO runs (id, created_at, status, request_json, prompt_preview, pid, seq, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    seqOf: db.prepare('SELECT seq FROM runs WHERE id = ?').pluck(),
    clearFacets: db.prepare('DELETE FROM run_facets WHERE seq = ?'),
    addFacet: db.prepare('INSERT OR IGNORE INTO run_facets (kind, value, seq) VALUES (?, ?, ?)'),
    tagsOf: db.prepare('SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag_key').pluck(),
    lastSeqIn: db.prepare('SELECT MAX(seq) AS m FROM runs WHERE seq >= ? AND seq < ?').pluck(),
    lastSeqFrom: db.prepare('SELECT MAX(seq) AS m FROM runs WHERE seq >= ?').pluck(),
    insertColumn: db.prepare(`INSERT INTO columns (id, run_id, idx, target, status, queued_at, updated_at) VALUES (?, ?, ?, ?, 'queued', ?, ?)`),
    insertTurnColumn: db.prepare(`INSERT INTO columns (id, run_id, idx, turn, target, status, queued_at, updated_at, tool_results_json) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?)`),
    insertTurn: db.prepare('INSERT INTO run_turns (run_id, turn, prompt, created_at, attachments_json) VALUES (?, ?, ?, ?, ?)'),
    turnsOf: db.prepare('SELECT turn, prompt, created_at, attachments_json FROM run_turns WHERE run_id = ? ORDER BY turn'),
    lastTurn: db.prepare('SELECT MAX(turn) AS turn FROM columns WHERE run_id = ?'),
    ftsPrompt: db.prepare('UPDATE runs_fts SET prompt = prompt || ? WHERE rowid = (SELECT seq FROM runs WHERE id = ?)'),
    insertFts: db.prepare('INSERT INTO runs_fts (rowid, run_id, prompt, answers, targets) VALUES (?, ?, ?, ?, ?)'),
    columnRunning: db.prepare(`UPDATE columns SET status = 'running', sent_at = COALESCE(sent_at, ?), updated_at = ? WHERE id = ?`),
    columnText: db.prepare('UPDATE columns SET text = ?, reasoning = ?, updated_at = ? WHERE id = ?'),
    insertAttempt: db.prepare(`INSERT INTO attempts (column_id, seq, endpoint_id, provider, model, key_index, status, started_at, price_json)
      VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?)`),
    finishAttempt: db.prepare(`UPDATE attempts SET status = ?, http_status = ?, error = ?, error_kind = ?, ttft_ms = ?, total_ms = ?,
      retry_after_ms = ?, output_tokens = ?, tps = ?, finished_at = ? WHERE id = ?`),
    finishColumn: db.prepare(`UPDATE columns SET status = @status, served_provider = @servedProvider, served_model = @servedModel,
      endpoint_id = @endpointId, fell_back = @fellBack, text = @text, reasoning = @reasoning, finish_reason = @finishReason, error = @error,
      input_tokens = @inputTokens, output_tokens = @outputTokens, reasoning_tokens = @reasoningTokens, cached_tokens = @cachedTokens,
      usage_estimated = @estimated, sent_at = @sentAt, ttft_ms = @ttftMs, total_ms = @totalMs, tps = @tps, cost_usd = @costUsd,
      provider_cost_usd = @providerCostUsd, cost_drift = @costDrift, price_json = @priceJson, plan_json = @planJson, replanned = @replanned,
      cache_write_tokens = @cacheWriteTokens, cache_write_fallback = @cacheWriteFallback, tool_calls_json = @toolCallsJson,
      structured_json = @structuredJson, tool_results_json = COALESCE(@toolResultsJson, tool_results_json), updated_at = @now WHERE id = @id`),
    resetColumn: db.prepare(`UPDATE columns SET status = 'queued', served_provider = NULL, served_model = NULL, endpoint_id = NULL, fell_back = 0,
      text = '', reasoning = '', finish_reason = NULL, error = NULL, input_tokens = NULL, output_tokens = NULL, reasoning_tokens = NULL,
      cached_tokens = NULL, usage_estimated = 0, queued_at = ?, sent_at = NULL, ttft_ms = NULL, total_ms = NULL, tps = NULL, cost_usd = NULL,
      provider_cost_usd = NULL, cost_drift = NULL, price_json = NULL, plan_json = NULL, replanned = 0, cache_write_tokens = NULL,
      cache_write_fallback = 0, tool_calls_json = NULL, structured_json = NULL, updated_at = ? WHERE id = ?`),
    deleteAttempts: db.prepare('DELETE FROM attempts WHERE column_id = ?'),
    runStatus: db.prepare('UPDATE runs SET status = ?, finished_at = ? WHERE id = ?'),
    runDone: db.prepare(`UPDATE runs SET status = 'done', finished_at = ?, index_pending = 1 WHERE id = ?`),
    runInterrupted: db.prepare(`UPDATE runs SET status = 'interrupted', finished_at = ?, index_pending = 1 WHERE id = ?`),
    indexPendingRuns: db.prepare('SELECT id, seq FROM runs WHERE index_pending = 1 ORDER BY seq LIMIT ?'),
    ftsAnswersAt: db.prepare('UPDATE runs_fts SET answers = ? WHERE rowid = ?'),
    indexed: db.prepare('UPDATE runs SET index_pending = 0 WHERE id = ?'),
    // By rowid: run_id is UNINDEXED, and matching on it would read every row of the index's content.
    getRun: db.prepare('SELECT * FROM runs WHERE id = ?'),
    columnsOf: db.prepare('SELECT * FROM columns WHERE run_id = ? ORDER BY idx, turn'),
    attemptsOfRun: db.prepare('SELECT a.* FROM attempts a JOIN columns c ON c.id = a.column_id WHERE c.run_id = ? ORDER BY a.seq, a.id'),
    listRuns: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM runs r WHERE r.seq < ? ORDER BY r.seq DESC LIMIT ? OFFSET ?`),
    // The index is walked backwards by rowid (= seq) and stops after a page: no match is joined or sorted beyond it.
    searchRuns: db.prepare(`SELECT ${SUMMARY_COLUMNS}
      FROM runs_fts f JOIN runs r ON r.seq = f.rowid WHERE runs_fts MATCH ? AND f.rowid < ? ORDER BY f.rowid DESC LIMIT ? OFFSET ?`),
    countRuns: db.prepare('SELECT COUNT(*) FROM runs').pluck(),
    countColumns: db.prepare('SELECT COUNT(*) FROM columns').pluck(),
    pageCount: db.prepare('PRAGMA page_count').pluck(),
    pageSize: db.prepare('PRAGMA page_size').pluck(),
    deleteRun: db.prepare('DELETE FROM runs WHERE id = ?'),
    deleteFts: db.prepare('DELETE FROM runs_fts WHERE rowid = (SELECT seq FROM runs WHERE id = ?)'),
    staleRuns: db.prepare(`SELECT id, pid FROM runs WHERE status = 'running'`),
    interruptColumns: db.prepare(`UPDATE columns SET status = 'interrupted', error = COALESCE(error, 'interrupted: the process running this column stopped'), updated_at = ?
      WHERE run_id = ? AND status IN ('queued','running')`),
    interruptAttempts: db.prepare(`UPDATE attempts SET status = 'interrupted', error = COALESCE(error, 'interrupted'), finished_at = ?
      WHERE status = 'running' AND column_id IN (SELECT id FROM columns WHERE run_id = ?)`),
    // The WHERE repeats columns_unsettled's own (migration 0006) so SQLite reads only those rows.
    unsettled: db.prepare(`SELECT c.id AS columnId, c.run_id AS runId, c.text, c.reasoning, r.request_json AS requestJson, c.idx AS idx, c.turn AS turn,
        a.endpoint_id AS endpointId, a.provider, a.model, a.key_index AS keyIndex, a.started_at AS sentAt, a.price_json AS priceJson,
        a.endpoint_id <> (SELECT endpoint_id FROM attempts WHERE column_id = c.id AND status <> 'skipped' ORDER BY seq LIMIT 1) AS fellBack
      FROM columns c JOIN runs r ON r.id = c.run_id
      JOIN attempts a ON a.id = (SELECT id FROM attempts WHERE column_id = c.id AND status <> 'skipped' ORDER BY seq DESC LIMIT 1)
      WHERE c.status = 'interrupted' AND c.output_tokens IS NULL AND (c.text <> '' OR c.reasoning <> '')
      ORDER BY c.id LIMIT ?`),
    settle: db.prepare(`UPDATE columns SET input_tokens = @inputTokens, output_tokens = @outputTokens, reasoning_tokens = @reasoningTokens,
        usage_estimated = 1, cost_usd = @costUsd, price_json = @priceJson, served_provider = @provider, served_model = @model,
        endpoint_id = @endpointId, fell_back = @fellBack, updated_at = @now
      WHERE id = @columnId AND status = 'interrupted' AND output_tokens IS NULL`),
  };

  /** A follow-up turn was sent its conversation, not the run's first messages: recovery counts what was sent. */
  function turnRequest(request: CompareRequest, runId: string, idx: number, turn: number): CompareRequest {
    if (turn === 0) return request;
    const run = api.getRun(runId);
    const t = run?.columns.find((c) => c.index === idx)?.turns?.find((x) => x.turn === turn);
    return run && t ? { ...request, messages: messagesForTurn(run, idx, turn, t.prompt) } : request;
  }

  const matchFor = createMatchBuilder(db);
  const filtered = createHistoryFilters(db, SUMMARY_COLUMNS);

  /**
   * Rebuilds what the filters know of a run from its columns: each target and served model, each serving
   * provider, and the status kinds of each column's latest turn (`ok` only when every column is ok).
   */
  function refreshFacets(runId: string, rows?: ColumnRow[]): void {
    const seq = s.seqOf.get(runId) as number | undefined;
    if (seq === undefined) return;
    const cols = rows ?? (s.columnsOf.all(runId) as ColumnRow[]);
    s.clearFacets.run(seq);
    const latest = new Map<number, ColumnRow>();
    for (const c of cols) {
      s.addFacet.run('model', c.target.toLowerCase(), seq);
      if (c.served_model) s.addFacet.run('model', c.served_model.toLowerCase(), seq);
      if (c.served_provider) s.addFacet.run('provider', c.served_provider.toLowerCase(), seq);
      if ((latest.get(c.idx)?.turn ?? -1) < c.turn) latest.set(c.idx, c);
    }
    const statuses = [...latest.values()].map((c) => c.status);
    for (const st of statuses) {
      const kind = STATUS_KIND[st];
      if (kind) s.addFacet.run('status', kind, seq);
    }
    if (statuses.length && statuses.every((st) => st === 'ok')) s.addFacet.run('status', 'ok', seq);
  }

  function toSummary(r: SummaryRow): RunSummary {
    const facts = (JSON.parse(r.cols) as FactsTuple[]).map(([target, status, costUsd, ttftMs, inputTokens, outputTokens]) => ({
      target, fact: { status, costUsd, ttftMs, inputTokens, outputTokens } satisfies ColumnFacts,
    }));
    return {
      runId: r.id, createdAt: r.created_at, status: r.status, promptPreview: r.prompt_preview,
      targets: facts.map((f) => f.target), columnStatuses: facts.map((f) => f.fact.status), costUsd: r.cost,
      cursor: r.seq, columns: facts.map((f) => f.fact), tags: JSON.parse(r.tags) as string[], source: r.source,
    };
  }

  /** created_at * 1024 plus the run's place in its millisecond; a full millisecond moves past every later run. */
  function nextSeq(createdAt: number): number {
    const slot = createdAt * SEQ_PER_MS;
    const last = s.lastSeqIn.get(slot, slot + SEQ_PER_MS) as number | null;
    if (last === null) return slot;
    if (last + 1 < slot + SEQ_PER_MS) return last + 1;
    return (s.lastSeqFrom.get(slot) as number) + 1;
  }

  const api = {
    /** `source`: where the run was made (window, cli, rerun, fork…); null when the caller did not say. */
    createRun(run: { runId: string; createdAt: number; request: CompareRequest; columns: Array<{ columnId: string; index: number; target: string }>; pid: number; source?: string | null }) {
      db.transaction(() => {
        const seq = nextSeq(run.createdAt);
        s.insertRun.run(run.runId, run.createdAt, 'running', JSON.stringify(run.request), preview(run.request), run.pid, seq, run.source ?? null);
        for (const c of run.columns) {
          s.insertColumn.run(c.columnId, run.runId, c.index, c.target, run.createdAt, run.createdAt);
          // A run still streaming is found by the models it asked for; the rest is known when it finishes.
          s.addFacet.run('model', c.target.toLowerCase(), seq);
        }
        const prompt = [run.request.system ?? '', ...run.request.messages.map((m) => m.content)].join('\n');
        s.insertFts.run(seq, run.runId, prompt, '', run.columns.map((c) => c.target).join(' '));
      })();
    },
    columnRunning(columnId: string, at: number) {
      s.columnRunning.run(at, at, columnId);
    },
    saveText(columnId: string, text: string, reasoning: string, at: number) {
      s.columnText.run(text, reasoning, at, columnId);
    },
    /** Records an attempt as sent; the column's first one also marks the column running (one transaction). */
    startAttempt(columnId: string, a: NewAttempt, columnStarts = false): number {
      const priceJson = a.price ? JSON.stringify(a.price) : null;
      if (!columnStarts) return Number(s.insertAttempt.run(columnId, a.seq, a.endpointId, a.provider, a.model, a.keyIndex, a.startedAt, priceJson).lastInsertRowid);
      return db.transaction(() => {
        s.columnRunning.run(a.startedAt, a.startedAt, columnId);
        return Number(s.insertAttempt.run(columnId, a.seq, a.endpointId, a.provider, a.model, a.keyIndex, a.startedAt, priceJson).lastInsertRowid);
      })();
    },
    finishAttempt(attemptId: number, a: AttemptRecord & { tps?: number | null }, at: number) {
      s.finishAttempt.run(a.status, a.httpStatus, a.error, a.errorKind, a.ttftMs, a.totalMs, a.retryAfterMs, a.outputTokens, a.tps ?? null, at, attemptId);
    },
    /** Writes the column's final state; `extra` runs in the same transaction (e.g. the spend ledger entry). */
    finishColumn(c: ColumnResult, meta: { endpointId: string | null; priceJson: string | null }, at: number, extra?: () => void) {
      db.transaction(() => {
        s.finishColumn.run({
          id: c.columnId, status: c.status, servedProvider: c.servedBy?.provider ?? null, servedModel: c.servedBy?.model ?? null,
          endpointId: meta.endpointId, fellBack: c.fellBack ? 1 : 0, text: c.text, reasoning: c.reasoning, finishReason: c.finishReason,
          error: c.error, inputTokens: c.usage.inputTokens, outputTokens: c.usage.outputTokens, reasoningTokens: c.usage.reasoningTokens,
          cachedTokens: c.usage.cachedInputTokens, estimated: c.usage.estimated ? 1 : 0, sentAt: c.metrics.sentAt, ttftMs: c.metrics.ttftMs,
          totalMs: c.metrics.totalMs, tps: c.metrics.tokensPerSecond, costUsd: c.costUsd, providerCostUsd: c.providerCostUsd,
          costDrift: c.costDrift, priceJson: meta.priceJson, planJson: c.plan ? JSON.stringify(c.plan) : null, replanned: c.replanned ? 1 : 0,
          cacheWriteTokens: c.usage.cacheWriteTokens ?? null, cacheWriteFallback: c.cacheWritePriceFallback ? 1 : 0, now: at,
          toolCallsJson: c.toolCalls?.length ? JSON.stringify(c.toolCalls) : null, structuredJson: c.structured ? JSON.stringify(c.structured) : null,
          toolResultsJson: c.toolResults?.length ? JSON.stringify(c.toolResults) : null,
        });
        extra?.();
      })();
    },
    /** Clears a column for an in-place retry; its earlier attempts are dropped with it. */
    resetColumn(columnId: string, runId: string, at: number) {
      db.transaction(() => {
        s.deleteAttempts.run(columnId);
        s.resetColumn.run(at, at, columnId);
        s.runStatus.run('running', null, runId);
      })();
    },
    /**
     * Marks the run done. Its answers reach the full-text index later, batched (indexPending):
     * the run is marked until then, so a search, or the next start after a crash, catches up.
     */
    finishRun(runId: string, at: number) {
      s.runDone.run(at, runId);
    },
    /**
     * Writes the answers of up to `limit` runs marked by finishRun (or by crash recovery) into the
     * full-text index, in one transaction; returns how many. Cheap when nothing is marked.
     */
    indexPending(limit = 64): number {
      if (db.readonly) return 0;
      const pending = s.indexPendingRuns.all(limit) as Array<{ id: string; seq: number }>;
      if (pending.length === 0) return 0;
      db.transaction(() => {
        for (const r of pending) {
          const rows = s.columnsOf.all(r.id) as ColumnRow[];
          s.ftsAnswersAt.run(rows.map((c) => c.text).join('\n'), r.seq);
          refreshFacets(r.id, rows);
          s.indexed.run(r.id);
        }
      })();
      return pending.length;
    },
    getRun(runId: string): RunResult | null {
      const r = s.getRun.get(runId) as RunRow | undefined;
      if (!r) return null;
      const attempts = s.attemptsOfRun.all(runId) as AttemptRow[];
      const byColumn = new Map<string, AttemptRecord[]>();
      for (const a of attempts) {
        const list = byColumn.get(a.column_id) ?? [];
        list.push(attemptFromRow(a));
        byColumn.set(a.column_id, list);
      }
      const rows = (s.columnsOf.all(runId) as ColumnRow[]).map((row) => ({ row, column: columnFromRow(row, byColumn.get(row.id) ?? []) }));
      const run: RunResult = { runId: r.id, createdAt: r.created_at, status: r.status, request: JSON.parse(r.request_json) as CompareRequest, columns: rows.map((x) => x.column) };
      const turnRows = s.turnsOf.all(runId) as TurnRow[];
      const labels = { tags: s.tagsOf.all(runId) as string[], note: r.note, source: r.source };
      return { ...(turnRows.length ? composeConversation(run, rows, turnRows) : run), ...labels };
    },
    /** The next turn number of a run (1 after its first answers). */
    nextTurn(runId: string): number {
      return ((s.lastTurn.get(runId) as { turn: number | null } | undefined)?.turn ?? 0) + 1;
    },
    /**
     * Records a follow-up turn: its prompt, one new queued row per column it goes
     * to, and the run running again, in one transaction. The prompt joins the
     * run's searchable text.
     */
    addTurn(t: { runId: string; turn: number; prompt: string; createdAt: number; columns: Array<{ columnId: string; index: number; target: string; toolResults?: ToolResult[] | undefined }>; attachments?: AttachmentRef[] }) {
      db.transaction(() => {
        s.insertTurn.run(t.runId, t.turn, t.prompt, t.createdAt, t.attachments?.length ? JSON.stringify(t.attachments) : null);
        for (const c of t.columns) {
          s.insertTurnColumn.run(c.columnId, t.runId, c.index, t.turn, c.target, t.createdAt, t.createdAt, c.toolResults?.length ? JSON.stringify(c.toolResults) : null);
        }
        s.runStatus.run('running', null, t.runId);
        s.ftsPrompt.run(`\n${t.prompt}`, t.runId);
      })();
    },
    /**
     * Newest first. `before` is the `cursor` of the last run of the previous page (keyset paging: page
     * 1,000 costs what page 1 does); `offset` still works but reads every row it skips.
     */
    listRuns(opts: { limit: number; offset?: number | undefined; before?: number | undefined; query?: string | undefined; filters?: HistoryFilters | undefined }): RunSummary[] {
      const q = opts.query?.trim();
      const before = opts.before ?? NO_CURSOR;
      const offset = opts.offset ?? 0;
      // A run finished a moment ago may still wait for its index and facets: a search or a filter finds it all the
      // same (first: a half-typed word is expanded into the words indexed).
      if (q || !noFilters(opts.filters)) while (api.indexPending() > 0);
      const match = q ? matchFor(q) : undefined;
      if (match === null) return [];
      if (!noFilters(opts.filters)) return (filtered.page({ filters: opts.filters!, match, before, limit: opts.limit, offset }) as SummaryRow[]).map(toSummary);
      if (match === undefined) return (s.listRuns.all(before, opts.limit, offset) as SummaryRow[]).map(toSummary);
      return (s.searchRuns.all(match, before, opts.limit, offset) as SummaryRow[]).map(toSummary);
    },
    /** SQLite's plan for a filtered page (tests check that no filter scans history whole). */
    filteredPlan(filters: HistoryFilters, query?: string): string[] {
      const match = query?.trim() ? (matchFor(query) ?? '"none"') : undefined;
      return filtered.plan({ filters, match, before: NO_CURSOR, limit: 50, offset: 0 });
    },
    /** SQLite's plan for each read History makes at scale (tests check no table is scanned or sorted whole). */
    queryPlans(): Record<'list' | 'search' | 'getRun' | 'columnsOf' | 'attemptsOfRun' | 'recover' | 'ftsAnswers' | 'deleteFts' | 'indexPending', string[]> {
      const plan = (stmt: { source: string }, ...args: unknown[]) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${stmt.source}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail);
      return {
        list: plan(s.listRuns, NO_CURSOR, 50, 0), search: plan(s.searchRuns, '"a"*', NO_CURSOR, 50, 0), getRun: plan(s.getRun, 'r'),
        columnsOf: plan(s.columnsOf, 'r'), attemptsOfRun: plan(s.attemptsOfRun, 'r'), recover: plan(s.staleRuns),
        ftsAnswers: plan(s.ftsAnswersAt, '', 1), deleteFts: plan(s.deleteFts, 'r'),
        indexPending: plan(s.indexPendingRuns, 64),
      };
    },
    /** How big history is: counts, and the bytes of the database file and its WAL. */
    stats(opts: { countColumns?: boolean } = {}): HistoryStats {
      let walBytes = 0;
      if (!db.memory) {
        try {
          walBytes = statSync(`${db.name}-wal`).size;
        } catch {
          // No WAL file: nothing written since the last truncating checkpoint.
        }
      }
      const dbBytes = (s.pageCount.get() as number) * (s.pageSize.get() as number);
      const columns = opts.countColumns === false ? null : (s.countColumns.get() as number);
      return { runs: s.countRuns.get() as number, columns, dbBytes, walBytes };
    },
    deleteRun(runId: string): boolean {
      return db.transaction(() => {
        s.deleteFts.run(runId);
        return s.deleteRun.run(runId).changes > 0;
      })();
    },
    /**
     * Marks runs left `running` by a process that no longer exists as `interrupted`.
     * A run whose process is alive (another CLI or the app) is left alone.
     */
    recoverInterrupted(isAlive: (pid: number) => boolean, at: number): string[] {
      const stale = (s.staleRuns.all() as Array<{ id: string; pid: number | null }>).filter((r) => r.pid === null || !isAlive(r.pid));
      db.transaction(() => {
        for (const r of stale) {
          s.interruptAttempts.run(at, r.id);
          s.interruptColumns.run(at, r.id);
          // What had arrived is searchable and filed too: its answers and facets go in with indexPending.
          s.runInterrupted.run(at, r.id);
        }
      })();
      return stale.map((r) => r.id);
    },
    /** Interrupted columns whose billed text has no usage or cost yet, oldest first (a batch at a time). */
    unsettledInterrupted(limit = 50): UnsettledColumn[] {
      type Row = Omit<UnsettledColumn, 'request' | 'price' | 'fellBack'> & { requestJson: string; priceJson: string | null; fellBack: number | null; idx: number; turn: number };
      return (s.unsettled.all(limit) as Row[]).map(({ requestJson, priceJson, fellBack, idx, turn, ...r }) => ({
        ...r, request: turnRequest(JSON.parse(requestJson) as CompareRequest, r.runId, idx, turn), price: priceJson ? (JSON.parse(priceJson) as Price) : null, fellBack: fellBack === 1,
      }));
    },
    /**
     * Records an interrupted column's estimated usage and cost, once: the update
     * only matches a column not settled yet, and `extra` (the ledger row) runs in
     * the same transaction only when it did. Another process settling the same
     * column at the same time, or a later start, finds nothing left to do.
     */
    settleInterrupted(c: UnsettledColumn, st: Settlement, at: number, extra?: () => void): boolean {
      return db.transaction(() => {
        const changed = s.settle.run({
          columnId: c.columnId, inputTokens: st.inputTokens, outputTokens: st.outputTokens, reasoningTokens: st.reasoningTokens,
          costUsd: st.costUsd, priceJson: st.price ? JSON.stringify(st.price) : null, provider: c.provider, model: c.model,
          endpointId: c.endpointId, fellBack: c.fellBack ? 1 : 0, now: at,
        }).changes === 1;
        if (changed) {
          // The column now says what served it: the filters learn it too.
          const seq = s.seqOf.get(c.runId) as number | undefined;
          if (seq !== undefined) {
            s.addFacet.run('model', c.model.toLowerCase(), seq);
            s.addFacet.run('provider', c.provider.toLowerCase(), seq);
          }
          extra?.();
        }
        return changed;
      }).immediate();
    },
  };
  return api;
}
export type RunsRepo = ReturnType<typeof createRunsRepo>;
