/** Small builders for router tests: endpoints, health, a seeded RNG, and attempts written straight into SQLite. */
import { UNKNOWN_POLICY, type DataPolicy, type Endpoint, type Price } from '../../../shared/domain';
import type { EndpointHealth } from '../../../electron/engine/router/health';
import type { Store } from '../../../electron/store';
export { seeded } from '../../support/prng';

export function price(inputPerM: number, outputPerM: number, tiers: Price['tiers'] = []): Price {
  return { inputPerM, outputPerM, cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers };
}

export const KNOWN_POLICY: DataPolicy = {
  ...UNKNOWN_POLICY,
  retainsPrompts: false,
  trainsOnData: false,
  zdrAvailable: true,
  jurisdiction: 'US',
};

export function endpoint(id: string, over: Partial<Endpoint> = {}): Endpoint {
  const [providerId = id, upstreamModel = 'model'] = id.split(':');
  return {
    id,
    providerId,
    upstreamModel,
    modelId: `lab/${upstreamModel}`,
    price: price(1, 2),
    contextWindow: 128_000,
    maxOutput: 16_000,
    capabilities: { tools: true, vision: true, json: true, reasoning: false },
    policy: KNOWN_POLICY,
    source: 'catalog',
    ...over,
  };
}

export function health(endpointId: string, over: Partial<EndpointHealth> = {}): EndpointHealth {
  return {
    endpointId, samples: 10, errorRate: 0, ttftP50Ms: null, ttftP95Ms: null, tokensPerSecond: null, lastErrorAt: null, lastErrorKind: null,
    ...over,
  };
}

export function healthMap(...hs: EndpointHealth[]): Map<string, EndpointHealth> {
  return new Map(hs.map((h) => [h.endpointId, h]));
}


/** A run with one column to hang attempts on (attempts reference columns). */
export function seedColumn(store: Store, columnId = 'col-1'): string {
  const runId = `run-${columnId}`;
  store.db.prepare(`INSERT INTO runs (id, created_at, status, request_json, prompt_preview) VALUES (?, 0, 'done', '{}', '')`).run(runId);
  store.db.prepare(`INSERT INTO columns (id, run_id, idx, target, status, updated_at) VALUES (?, ?, 0, 't', 'ok', 0)`).run(columnId, runId);
  return columnId;
}

export interface TestAttempt {
  endpointId: string;
  status: 'ok' | 'error' | 'incomplete' | 'interrupted' | 'cancelled' | 'skipped' | 'running';
  startedAt: number;
  errorKind?: string | null;
  ttftMs?: number | null;
  tps?: number | null;
  keyIndex?: number | null;
}

let seq = 0;
export function addAttempt(store: Store, columnId: string, a: TestAttempt): void {
  const provider = a.endpointId.split(':')[0] ?? a.endpointId;
  store.db
    .prepare(`INSERT INTO attempts (column_id, seq, endpoint_id, provider, model, key_index, status, error_kind, started_at, ttft_ms, tps)
      VALUES (?, ?, ?, ?, 'm', ?, ?, ?, ?, ?, ?)`)
    .run(columnId, seq++, a.endpointId, provider, a.keyIndex ?? null, a.status, a.errorKind ?? null, a.startedAt, a.ttftMs ?? null, a.tps ?? null);
}
