/**
 * One column: walk the routing plan (chain steps x ranked endpoints x keys),
 * failing over per error class, until an answer streams or nothing is left.
 * The only retry loop in the engine lives here; adapters never retry.
 */
import { performance } from 'node:perf_hooks';
import { routingFor, type AttemptRecord, type ColumnResult, type CompareEvent, type CompareRequest, type ErrorKind, type Timeouts } from '../../shared/domain';
import { cacheWritePrice, computeCost, costDrift } from '../../shared/pricing';
import type { Store } from '../store';
import { runAttempt, type AbortReason, type AttemptRun } from './attempt';
import type { KeyResolver } from './keys';
import type { Candidate, ResolvedStep } from './resolve';
import type { ColumnPlan } from './plan';
import type { HealthService } from './router/health';
import { breakerKey, type Breakers } from './router/breaker';
import { retryDelayMs } from './router/backoff';
import { classifyFailure } from './router/classify';
import { countPromptTokensAsync, countTokensBatch } from './tokens';
import type { BudgetGuard } from './budgets';
import type { KeyRotation } from './router/keys';
import type { AttachmentData } from './providers/types';
import type { StoredAttachment } from '../store/attachments-repo';
import { fallbackAttachmentTokens } from './attachments';
import type { StructuredChecker } from './structured';

/** Same-endpoint retries once nothing else is left (429 waits count too). */
const MAX_SAME_RETRIES = 2;
/** How often streamed text is written to SQLite, so a crash keeps what had arrived. */
const TEXT_FLUSH_MS = 250;
/** Errors that count against an endpoint's circuit breaker. */
const BREAKER_KINDS: ReadonlySet<ErrorKind> = new Set(['server', 'network', 'timeout_connect', 'timeout_first_token', 'timeout_idle', 'timeout_total', 'malformed', 'stream_error', 'truncated']);

export interface ColumnDeps {
  store: Store;
  keys: KeyResolver;
  health: HealthService;
  breakers: Breakers;
  random: () => number;
  keyRotation: KeyRotation;
  emit(e: CompareEvent): void;
  /** Streamed text, kept apart from emit so the hot path allocates no event when nobody listens. */
  delta(runId: string, columnId: string, text: string, reasoning: string): void;
  /** Test seam for the failover-switch benchmark: called with high-resolution times. */
  onSwitch?(errorSeenHr: number, nextSentHr: number): void;
  /** Budgets: may abort a stream that crosses a hard cap (reason kind 'budget'); writes the ledger. */
  budgets: BudgetGuard;
}

export interface ColumnJob {
  runId: string;
  columnId: string;
  index: number;
  target: string;
  request: CompareRequest;
  /** Resolved chain steps, or the one-line reason the target could not be resolved. */
  steps: ResolvedStep[] | string;
  promptTokens: number;
  signal: AbortSignal;
  queuedAt: number;
  /** Decided before the run starts (see plan.ts); null when `steps` is a reason. */
  plan: ColumnPlan | null;
  /** The pre-flight showed a different plan id for this column. */
  replanned?: boolean;
  /** Columns of a fan-out send their first requests together, after all of them are planned and recorded. */
  gate?: Gate;
  /** The content of the request's attachments, loaded once per run. */
  attachments?: ReadonlyMap<string, AttachmentData>;
  /** What the store says of them (type, dimensions, pages), for a local token count. */
  storedAttachments?: ReadonlyMap<string, StoredAttachment>;
  /** Checks the answer against the response format's schema (compiled once per run). */
  structured?: StructuredChecker | null;
}

/**
 * A start line for the columns of one fan-out. Planning and recording a column
 * costs CPU; done column by column between sends, it would sit inside the
 * other columns' time-to-first-token windows. Every column arrives once
 * (having planned, recorded and been ready to send, or having finished
 * without sending), and the first requests go out back to back.
 */
export class Gate {
  private left: number;
  private release!: () => void;
  readonly ready = new Promise<void>((r) => (this.release = r));
  constructor(columns: number) {
    this.left = columns;
    if (columns <= 0) this.release();
  }
  arrive() {
    if (--this.left === 0) this.release();
  }
}

