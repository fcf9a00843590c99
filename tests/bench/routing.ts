/**
 * Routing decision cost: applyConstraints + rankEndpoints (balanced, with
 * health) over 50 endpoints, against a plain sort of the same 50 endpoints by
 * price measured in the same run. Target: median under 0.1 ms per decision.
 */
import { performance } from 'node:perf_hooks';
import { RoutingOptions, UNKNOWN_POLICY, type Endpoint } from '../../shared/domain';
import { applyConstraints } from '../../electron/engine/router/constraints';
import type { EndpointHealth } from '../../electron/engine/router/health';
import { rankEndpoints } from '../../electron/engine/router/strategies';

const ENDPOINTS = 50;
const BATCHES = 300;
const PER_BATCH = 200;
const TARGET_MS = 0.1;

function fixture(): { endpoints: Endpoint[]; health: Map<string, EndpointHealth> } {
  const endpoints: Endpoint[] = [];
  const health = new Map<string, EndpointHealth>();
  for (let i = 0; i < ENDPOINTS; i++) {
    const id = `p${i}:model-${i % 7}`;
    endpoints.push({
      id,
      providerId: `p${i}`,
      upstreamModel: `model-${i % 7}`,
      modelId: 'lab/model',
      // Every tenth is a user endpoint with no stated price or policy, as in real use.
      price: i % 10 === 9 ? null : { inputPerM: 0.1 + (i % 13) * 0.3, outputPerM: 0.4 + (i % 11) * 0.9, cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers: [] },
      contextWindow: i % 10 === 9 ? null : 32_000 * (1 + (i % 4)),
      maxOutput: 8_192,
      capabilities: { tools: i % 6 !== 0, vision: i % 2 === 0, json: true, reasoning: null },
      policy: i % 10 === 9 ? UNKNOWN_POLICY : { ...UNKNOWN_POLICY, trainsOnData: i % 8 === 0, zdrAvailable: i % 3 === 0, jurisdiction: i % 10 === 5 ? 'CN' : i % 2 ? 'US' : 'EU' },
      source: i % 10 === 9 ? 'user' : 'catalog',
    });
    health.set(id, {
      endpointId: id, samples: 20, errorRate: i % 9 === 0 ? 0.5 : (i % 4) * 0.03, ttftP50Ms: 200 + i * 7, ttftP95Ms: 900 + i * 11,
      tokensPerSecond: 40 + (i % 17) * 5, lastErrorAt: null, lastErrorKind: null,
    });
  }
  return { endpoints, health };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median per-call time in ms, timed in batches so timer resolution does not dominate. */
function measure(fn: () => number): number {
  let sink = 0;
  for (let i = 0; i < 2_000; i++) sink += fn(); // warm-up: let the JIT settle
  const perCall: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    for (let i = 0; i < PER_BATCH; i++) sink += fn();
    perCall.push((performance.now() - t0) / PER_BATCH);
  }
  if (sink === -1) console.log(sink); // keeps the work observable to the optimiser
  return median(perCall);
}

export async function benchRouting(): Promise<{ name: string; medianMs: number; baselineMedianMs: number; ratio: number; note: string }> {
  const { endpoints, health } = fixture();
  // Constraints that exclude a realistic share (training, CN, no tools, unknown policy) and keep the rest.
  const routing = RoutingOptions.parse({ noTraining: true, jurisdictions: ['US', 'EU'], requireCapabilities: ['tools'] });
  const ctx = { promptTokens: 2_000, maxOutputTokens: 1_024 };
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const sample = applyConstraints(endpoints, routing, ctx);

  const medianMs = measure(() => {
    const { eligible } = applyConstraints(endpoints, routing, ctx);
    return rankEndpoints(eligible, routing.strategy, health, { order: routing.order, random }).length;
  });
  const baselineMedianMs = measure(() => {
    const cost = (e: Endpoint) => (e.price ? e.price.inputPerM + 3 * e.price.outputPerM : Infinity);
    return endpoints.slice().sort((a, b) => cost(a) - cost(b)).length;
  });
  return {
    name: `routing decision, ${ENDPOINTS} endpoints (constraints + balanced rank)`,
    medianMs,
    baselineMedianMs,
    ratio: medianMs / baselineMedianMs,
    note: `${sample.eligible.length} eligible, ${sample.excluded.length} excluded; baseline: plain sort of the same endpoints by price; target < ${TARGET_MS} ms median: ${medianMs < TARGET_MS ? 'met' : 'MISSED'}`,
  };
}
