/**
 * Circuit breakers per (provider, key, upstream model), shared by every
 * process on the same data directory.
 *
 * Cockatiel owns the state machine (ConsecutiveBreaker counting, open →
 * half-open probe → closed or re-opened), and its `initialState`/`toJSON()`
 * pair is how that state crosses processes: each call hydrates a policy from
 * the `breakers` row, and the outcome is replayed onto a freshly read row and
 * written back. Two things are decided here rather than by cockatiel:
 * - the cool-down, against the row and the injected clock: cockatiel reads
 *   `Date.now()` itself, so it is only ever handed a closed circuit or an open
 *   one already past its cool-down (as its own `toJSON()` does for a probe);
 * - a probe is claimed in the row (`half-open`, stamped `updatedAt`) as it
 *   starts, so another process does not send a second one; a claim older than
 *   the cool-down is treated as abandoned (its process died).
 */
import { circuitBreaker, CircuitState, ConsecutiveBreaker, handleAll, type CircuitBreakerPolicy } from 'cockatiel';
import type { BreakerRow, RoutingRepo } from '../../store/routing-repo';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  /** Cool-down before one probe is let through. */
  halfOpenAfterMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { threshold: 3, halfOpenAfterMs: 30_000 };

export interface RunOptions<T> {
  /** Run even when open: the last remaining endpoint is always tried (it counts as the probe). */
  force: boolean;
  /** Text kept in the row for a failed outcome (`switchyard endpoints` shows it). */
  describe?: (value: T) => string;
}

export type BreakerResult<T> = { skipped: true } | { skipped: false; value: T };

/** The shape cockatiel 3.x's `toJSON()` returns (typed `unknown` upstream). */
interface CockatielSnapshot {
  ownState: { value: CircuitState; openedAt?: number; attemptNo?: number };
  breakerState: unknown;
}

type Outcome<T> = { threw: false; value: T } | { threw: true; error: unknown };

/**
 * @example breakerKey('openai', 0, 'gpt-4o-mini') // 'openai|0|gpt-4o-mini'
 * `|` cannot occur in a provider id, so keys never collide.
 */
export function breakerKey(providerId: string, keyIndex: number, upstreamModel: string): string {
  return `${providerId}|${keyIndex}|${upstreamModel}`;
}

function isSnapshot(v: unknown): v is CockatielSnapshot {
  if (typeof v !== 'object' || v === null || !('ownState' in v)) return false;
  const own = (v as { ownState: unknown }).ownState;
  return typeof own === 'object' && own !== null && typeof (own as { value?: unknown }).value === 'number';
}