type Final = { status: ColumnResult['status']; error: string | null; run: AttemptRun | null; cand: Candidate | null };

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function runColumn(job: ColumnJob, deps: ColumnDeps): Promise<ColumnResult> {
  const { store } = deps;
  const attempts: AttemptRecord[] = [];
  const routing = routingFor(job.request, job.index);
  const timeouts: Timeouts = { connectMs: 10_000, firstTokenMs: 60_000, idleMs: 30_000, totalMs: 600_000, ...job.request.timeouts };
  let seq = 0;
  let firstChoice: string | null = null;
  let sentAtHr: number | null = null;
  let sentAt: number | null = null;
  let lastErrorHr: number | null = null;
  let text = '';
  let reasoning = '';
  let dirty = false;
  const flush = () => {
    if (!dirty) return;
    dirty = false;
    store.runs.saveText(job.columnId, text, reasoning, Date.now());
  };
  const flusher = setInterval(flush, TEXT_FLUSH_MS);
  flusher.unref?.();
  let arrived = false;
  const arrive = () => {
    if (arrived) return false;
    arrived = true;
    job.gate?.arrive();
    return true;
  };

  const final = await (async (): Promise<Final> => {
    if (typeof job.steps === 'string' || !job.plan) return { status: 'error', error: typeof job.steps === 'string' ? job.steps : 'no routing plan', run: null, cand: null };
    const plan = job.plan.steps;
    const refusals: string[] = [];
    let last: Final = { status: 'error', error: null, run: null, cand: null };
    const remaining = (si: number, ei: number) => (plan[si]!.ranked.length - ei - 1) + plan.slice(si + 1).reduce((n, p) => n + p.ranked.length, 0);

    for (let si = 0; si < plan.length; si++) {
      const step = plan[si]!;
      if (step.refusal) refusals.push(step.refusal);
      for (let ei = 0; ei < step.ranked.length; ei++) {
        const cand = step.ranked[ei]!;
        firstChoice ??= cand.endpoint.id;
        const isLast = remaining(si, ei) === 0;
        const keyCount = Math.max(1, cand.provider.keys.length);
        // Round-robin across requests (and processes, via the attempts' key_index) spreads load over keys.
        const firstKey = keyCount > 1 ? deps.keyRotation.start(cand.provider.id, keyCount) : 0;
        let keyTurn = 0;
        let same = 0;
        while (true) {
          if (job.signal.aborted) return { status: 'cancelled', error: reasonOf(job.signal)?.message ?? 'cancelled', run: last.run, cand: last.cand };
          const keyIndex = (firstKey + keyTurn) % keyCount;
          const key = await deps.keys.resolve(cand.provider, keyIndex);
          const record: AttemptRecord = {
            provider: cand.provider.id, model: cand.endpoint.upstreamModel, status: 'running', httpStatus: null, error: null, errorKind: null,
            startedAt: Date.now(), ttftMs: null, totalMs: null, keyIndex: cand.provider.keys.length ? keyIndex : null, retryAfterMs: null, outputTokens: null,
          };
          if (!key.ok) {
            // Nothing is sent, but the refusal is still part of the column's record.
            finishRecord(record, 'skipped', key.error, 'config');
            store.runs.finishAttempt(store.runs.startAttempt(job.columnId, { ...record, endpointId: cand.endpoint.id, seq: seq++ }), record, Date.now());
            if (++keyTurn < keyCount) continue;
            last = { status: 'error', error: key.error, run: null, cand };
            break;
          }
          const bkey = breakerKey(cand.provider.id, keyIndex, cand.endpoint.upstreamModel);
          const attemptSeq = seq++;
          const firstSend = sentAtHr === null;
          if (firstSend) {
            sentAtHr = performance.now();
            sentAt = record.startedAt;
          }
          const attemptId = store.runs.startAttempt(job.columnId, { ...record, endpointId: cand.endpoint.id, seq: attemptSeq, price: cand.endpoint.price }, firstSend);
          deps.emit({ type: 'attempt-started', runId: job.runId, columnId: job.columnId, attempt: record });
          if (lastErrorHr !== null) deps.onSwitch?.(lastErrorHr, performance.now());
          text = '';
          reasoning = '';
          const guardAbort = new AbortController();
          const onColumnAbort = () => guardAbort.abort(job.signal.reason);
          job.signal.addEventListener('abort', onColumnAbort, { once: true });
          const spend = deps.budgets.watch(cand, job.promptTokens, (r) => guardAbort.abort(r));
          const gated = await deps.breakers.run(
            bkey,
            // The breaker's own reads happen before the start line; only the send waits on it.
            async () => {
              if (arrive() && job.gate) await job.gate.ready;
              return runAttempt(cand, key.key, job.request, timeouts, guardAbort.signal, {
                onText(d) {
                  text += d;
                  dirty = true;
                  spend.onText(d);
                  deps.delta(job.runId, job.columnId, d, '');
                },
                onReasoning(d) {
                  reasoning += d;
                  dirty = true;
                  deps.delta(job.runId, job.columnId, '', d);
                },
              }, job.attachments);
            },
            (r) => r.outcome.status !== 'ok' && r.outcome.status !== 'cancelled' && BREAKER_KINDS.has(r.outcome.error?.kind ?? 'server'),
            { force: isLast },
          );
          job.signal.removeEventListener('abort', onColumnAbort);
          spend.done();
          if (gated.skipped) {
            finishRecord(record, 'skipped', `circuit open for ${cand.endpoint.id}: skipped after repeated failures`, 'server');
            store.runs.finishAttempt(attemptId, record, Date.now());
            deps.emit({ type: 'attempt-finished', runId: job.runId, columnId: job.columnId, attempt: record });
            last = { status: 'error', error: record.error, run: null, cand };
            break;
          }
          const run = gated.value;
          const o = run.outcome;
          // An unfinished stream's output count is interim (Anthropic's message_start says 1): count what arrived instead.
          if (o.status !== 'ok') o.usage = { ...o.usage, outputTokens: null };
          const streamed = run.deltas > 0 || run.toolDeltas > 0;
          record.httpStatus = o.httpStatus;
          record.ttftMs = run.ttftMs;
          record.totalMs = run.totalMs;
          // Attempts keep the provider's count, else the number of deltas (cheap; the column gets a real estimate).
          record.outputTokens = o.usage.outputTokens ?? run.deltas;
          record.retryAfterMs = o.error?.retryAfterMs ?? null;
          const status = o.status === 'ok' ? 'ok' : o.status === 'cancelled' ? 'cancelled' : o.status === 'incomplete' ? 'incomplete' : 'error';
          finishRecord(record, status, o.error?.message ?? null, o.error?.kind ?? null);
          const tps = run.firstTokenHr !== null && record.outputTokens ? record.outputTokens / Math.max(1e-3, (run.endedHr - run.firstTokenHr) / 1000) : null;
          store.runs.finishAttempt(attemptId, { ...record, tps }, Date.now());
          deps.emit({ type: 'attempt-finished', runId: job.runId, columnId: job.columnId, attempt: record });
          last = { status, error: record.error, run, cand };
          if (o.status === 'ok') {
            store.routing.clearMisconfigured(cand.endpoint.id);
            return last;
          }
          const kind = o.error?.kind ?? 'server';
          if (o.status === 'cancelled' || kind === 'cancelled') return { ...last, status: 'cancelled', error: 'cancelled' };
          if (kind === 'budget') return { ...last, status: streamed ? 'incomplete' : 'error' };
          lastErrorHr = run.endedHr;
          if (streamed) {
            // Mid-stream failure: never splice two answers. Restart elsewhere only when asked to.
            const n = record.outputTokens ?? run.deltas;
            const why = `interrupted after ${n} tokens: ${record.error ?? 'stream ended early'}`;
            if (!routing.continueElsewhere || isLast) return { status: 'incomplete', error: why, run, cand };
            break;
          }
          const action = classifyFailure(kind);
          if (action === 'no_retry') return last;
          if (action === 'misconfigured') {
            store.routing.markMisconfigured(cand.endpoint.id, record.error ?? kind, Date.now());
            if (kind === 'auth' && ++keyTurn < keyCount) continue;
            break;
          }
          if (action === 'retry_same_after_backoff' && ++keyTurn < keyCount) continue;
          if (!isLast) break;
          if (same >= MAX_SAME_RETRIES) return last;
          await sleep(retryDelayMs(same + 1, record.retryAfterMs, {}, deps.random), job.signal);
          same++;
          keyTurn = 0;
        }
      }
    }
    if (last.run === null && last.error === null) {
      return { status: 'error', error: refusals.join('; ') || `no endpoint available for ${job.target}`, run: null, cand: null };
    }
    return last;
  })().finally(() => {
    clearInterval(flusher);
    arrive();
  });

  function finishRecord(r: AttemptRecord, status: AttemptRecord['status'], error: string | null, kind: ErrorKind | null) {
    r.status = status;
    r.error = error;
    r.errorKind = kind;
    attempts.push(r);
  }

  return await finishColumn(job, deps, final, attempts, firstChoice, sentAt, sentAtHr);
}

