/**
 * Live health of each endpoint, from this machine's own recorded attempts:
 * the attempts table is the source of truth, so a restart keeps it and every
 * process on the same data directory sees the same numbers.
 */
import type { AttemptSample, RoutingRepo } from '../../store/routing-repo';
import { isEndpointFault } from './classify';

export interface EndpointHealth {
  endpointId: string;
  /** Finished attempts in the window that say something about the endpoint. */
  samples: number;
  /** 0..1; 0 when there are no samples (no evidence against it). */
  errorRate: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  /** Median output tokens per second over attempts that reported it. */
  tokensPerSecond: number | null;
  lastErrorAt: number | null;
  lastErrorKind: string | null;
}

export interface HealthOptions {
  windowMs: number;
  maxSamples: number;
}

export const DEFAULT_HEALTH: HealthOptions = { windowMs: 30 * 60_000, maxSamples: 50 };

/** Linear interpolation between closest ranks; `sorted` ascending and non-empty. */
function percentile(sorted: readonly number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  return a + (sorted[hi]! - a) * (pos - lo);
}

function ascending(a: number, b: number): number {
  return a - b;
}

/**
 * Only an attempt that ended in `error` or `incomplete` for a reason of the
 * endpoint's own counts against it. `interrupted` means our process died, and
 * budget/policy/config stops are ours too (they rarely reach the table at all).
 */
function counts(s: AttemptSample): boolean {
  return s.status !== 'interrupted' && isEndpointFault(s.errorKind);
}

function failed(s: AttemptSample): boolean {
  return s.status === 'error' || s.status === 'incomplete';
}

/**
 * Pure summary of an endpoint's samples (any order).
 * @example summarizeHealth('groq:llama', samples).errorRate // 0.25 when 1 of 4 failed
 */
export function summarizeHealth(endpointId: string, samples: readonly AttemptSample[]): EndpointHealth {
  let n = 0;
  let failures = 0;
  let lastErrorAt: number | null = null;
  let lastErrorKind: string | null = null;
  const ttft: number[] = [];
  const tps: number[] = [];
  for (const s of samples) {
    if (!counts(s)) continue;
    n++;
    if (failed(s)) {
      failures++;
      if (lastErrorAt === null || s.startedAt > lastErrorAt) {
        lastErrorAt = s.startedAt;
        lastErrorKind = s.errorKind;
      }
    }
    // A first token that arrived is a latency fact even if the stream later broke.
    if (s.ttftMs !== null && s.ttftMs >= 0) ttft.push(s.ttftMs);
    if (s.status === 'ok' && s.tps !== null && s.tps > 0) tps.push(s.tps);
  }
  ttft.sort(ascending);
  tps.sort(ascending);
  return {
    endpointId,
    samples: n,
    errorRate: n === 0 ? 0 : failures / n,
    ttftP50Ms: ttft.length ? percentile(ttft, 0.5) : null,
    ttftP95Ms: ttft.length ? percentile(ttft, 0.95) : null,
    tokensPerSecond: tps.length ? percentile(tps, 0.5) : null,
    lastErrorAt,
    lastErrorKind,
  };
}

/**
 * Health over a sliding window that is bounded both by time (old behaviour
 * stops mattering) and by count (a busy endpoint's last N attempts are enough,
 * and recovery shows quickly).
 */
export class HealthService {
  private readonly opts: HealthOptions;

  constructor(
    private readonly repo: RoutingRepo,
    opts: Partial<HealthOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.opts = { ...DEFAULT_HEALTH, ...opts };
  }

  get(endpointId: string): EndpointHealth {
    const since = this.now() - this.opts.windowMs;
    return summarizeHealth(endpointId, this.repo.recentAttempts(endpointId, since, this.opts.maxSamples));
  }

  getMany(endpointIds: Iterable<string>): Map<string, EndpointHealth> {
    const out = new Map<string, EndpointHealth>();
    for (const id of endpointIds) if (!out.has(id)) out.set(id, this.get(id));
    return out;
  }

  /** Every endpoint with an attempt inside the time window, most-sampled first. */
  list(): EndpointHealth[] {
    const since = this.now() - this.opts.windowMs;
    const ids = this.repo.endpointsSeenSince(since);
    return ids.map((id) => this.get(id)).sort((a, b) => b.samples - a.samples || a.endpointId.localeCompare(b.endpointId));
  }
}
