/**
 * The engine facade: one prompt to N targets, concurrently, each column on
 * its own failover path, everything persisted as it happens. The same class
 * runs inside Electron's main process, the headless host and the CLI.
 */
import type { RunSource } from '../../shared/run-labels';
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { ChatMessage, CompareRequest, routingFor, type ColumnResult, type CompareEvent, type CompareRequestInput, type ProviderConfig, type RunResult } from '../../shared/domain';
import type { ToolCallPiece } from '../../shared/tools';
import type { Store } from '../store';
import { UserError, zodLine } from './errors';
import type { KeyResolver } from './keys';
import { EMPTY_CATALOG, resolveTarget, type CatalogLike, type ResolvedStep } from './resolve';
import { Gate, runColumn, type ColumnDeps } from './run-column';
import { planColumn, seededDraw, type ColumnPlan, type PlanDeps, type PlanMemo } from './plan';
import { HealthService } from './router/health';
import { Breakers } from './router/breaker';
import { KeyRotation } from './router/keys';
import { promptTokenBound } from './token-bound';
import { BudgetGuard, type ColumnExposure } from './budgets';
import { settleInterrupted } from './recovery';
import { quote } from '../../shared/quote';
import { messagesForTurn, paramsFor, turnsOf } from '../../shared/conversation';
import { forkRequest, planFollowUp } from './follow-up';
import { LiveRuns } from './live-runs';
import type { StoredAttachment } from '../store/attachments-repo';
import type { AttachmentRef } from '../../shared/attachments';
import type { AttachmentData } from './providers/types';
import { attachmentTokenBound, loadAttachments, resolveAttachments } from './attachments';
import { AuditLog, type AuditSink } from '../audit/log';
import { requestRefusal } from './audit-facts';
import { compileStructured, type StructuredChecker } from './structured';

export interface EngineOptions {
  store: Store;
  keys: KeyResolver;
  catalog?: CatalogLike;
  /**
   * Test seam: replaces balanced's seeded draw, the first key and backoff jitter.
   * A constant keeps the pre-flight and the run agreeing; anything else may not.
   */
  random?: () => number;
  /** Budget/spend hooks (see budgets). */
  hooks?: Partial<Pick<ColumnDeps, 'onSwitch'>>;
  /** Where sends and refusals are recorded; a log on the same store (appending, never signing) when not given. */
  audit?: AuditSink;
}

export interface PreparedRun {
  request: CompareRequest;
  steps: Array<ResolvedStep[] | string>;
  /** Upper bound (no tokenizer on the request path); the estimate counts exactly. */
  promptTokens: number;
  /** What the store holds for each attachment the request names (type, size, dimensions). */
  attachments: ReadonlyMap<string, StoredAttachment>;
  /** The response format's schema, compiled (null without one). */
  structured: StructuredChecker | null;
  /** Targets of the input that cannot be served, with why; `request` no longer names them. */
  leftOut: LeftOut[];
}

/** A target a run leaves out, and the one-line reason. */
export interface LeftOut {
  target: string;
  reason: string;
}

/** The request narrowed to the targets at `kept` (in order), with their own parameters, routing and plan ids. */
function keepTargets(r: CompareRequest, kept: number[]): CompareRequest {
  const pick = <T>(xs: T[] | undefined): T[] | undefined => (xs ? kept.map((i) => xs[i] ?? (null as T)) : undefined);
  return { ...r, targets: kept.map((i) => r.targets[i]!), targetParams: pick(r.targetParams), columnRouting: pick(r.columnRouting), plans: pick(r.plans) };
}

interface ActiveRun {
  controller: AbortController;
  columns: Map<string, AbortController>;
  done: Promise<RunResult>;
}

/** A 16-column run adds about 1 MB to the WAL: a checkpoint at least this often keeps it to a few MB. */
const CHECKPOINT_EVERY_RUNS = 8;
const CHECKPOINT_IDLE_MS = 2000;
/** Finished runs whose full-text index may wait for the runs still streaming, before it is written anyway. */
const INDEX_DEFER_MAX_RUNS = 16;