export class Breakers {
  private readonly opts: BreakerOptions;
  // Replays of one key are serialised in-process so concurrent columns do not lose each other's counts.
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly repo: RoutingRepo,
    opts: Partial<BreakerOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.opts = { ...DEFAULT_BREAKER, ...opts };
  }

  /**
   * `half-open` once the cool-down is over (a probe would go through) and while a probe is in flight.
   * Decided from the row, not a hydrated policy: cockatiel only moves to half-open inside `execute`.
   */
  state(key: string): BreakerState {
    const row = this.repo.getBreaker(key);
    if (!row || row.state === 'closed') return 'closed';
    if (row.state === 'half-open') return 'half-open';
    return this.now() - (row.openedAt ?? 0) >= this.opts.halfOpenAfterMs ? 'half-open' : 'open';
  }

  /** Every persisted breaker with its current state, for `switchyard endpoints` and the UI. */
  list(): Array<BreakerRow & { current: BreakerState }> {
    return this.repo.listBreakers().map((r) => ({ ...r, current: this.state(r.breakerKey) }));
  }

  /**
   * Runs `fn` through the breaker of `key`. A thrown error counts as a failure and is
   * rethrown after being recorded; so is a value `isFailure` rejects (returned, not thrown).
   * Cancellations should come back as values that are not failures.
   * @example await breakers.run(breakerKey('groq', 0, 'llama-3.1-8b'), () => attempt(), (r) => !r.ok, { force: isLast })
   */
  async run<T>(key: string, fn: () => Promise<T>, isFailure: (t: T) => boolean, opts: RunOptions<T>): Promise<BreakerResult<T>> {
    const row = this.repo.getBreaker(key);
    // Forced past a cooling circuit, the call is the probe: its verdict closes or re-opens it.
    if (this.cooling(row) && !opts.force) return { skipped: true };
    const done = await this.execute(key, row, fn, isFailure);
    await this.serialise(key, () => this.record(key, done, isFailure, opts.describe));
    if (done.outcome.threw) throw done.outcome.error;
    return { skipped: false, value: done.outcome.value };
  }

  /** Open (or a probe is out) and the cool-down is not over yet. */
  private cooling(row: BreakerRow | null): boolean {
    if (!row || row.state === 'closed') return false;
    // An open circuit waits from when it opened; a claimed probe from when it was claimed.
    const since = row.state === 'half-open' ? row.updatedAt : (row.openedAt ?? row.updatedAt);
    return this.now() - since < this.opts.halfOpenAfterMs;
  }

  /** Runs `fn` through a policy hydrated from `row`, claiming the probe if it is one. */
  private async execute<T>(
    key: string,
    row: BreakerRow | null,
    fn: () => Promise<T>,
    isFailure: (t: T) => boolean,
  ): Promise<{ outcome: Outcome<T>; probe: boolean }> {
    const policy = this.policy(this.hydrate(row), isFailure);
    let probe = false;
    const claim = policy.onHalfOpen(() => {
      probe = true;
      const at = this.now();
      this.repo.putBreaker({
        breakerKey: key, state: 'half-open', failures: row?.failures ?? 0, openedAt: row?.openedAt ?? at, updatedAt: at,
        lastError: row?.lastError ?? null,
      });
    });
    try {
      return { outcome: { threw: false, value: await policy.execute(fn) }, probe };
    } catch (error) {
      return { outcome: { threw: true, error }, probe };
    } finally {
      claim.dispose();
    }
  }

  /**
   * Applies an outcome to the state as it is now (another column or process may
   * have moved it meanwhile) by replaying it through a freshly hydrated policy.
   */
  private async record<T>(
    key: string,
    { outcome, probe }: { outcome: Outcome<T>; probe: boolean },
    isFailure: (t: T) => boolean,
    describe: ((t: T) => string) | undefined,
  ): Promise<void> {
    const fresh = this.repo.getBreaker(key);
    const failed = outcome.threw || isFailure(outcome.value);
    // The common case, a success on a healthy key, changes nothing: spare the write.
    if (!failed && (fresh === null || (fresh.state === 'closed' && fresh.failures === 0))) return;
    // A plain call's verdict on a circuit someone else opened meanwhile is moot. Otherwise a probe's
    // verdict, or any verdict while a probe is due or out, settles the open/half-open state.
    if (!probe && fresh?.state === 'open' && this.cooling(fresh)) return;
    const policy = this.policy(this.hydrate(fresh), isFailure);
    let replayed = false;
    try {
      await policy.execute(() => {
        replayed = true;
        return outcome.threw ? Promise.reject(outcome.error) : Promise.resolve(outcome.value);
      });
    } catch {
      // The replayed error itself: already recorded by the policy.
    }
    if (!replayed) return;
    const message = !failed
      ? null
      : outcome.threw
        ? outcome.error instanceof Error ? outcome.error.message : String(outcome.error)
        : (describe?.(outcome.value) ?? 'failed');
    this.repo.putBreaker(this.dehydrate(key, policy.toJSON(), fresh, message));
  }

  private policy<T>(initialState: CockatielSnapshot, isFailure: (t: T) => boolean): CircuitBreakerPolicy {
    return circuitBreaker(handleAll.orWhenResult((r) => isFailure(r as T)), {
      halfOpenAfter: this.opts.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(this.opts.threshold),
      initialState,
    });
  }

  /**
   * Row → cockatiel snapshot. Only called for a closed circuit or one whose cool-down is over,
   * so an open row is hydrated with `openedAt: 0`, exactly what cockatiel's own `toJSON()`
   * writes for a circuit that is half-open: the next execution is the probe.
   */
  private hydrate(row: BreakerRow | null): CockatielSnapshot {
    const failures = row?.failures ?? 0;
    if (!row || row.state === 'closed') return { ownState: { value: CircuitState.Closed }, breakerState: failures };
    return { ownState: { value: CircuitState.Open, openedAt: 0, attemptNo: 1 }, breakerState: failures };
  }

  private dehydrate(key: string, json: unknown, prev: BreakerRow | null, message: string | null): BreakerRow {
    if (!isSnapshot(json)) throw new Error('unexpected cockatiel circuit-breaker snapshot: was cockatiel upgraded past 3.x?');
    const at = this.now();
    const failures = typeof json.breakerState === 'number' ? json.breakerState : 0;
    const lastError = message ?? (failures > 0 ? (prev?.lastError ?? null) : null);
    if (json.ownState.value === CircuitState.Closed) {
      return { breakerKey: key, state: 'closed', failures, openedAt: null, updatedAt: at, lastError };
    }
    // After a replay the circuit can only be open because that replay just opened it: now, on our clock.
    return { breakerKey: key, state: 'open', failures, openedAt: at, updatedAt: at, lastError };
  }

  private async serialise(key: string, task: () => Promise<void>): Promise<void> {
    const prev = this.queues.get(key) ?? Promise.resolve();
    const next = prev.then(task, task);
    this.queues.set(key, next);
    try {
      await next;
    } finally {
      if (this.queues.get(key) === next) this.queues.delete(key);
    }
  }
}