function reasonOf(signal: AbortSignal): AbortReason | null {
  const r: unknown = signal.reason;
  return r && typeof r === 'object' && 'kind' in r ? (r as AbortReason) : null;
}

async function finishColumn(job: ColumnJob, deps: ColumnDeps, f: Final, attempts: AttemptRecord[], firstChoice: string | null, sentAt: number | null, sentAtHr: number | null): Promise<ColumnResult> {
  const run = f.run;
  const cand = f.cand;
  const text = run?.text ?? '';
  const served = run && cand && (f.status === 'ok' || f.status === 'incomplete' || (f.status === 'cancelled' && (run.deltas > 0 || run.toolDeltas > 0)));
  const toolCalls = served ? run.outcome.toolCalls : undefined;
  const u = run?.outcome.usage;
  // A column that got no answer used no tokens worth reporting; one that did is counted even if cut short.
  // Local counts (a real tokenizer, off the event loop: other columns may still be streaming).
  const modelId = cand?.endpoint.modelId;
  const outputTokens = served ? (u?.outputTokens ?? (await countTokensBatch([text], modelId))[0]!) : null;
  const inputTokens = served
    ? (u?.inputTokens ?? (await countPromptTokensAsync(job.request, modelId)) + (await fallbackAttachmentTokens(cand!.provider.type, job.request, job.storedAttachments, job.attachments, modelId)))
    : null;
  const estimated = Boolean(served) && (u?.outputTokens == null || u?.inputTokens == null);
  // Only a positive count is kept: most answers write nothing to a cache, and their usage stays as it always was.
  const cacheWriteTokens = served && u?.cacheWriteTokens ? u.cacheWriteTokens : null;
  const usage = {
    inputTokens, outputTokens, reasoningTokens: u?.reasoningTokens ?? null, cachedInputTokens: u?.cachedInputTokens ?? null,
    ...(cacheWriteTokens !== null ? { cacheWriteTokens } : {}), estimated,
  };
  const price = served ? (cand!.endpoint.price ?? null) : null;
  const billed = price ? cacheWritePrice(price, cand!.provider.type, cacheWriteTokens ?? 0) : null;
  const costUsd = billed && inputTokens !== null && outputTokens !== null
    ? computeCost({ inputTokens, outputTokens, cachedInputTokens: usage.cachedInputTokens ?? 0, reasoningTokens: usage.reasoningTokens ?? 0, cacheWriteTokens }, billed.price)
    : null;
  const providerCostUsd = served ? (u?.costUsd ?? null) : null;
  const endedHr = run?.endedHr ?? performance.now();
  const result: ColumnResult = {
    columnId: job.columnId, index: job.index, target: job.target, status: f.status,
    servedBy: served ? { provider: cand!.provider.id, model: cand!.endpoint.upstreamModel } : null,
    fellBack: Boolean(served && firstChoice !== null && cand!.endpoint.id !== firstChoice),
    text, reasoning: run?.reasoning ?? '', finishReason: run?.outcome.finishReason ?? null,
    error: f.status === 'ok' ? null : (f.error ?? 'failed'),
    attempts, usage,
    metrics: {
      queuedAt: job.queuedAt, sentAt,
      ttftMs: served ? run!.ttftMs : null,
      totalMs: sentAtHr === null ? null : endedHr - sentAtHr,
      tokensPerSecond: served && run!.firstTokenHr !== null && outputTokens ? outputTokens / Math.max(1e-3, (run!.endedHr - run!.firstTokenHr) / 1000) : null,
    },
    costUsd, providerCostUsd,
    costDrift: costUsd !== null && providerCostUsd !== null ? costDrift(costUsd, providerCostUsd) : null,
    ...(job.plan ? { plan: job.plan.view, replanned: Boolean(job.replanned) } : {}),
    ...(billed?.fallback && costUsd !== null ? { cacheWritePriceFallback: true } : {}),
    ...(toolCalls?.length ? { toolCalls } : {}),
    ...(served && job.structured ? { structured: job.structured(text) } : {}),
    ...(job.request.messages.at(-1)?.toolResults?.length ? { toolResults: job.request.messages.at(-1)!.toolResults } : {}),
  };
  const at = Date.now();
  const servingKey = served ? (attempts.filter((a) => a.status !== 'skipped').at(-1)?.keyIndex ?? null) : null;
  const ledger = deps.budgets.ledgerEntry(job.runId, result, served ? cand : null, servingKey, at);
  // Column and ledger row commit together: a crash can neither lose nor double-count spend.
  deps.store.runs.finishColumn(result, { endpointId: served ? cand!.endpoint.id : null, priceJson: price ? JSON.stringify(price) : null }, at, ledger ? () => deps.store.spend.record(ledger) : undefined);
  return result;
}