export function newId(prefix: string): string {
  // Time-ordered so ids sort like their creation; random suffix for uniqueness across processes.
  return `${prefix}${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}

export function parseRequest(input: CompareRequestInput | unknown): CompareRequest {
  const r = CompareRequest.safeParse(input);
  if (!r.success) throw new UserError(zodLine(r.error));
  const own = r.data.targetParams;
  if (own && own.length > r.data.targets.length) throw new UserError(`targetParams has ${own.length} entries for ${r.data.targets.length} targets (one per target, null for none)`);
  const routes = r.data.columnRouting;
  if (routes && routes.length > r.data.targets.length) throw new UserError(`columnRouting has ${routes.length} entries for ${r.data.targets.length} targets (one per target, null for none)`);
  return r.data;
}

/**
 * The request one column sends: its own parameters over the shared ones, and
 * its routing resolved (so a one-column request made for a retry or a
 * follow-up routes the same whatever index the column has).
 */
export function columnRequest(request: CompareRequest, index: number): CompareRequest {
  const own = request.targetParams?.[index];
  const params = own ? paramsFor(request.params, own) : request.params;
  if (!own && !request.columnRouting) return request;
  const firstTokenMs = request.columnRouting?.[index]?.firstTokenMs;
  const timeouts = firstTokenMs === undefined ? request.timeouts : { ...request.timeouts, firstTokenMs };
  return { ...request, params, timeouts, routing: routingFor(request, index), columnRouting: undefined };
}

/** One column's own overrides, moved to index 0 of a one-target request (a retry, a follow-up). */
function ownOf(request: CompareRequest, index: number): Pick<CompareRequest, 'targetParams' | 'columnRouting'> {
  const params = request.targetParams?.[index] ?? null;
  const routing = request.columnRouting?.[index] ?? null;
  return { targetParams: params ? [params] : undefined, columnRouting: routing ? [routing] : undefined };
}

export class Engine {
  readonly store: Store;
  readonly keys: KeyResolver;
  readonly catalog: CatalogLike;
  readonly health: HealthService;
  readonly breakers: Breakers;
  readonly budgets: BudgetGuard;
  private readonly keyRotation: KeyRotation;
  private readonly random: () => number;
  readonly audit: AuditSink;
  readonly planDeps: PlanDeps;
  private readonly listeners = new Set<(e: CompareEvent) => void>();
  private readonly active = new Map<string, ActiveRun>();
  /** What the runs in flight have shown so far, and the number of the last event emitted. */
  private readonly live = new LiveRuns();
  private seq = 0;

  constructor(private readonly opts: EngineOptions) {
    this.store = opts.store;
    this.keys = opts.keys;
    this.catalog = opts.catalog ?? EMPTY_CATALOG;
    this.random = opts.random ?? Math.random;
    this.audit = opts.audit ?? new AuditLog(opts.store);
    this.health = new HealthService(opts.store.routing);
    this.breakers = new Breakers(opts.store.routing);
    this.budgets = new BudgetGuard(opts.store);
    this.keyRotation = new KeyRotation({ lastUsed: (p) => opts.store.routing.lastKeyIndex(p) });
    const random = opts.random;
    this.planDeps = { health: this.health, breakers: this.breakers, store: this.store, draw: random ? () => random() : seededDraw };
  }

  onEvent(listener: (e: CompareEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private pending = new Map<string, { runId: string; columnId: string; text: string; reasoning: string; tools?: ToolCallPiece[] }>();
  private flushScheduled = false;
  private runsSinceCheckpoint = 0;
  private open = true;
  private checkpointTimer: ReturnType<typeof setTimeout> | undefined;
  private settling: Promise<number> | null = null;
  private indexScheduled = false;
  /** Finished runs whose index waited for others still streaming. */
  private indexDeferred = 0;

  /**
   * Bills the columns a crash left interrupted (recovery.ts), once per process.
   * It starts on the next turn so nothing of it sits in start-up; a failure
   * leaves the columns unsettled for the next start rather than stopping this one.
   */
  settleInterrupted(): Promise<number> {
    this.settling ??= new Promise<void>((r) => setImmediate(r))
      .then(() => (this.open ? settleInterrupted(this.store, this.catalog) : 0))
      .catch(() => 0);
    return this.settling;
  }

  /**
   * Deltas are coalesced per column and delivered once per event-loop turn: one
   * socket read often holds many SSE events, and IPC/HTTP pay per message.
   * Any other event first flushes what is pending, so order is preserved.
   */
  private delta = (runId: string, columnId: string, text: string, reasoning: string) => {
    if (this.listeners.size === 0) return;
    const p = this.pending.get(columnId);
    if (p) {
      p.text += text;
      p.reasoning += reasoning;
    } else this.pending.set(columnId, { runId, columnId, text, reasoning });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushDeltas);
    }
  };

  /** A tool call's pieces coalesce like text: one event per call per turn of the loop, its argument text joined. */
  private toolDelta = (runId: string, columnId: string, piece: ToolCallPiece) => {
    if (this.listeners.size === 0) return;
    let p = this.pending.get(columnId);
    if (!p) this.pending.set(columnId, (p = { runId, columnId, text: '', reasoning: '' }));
    const tools = (p.tools ??= []);
    const same = tools.at(-1);
    if (same && same.index === piece.index) same.arguments += piece.arguments;
    else tools.push({ ...piece });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushDeltas);
    }
  };

  private flushDeltas = () => {
    this.flushScheduled = false;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const d of batch) {
      if (d.text || d.reasoning || !d.tools) this.deliver({ type: 'delta', runId: d.runId, columnId: d.columnId, text: d.text, reasoning: d.reasoning });
      for (const t of d.tools ?? []) {
        this.deliver({ type: 'tool-delta', runId: d.runId, columnId: d.columnId, index: t.index, ...(t.id !== undefined ? { id: t.id } : {}), ...(t.name !== undefined ? { name: t.name } : {}), arguments: t.arguments });
      }
    }
  };

  private emit = (e: CompareEvent) => {
    this.flushDeltas();
    this.deliver(e);
  };

  /** Numbers the event and records it in the live snapshot in the same turn, so the two always agree. */
  private deliver(e: CompareEvent): void {
    const numbered: CompareEvent = { ...e, seq: ++this.seq };
    this.live.apply(numbered);
    for (const l of this.listeners) l(numbered);
  }

  /**
   * The runs in flight with what each column has shown so far, and the `seq`
   * of the last event already in it: a window applies only later events.
   * @example engine.listActive() // { seq: 42, runs: [{ runId: 'r_…', status: 'running', columns: [{ text: 'Hello, w', … }] }] }
   */
  listActive(): { seq: number; runs: RunResult[] } {
    // Deltas still coalescing are not in any event yet; delivering them first keeps the snapshot current.
    this.flushDeltas();
    return { seq: this.seq, runs: this.live.snapshot() };
  }

  providerMap(): Map<string, ProviderConfig> {
    return new Map(this.store.providers.list().map((p) => [p.id, p]));
  }

  /**
   * Validates and resolves a request without sending anything. A malformed
   * request is a whole-request error (one line). A target that cannot be
   * served (bad syntax, unknown provider or model, a missing key) is left out
   * with its reason, and the rest run; when none can be served, the first
   * target's reason is the error, as it always was.
   */
  prepare(input: CompareRequestInput | unknown): PreparedRun {
    const { request: whole, stored } = resolveAttachments(this.store, parseRequest(input));
    const structured = compileStructured(whole.responseFormat);
    const providers = this.providerMap();
    const kept: number[] = [];
    const steps: ResolvedStep[][] = [];
    const leftOut: LeftOut[] = [];
    let first: unknown = null;
    for (const [i, target] of whole.targets.entries()) {
      try {
        steps.push(this.resolveKeyed(target, providers));
        kept.push(i);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        first ??= err;
        leftOut.push({ target, reason: err.message });
      }
    }
    if (kept.length === 0) throw first;
    const request = leftOut.length ? keepTargets(whole, kept) : whole;
    return { request, steps, promptTokens: promptTokenBound(request) + attachmentTokenBound(request, stored), attachments: stored, structured, leftOut };
  }

  /** One target's chain resolved, refused (UserError) when no endpoint of it has a key to send with. */
  private resolveKeyed(target: string, providers: ReadonlyMap<string, ProviderConfig>): ResolvedStep[] {
    const steps = resolveTarget(target, providers, this.catalog);
    const all = steps.flatMap((s) => s.candidates);
    const keyed = all.some((c) => c.provider.keys.length === 0 || c.provider.keys.some((k) => this.keys.isSet(k)));
    if (!keyed) {
      const ref = all[0]!.provider.keys[0]!;
      const what = ref.kind === 'env' ? `environment variable ${ref.name} is not set` : 'its stored key is missing';
      throw new UserError(`missing key for target ${quote(target)}: ${what} (provider ${all[0]!.provider.id})`, 'config');
    }
    return steps;
  }

  /**
   * Every column's routing plan, read against one snapshot of health, breakers
   * and misconfiguration. The pre-flight calls this with the same prepared run
   * the send does, so both name the same endpoints.
   */
  plan(prepared: PreparedRun, memo: PlanMemo = { health: new Map() }, pinned?: string | null): Array<ColumnPlan | null> {
    return prepared.steps.map((steps, index) =>
      typeof steps === 'string' ? null : planColumn({ request: columnRequest(prepared.request, index), promptTokens: prepared.promptTokens, index, pinned }, steps, this.planDeps, memo),
    );
  }

  /** `prepare` then the budgets, as a send does them: a refusal on the way is recorded in the audit log. */
  private refusedOrPrepared(input: CompareRequestInput | unknown, runId: string | null): { prepared: PreparedRun; warnings: string[] } {
    const targets = (input as { targets?: unknown } | null)?.targets;
    const named = Array.isArray(targets) ? targets.filter((t): t is string => typeof t === 'string') : [];
    return this.audited(named, runId, () => {
      const prepared = this.prepare(input);
      return { prepared, warnings: this.budgets.enforce(this.exposures(prepared)) };
    });
  }

  private audited<T>(targets: string[], runId: string | null, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      const refusal = requestRefusal(err);
      if (refusal) this.audit.append({ kind: 'refusal', stage: 'request', ...refusal, runId, columnId: null, targets, provider: null });
      throw err;
    }
  }

  /** What each column could cost at worst, for budgets and the pre-flight estimate. */
  exposures(prepared: PreparedRun): ColumnExposure[] {
    return prepared.steps.map((s, i) => ({
      candidates: typeof s === 'string' ? [] : s.flatMap((x) => x.candidates),
      inputTokens: prepared.promptTokens,
      maxOutputTokens: columnRequest(prepared.request, i).params.maxTokens ?? null,
    }));
  }

  /** Starts a run; columns stream independently. `done` resolves when every column has finished. */
  start(input: CompareRequestInput | unknown, opts: { signal?: AbortSignal; source?: RunSource } = {}): { runId: string; columns: Array<{ columnId: string; index: number; target: string }>; leftOut: LeftOut[]; warnings: string[]; done: Promise<RunResult> } {
    const { prepared, warnings } = this.refusedOrPrepared(input, null);
    const runId = newId('r_');
    const createdAt = Date.now();
    const columns = prepared.request.targets.map((target, index) => ({ columnId: newId('c_'), index, target }));
    const files = loadAttachments(this.store, prepared.attachments);
    // A fork is a fork whoever sends it; otherwise the caller says where the run came from (none: unknown).
    const source = prepared.request.forkedFrom ? 'fork' : (opts.source ?? null);
    this.store.runs.createRun({ runId, createdAt, request: prepared.request, columns, pid: process.pid, source });
    this.store.attachments.linkRun(runId, [...prepared.attachments.keys()]);
    // A target left out is a refusal before sending, recorded like one.
    for (const l of prepared.leftOut) this.audit.append({ kind: 'refusal', stage: 'request', rule: /missing key/.test(l.reason) ? 'missing-key' : 'unservable', reason: l.reason, runId, columnId: null, targets: [l.target], provider: null });
    const controller = new AbortController();
    // One listener per column on the run's signal: 64 columns is a design point, not a leak.
    setMaxListeners(0, controller.signal);
    opts.signal?.addEventListener('abort', () => controller.abort({ kind: 'cancelled', message: 'cancelled' }), { once: true });
    const colControllers = new Map<string, AbortController>();
    this.emit({ type: 'run-started', runId, columns });

    const plans = this.plan(prepared);
    const shown = prepared.request.plans;
    const gate = new Gate(columns.length);
    const jobs = columns.map((c) => {
      const ac = new AbortController();
      colControllers.set(c.columnId, ac);
      controller.signal.addEventListener('abort', () => ac.abort(controller.signal.reason), { once: true });
      const plan = plans[c.index]!;
      const expected = shown?.[c.index] ?? null;
      const replanned = plan !== null && expected !== null && expected !== plan.view.id;
      return this.execColumn(runId, c, columnRequest(prepared.request, c.index), prepared, prepared.steps[c.index]!, ac.signal, createdAt, { plan, replanned }, gate, files);
    });
    const done = Promise.all(jobs).then((cols) => this.finishRun(runId, createdAt, prepared.request, cols));
    this.active.set(runId, { controller, columns: colControllers, done });
    return { runId, columns, leftOut: prepared.leftOut, warnings, done };
  }

  private async execColumn(runId: string, c: { columnId: string; index: number; target: string }, request: CompareRequest, prepared: PreparedRun, steps: ResolvedStep[] | string, signal: AbortSignal, queuedAt: number, routed: { plan: ColumnPlan | null; replanned: boolean }, gate?: Gate, attachments?: ReadonlyMap<string, AttachmentData>): Promise<ColumnResult> {
    const result = await runColumn(
      { runId, columnId: c.columnId, index: c.index, target: c.target, request, steps, promptTokens: prepared.promptTokens, signal, queuedAt, ...routed, gate, attachments, storedAttachments: prepared.attachments, structured: prepared.structured },
      { store: this.store, keys: this.keys, health: this.health, breakers: this.breakers, budgets: this.budgets, audit: this.audit, keyRotation: this.keyRotation, random: this.random, emit: this.emit, delta: this.delta, toolDelta: this.toolDelta, ...this.opts.hooks },
    ).catch((err: unknown): ColumnResult => this.crashColumn(runId, c, err));
    this.emit({ type: 'column-finished', runId, column: result });
    return result;
  }

  /** A bug must never leave a column "running": record it as an error with the message. */
  private crashColumn(runId: string, c: { columnId: string; index: number; target: string }, err: unknown): ColumnResult {
    const message = `internal error: ${err instanceof Error ? err.message : String(err)}`;
    const saved = this.store.runs.getRun(runId)?.columns.find((x) => x.columnId === c.columnId);
    const col: ColumnResult = {
      ...(saved ?? { columnId: c.columnId, index: c.index, target: c.target, servedBy: null, fellBack: false, text: '', reasoning: '', finishReason: null, attempts: [], usage: { inputTokens: null, outputTokens: null, reasoningTokens: null, cachedInputTokens: null, estimated: true }, metrics: { queuedAt: null, sentAt: null, ttftMs: null, totalMs: null, tokensPerSecond: null }, costUsd: null, providerCostUsd: null, costDrift: null }),
      status: 'error',
      error: message,
    } as ColumnResult;
    this.store.runs.finishColumn(col, { endpointId: null, priceJson: null }, Date.now());
    return col;
  }

  private finishRun(runId: string, createdAt: number, request: CompareRequest, columns: ColumnResult[]): RunResult {
    this.store.runs.finishRun(runId, Date.now());
    this.active.delete(runId);
    this.maintainWal();
    this.indexSoon();
    // A conversation's result is every turn, as history shows it; a one-turn run's is what just ran.
    const saved = this.store.runs.nextTurn(runId) > 1 ? this.store.runs.getRun(runId) : null;
    const result: RunResult = saved ?? { runId, createdAt, status: 'done', request, columns };
    this.emit({ type: 'run-finished', runId, result });
    return result;
  }

  /**
   * The full-text index of finished runs' answers (about a millisecond for 16 answers) is written
   * after the run has returned, on the next turn, batched with any other run that finished meanwhile;
   * while other runs stream it waits for them, unless many runs are already waiting. Until then the
   * run is marked in the database, so a search (listRuns) or the next start after a crash catches up.
   */
  private indexSoon(): void {
    if (this.indexScheduled) return;
    this.indexScheduled = true;
    setImmediate(() => {
      this.indexScheduled = false;
      if (!this.open || (this.active.size > 0 && ++this.indexDeferred < INDEX_DEFER_MAX_RUNS)) return;
      this.indexNow();
    });
  }

  private indexNow(): void {
    this.indexDeferred = 0;
    try {
      while (this.store.runs.indexPending() > 0);
    } catch {
      // A busy or read-only database: the runs stay marked, and the next search or start indexes them.
    }
  }

  /**
   * Does now what the engine left for after its runs (the full-text index), so a caller can
   * measure or wait for it: the bench keeps it out of the next round's baseline.
   */
  flushDeferred(): void {
    this.indexNow();
  }

  /**
   * Keeps the WAL small. Off the engine's thread a checkpoint costs streams
   * nothing, so it runs every few runs whatever is in flight; the idle one
   * catches the runs since. Without a worker, checkpoints run here, and only
   * once nothing has streamed for a moment (one may fsync for tens of ms).
   */
  private maintainWal(): void {
    clearTimeout(this.checkpointTimer);
    if (++this.runsSinceCheckpoint >= CHECKPOINT_EVERY_RUNS && this.store.checkpointOffThread()) {
      this.runsSinceCheckpoint = 0;
      return;
    }
    if (this.active.size > 0) return;
    this.checkpointTimer = setTimeout(() => {
      if (!this.open) return;
      this.runsSinceCheckpoint = 0;
      if (!this.store.checkpointOffThread()) this.store.checkpoint();
    }, CHECKPOINT_IDLE_MS);
    this.checkpointTimer.unref?.();
  }

  async compare(input: CompareRequestInput | unknown, opts: { signal?: AbortSignal; source?: RunSource } = {}): Promise<RunResult> {
    return this.start(input, opts).done;
  }

  cancelRun(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run) return false;
    run.controller.abort({ kind: 'cancelled', message: 'cancelled' });
    return true;
  }

  cancelColumn(runId: string, columnId: string): boolean {
    const ac = this.active.get(runId)?.columns.get(columnId);
    if (!ac) return false;
    ac.abort({ kind: 'cancelled', message: 'cancelled' });
    return true;
  }

  /** Re-runs one column of a finished run in place, with the run's original request. */
  async retryColumn(runId: string, columnId: string): Promise<ColumnResult> {
    if (this.active.has(runId)) throw new UserError(`run ${runId} is still running; stop it before retrying a column`);
    const run = this.store.runs.getRun(runId);
    if (!run || !run.request) throw new UserError(`no run ${quote(runId)}`, 'not_found');
    const col = run.columns.find((c) => c.columnId === columnId);
    if (!col) {
      const earlier = run.columns.some((c) => c.turns?.some((t) => t.columnId === columnId));
      throw new UserError(earlier ? `column ${columnId} is an earlier turn of its conversation; only a column's latest turn can be retried` : `no column ${columnId} in run ${runId}`, 'not_found');
    }
    const turn = col.turns?.at(-1);
    const messages = turn ? messagesForTurn(run, col.index, turn.turn, turn.prompt) : run.request.messages;
    // The pre-flight's plan ids belonged to the first send: a retry plans afresh and claims no comparison.
    // The column keeps its own parameters and routing override, now at index 0 of a one-target request.
    const { prepared } = this.refusedOrPrepared({ ...run.request, messages, targets: [col.target], ...ownOf(run.request, col.index), plans: undefined }, runId);
    const now = Date.now();
    this.store.runs.resetColumn(columnId, runId, now);
    // A reloaded window sees the retry stream too: the run's other columns as they were, this one from empty.
    this.live.begin(runId, run.createdAt ?? now, run.columns.map((c) => (c.columnId === columnId ? { ...c, status: 'queued', text: '', reasoning: '', error: null, attempts: [] } : c)));
    const controller = new AbortController();
    const columns = new Map([[columnId, controller]]);
    const plan = this.plan(prepared)[0]!;
    const files = loadAttachments(this.store, prepared.attachments);
    const done = this.execColumn(runId, { columnId, index: col.index, target: col.target }, columnRequest(prepared.request, 0), prepared, prepared.steps[0]!, controller.signal, now, { plan, replanned: false }, undefined, files).then((c) => {
      const all = this.store.runs.getRun(runId)!.columns.map((x) => (x.columnId === columnId ? c : x));
      return this.finishRun(runId, run.createdAt ?? now, run.request!, all);
    });
    this.active.set(runId, { controller, columns, done });
    return (await done).columns.find((c) => c.columnId === columnId)!;
  }

  /**
   * A follow-up turn of a finished run: to every column (`column` undefined) or
   * to one (0-based), each continuing its own conversation. The turn is part of
   * the same run; each column's turn is a new column id with its own attempts,
   * usage and cost. `done` resolves with the whole conversation.
   */
  followUp(runId: string, prompt: string, opts: { column?: number; signal?: AbortSignal; toolResults?: Readonly<Record<string, string>>; attachments?: AttachmentRef[] } = {}): { runId: string; turn: number; columns: Array<{ columnId: string; index: number; target: string }>; warnings: string[]; done: Promise<RunResult> } {
    if (this.active.has(runId)) throw new UserError(`run ${runId} is still running; wait for it (or stop it) before a follow-up`);
    const run = this.store.runs.getRun(runId);
    if (!run) throw new UserError(`no run ${quote(runId)}`, 'not_found');
    const files = this.turnFiles(opts.attachments);
    const followUp = planFollowUp(run, prompt, this.store.runs.nextTurn(runId), opts.column, opts.toolResults, files);
    const prepared = this.audited(followUp.columns.map((c) => c.target), runId, () => followUp.columns.map((c) => this.prepare({ ...run.request, messages: c.messages, targets: [c.target], ...ownOf(run.request!, c.index), plans: undefined })));
    const warnings = [...followUp.skipped, ...this.audited(followUp.columns.map((c) => c.target), runId, () => this.budgets.enforce(prepared.flatMap((p) => this.exposures(p))))];
    const createdAt = Date.now();
    const columns = followUp.columns.map((c) => ({ columnId: newId('c_'), index: c.index, target: c.target }));
    this.store.runs.addTurn({ runId, turn: followUp.turn, prompt, createdAt, columns: columns.map((c, i) => ({ ...c, toolResults: followUp.columns[i]!.toolResults })), attachments: files });
    this.store.attachments.linkRun(runId, files.map((f) => f.hash));
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    opts.signal?.addEventListener('abort', () => controller.abort({ kind: 'cancelled', message: 'cancelled' }), { once: true });
    const colControllers = new Map<string, AbortController>();
    // A window reloaded mid-turn gets the whole run: the other columns as they were, the continuing ones fresh with their earlier turns.
    const fresh = new Map(columns.map((c) => [c.index, c]));
    this.live.begin(runId, run.createdAt ?? createdAt, run.columns.map((col) => {
      const next = fresh.get(col.index);
      return next ? { ...col, columnId: next.columnId, status: 'queued', text: '', reasoning: '', error: null, attempts: [], turns: turnsOf(run, col) } : col;
    }));
    this.emit({ type: 'run-started', runId, columns, turn: followUp.turn });
    const memo: PlanMemo = { health: new Map() };
    const gate = new Gate(columns.length);
    const jobs = columns.map((c, i) => {
      const ac = new AbortController();
      colControllers.set(c.columnId, ac);
      controller.signal.addEventListener('abort', () => ac.abort(controller.signal.reason), { once: true });
      const p = prepared[i]!;
      const plan = this.plan(p, memo, followUp.columns[i]!.pinned)[0]!;
      return this.execColumn(runId, c, columnRequest(p.request, 0), p, p.steps[0]!, ac.signal, createdAt, { plan, replanned: false }, gate, loadAttachments(this.store, p.attachments));
    });
    const done = Promise.all(jobs).then((cols) => this.finishRun(runId, run.createdAt ?? createdAt, run.request!, cols));
    this.active.set(runId, { controller, columns: colControllers, done });
    return { runId, turn: followUp.turn, columns, warnings, done };
  }

  /** A follow-up's files checked against the store (type and size as stored), in the order given. */
  private turnFiles(refs: AttachmentRef[] | undefined): AttachmentRef[] {
    if (!refs?.length) return [];
    const msg = ChatMessage.safeParse({ role: 'user', content: '.', attachments: refs });
    if (!msg.success) throw new UserError(zodLine(msg.error));
    return resolveAttachments(this.store, parseRequest({ messages: [msg.data], targets: ['-'] })).request.messages[0]!.attachments ?? [];
  }

  /** The request of a fork: column `column` (0-based) of a run, its conversation sent to `targets` as a new run. */
  forkRequest(runId: string, column: number, targets: string[], prompt?: string, toolResults?: Readonly<Record<string, string>>): CompareRequestInput {
    const run = this.store.runs.getRun(runId);
    if (!run) throw new UserError(`no run ${quote(runId)}`, 'not_found');
    return forkRequest(run, column, targets, prompt, toolResults);
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Cancels everything in flight and waits until it is recorded. */
  async close(): Promise<void> {
    this.open = false;
    clearTimeout(this.checkpointTimer);
    const runs = [...this.active.values()];
    for (const r of runs) r.controller.abort({ kind: 'cancelled', message: 'cancelled: shutting down' });
    await Promise.allSettled([...runs.map((r) => r.done), this.settling]);
    this.indexNow();
  }
}
