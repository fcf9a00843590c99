/**
 * The routing plan: for each column, the ordered endpoints (primary, then the
 * fallbacks across the chain) decided once, before anything is sent. The
 * pre-flight, `compare --dry-run` and the run call the same function with the
 * same inputs, so the endpoint the pre-flight names is the one the run tries
 * first. Balanced's draw is seeded from the request and the health snapshot
 * rather than drawn at send time: different prompts (and every new sample of
 * an endpoint's health) still spread load, but the same inputs give the same
 * plan in every process.
 */
import { createHash } from 'node:crypto';
import { routingFor, type CompareRequest, type PlannedEndpoint, type RoutePlan } from '../../shared/domain';
import { requiredModalities } from '../../shared/attachments';
import type { Store } from '../store';
import type { Candidate, ResolvedStep } from './resolve';
import { applyConstraints, explainNoEndpoint } from './router/constraints';
import { rankEndpoints } from './router/strategies';
import type { EndpointHealth, HealthService } from './router/health';
import { breakerKey, type Breakers } from './router/breaker';

/** Facts read once per fan-out and shared by its columns (16 columns of one model need one health read). */
export interface PlanMemo {
  misconfigured?: Set<string>;
  health: Map<string, EndpointHealth>;
  /** Endpoint id -> every key's circuit is open. */
  open?: Map<string, boolean>;
}

export interface PlanDeps {
  health: Pick<HealthService, 'getMany'>;
  breakers: Pick<Breakers, 'state'>;
  store: Pick<Store, 'routing'>;
  /** [0, 1) for balanced's draw, from a seed that is stable for the same request and health. */
  draw(seed: string): number;
}

export interface PlannedStep {
  ranked: Candidate[];
  refusal: string | null;
}

export interface ColumnPlan {
  steps: PlannedStep[];
  view: RoutePlan;
}

/**
 * A uniform [0, 1) from a seed string: 48 bits of its SHA-256.
 * @example seededDraw('x') === seededDraw('x') // true
 */
export function seededDraw(seed: string): number {
  return createHash('sha256').update(seed).digest().readUIntBE(0, 6) / 2 ** 48;
}

function circuitOpen(c: Candidate, deps: PlanDeps, memo: PlanMemo): boolean {
  const open = (memo.open ??= new Map());
  let v = open.get(c.endpoint.id);
  if (v === undefined) {
    const keys = Math.max(1, c.provider.keys.length);
    v = true;
    for (let k = 0; k < keys && v; k++) v = deps.breakers.state(breakerKey(c.provider.id, k, c.endpoint.upstreamModel)) === 'open';
    open.set(c.endpoint.id, v);
  }
  return v;
}

/** What the seed covers: the request's content, the column, and the health the weights came from. */
function drawSeed(req: CompareRequest, index: number, stepIndex: number, eligible: ReadonlyArray<{ id: string }>, health: ReadonlyMap<string, EndpointHealth>): string {
  const h = eligible.map((e) => {
    const x = health.get(e.id);
    return [e.id, x?.samples ?? 0, x?.errorRate ?? 0];
  });
  return JSON.stringify([req.system ?? null, req.messages, req.params, req.targets[index] ?? null, index, stepIndex, h]);
}

/**
 * Ranks the endpoints of each chain step under the request's constraints, best first.
 * A misconfigured endpoint (bad key, unknown model) goes last until it succeeds
 * again; one whose circuit is open goes behind the rest until its cool-down ends.
 */
export function planSteps(
  job: { request: CompareRequest; promptTokens: number; index: number },
  steps: ResolvedStep[],
  deps: PlanDeps,
  memo: PlanMemo = { health: new Map() },
): PlannedStep[] {
  const routing = routingFor(job.request, job.index);
  const misconfigured = (memo.misconfigured ??= new Set(deps.store.routing.listMisconfigured().map((m) => m.endpointId)));
  const planned: PlannedStep[] = [];
  const modalities = requiredModalities(job.request.messages);
  const features = [...(job.request.tools?.length ? ['tools' as const] : []), ...(job.request.responseFormat ? ['json' as const] : [])];
  for (let si = 0; si < steps.length; si++) {
    const s = steps[si]!;
    const byId = new Map(s.candidates.map((c) => [c.endpoint.id, c]));
    const { eligible, excluded } = applyConstraints(
      s.candidates.map((c) => c.endpoint),
      routing,
      { promptTokens: job.promptTokens, maxOutputTokens: job.request.params.maxTokens ?? null, modalities, features },
    );
    const missing = eligible.map((e) => e.id).filter((id) => !memo.health.has(id));
    if (missing.length) for (const [id, h] of deps.health.getMany(missing)) memo.health.set(id, h);
    const r = routing.strategy === 'balanced' && eligible.length > 1 ? deps.draw(drawSeed(job.request, job.index, si, eligible, memo.health)) : 0;
    const ranked = rankEndpoints(eligible, routing.strategy, memo.health, { order: routing.order, random: () => r }).map((e) => byId.get(e.id)!);
    const demotion = (c: Candidate) => (misconfigured.has(c.endpoint.id) ? 2 : circuitOpen(c, deps, memo) ? 1 : 0);
    ranked.sort((a, b) => demotion(a) - demotion(b));
    planned.push({ ranked, refusal: ranked.length ? null : explainNoEndpoint(s.step.raw, excluded) });
  }
  return planned;
}

function planned(c: Candidate, deps: PlanDeps, memo: PlanMemo): PlannedEndpoint {
  const e: PlannedEndpoint = { provider: c.provider.id, model: c.endpoint.modelId, upstream: c.endpoint.upstreamModel };
  if (circuitOpen(c, deps, memo)) e.circuitOpen = true;
  return e;
}

/**
 * A conversation's next turn goes first to the endpoint that served the one
 * before (same model, same provider: a reproducible comparison); the rest of
 * the plan stays behind it as fallbacks. An endpoint no longer planned
 * (removed, refused by the constraints) pins nothing.
 */
function pinFirst(plan: PlannedStep[], endpointId: string | null): PlannedStep[] {
  if (endpointId === null) return plan;
  const si = plan.findIndex((p) => p.ranked.some((c) => c.endpoint.id === endpointId));
  if (si < 0) return plan;
  const step = plan[si]!;
  const pinned = { ...step, ranked: [...step.ranked.filter((c) => c.endpoint.id === endpointId), ...step.ranked.filter((c) => c.endpoint.id !== endpointId)] };
  return [pinned, ...plan.filter((_, i) => i !== si)];
}

/**
 * The whole plan of one column: ranked steps (trimmed to the primary under
 * `noFallback`) and the view the pre-flight shows and the result carries.
 * @example planColumn({ request, promptTokens: 40, index: 0 }, steps, deps).view.primary // { provider: 'groq', model: 'meta/llama-3.1-8b', upstream: 'llama-3.1-8b-instant' }
 */
export function planColumn(
  job: { request: CompareRequest; promptTokens: number; index: number; pinned?: string | null },
  steps: ResolvedStep[],
  deps: PlanDeps,
  memo: PlanMemo = { health: new Map() },
): ColumnPlan {
  let plan = pinFirst(planSteps(job, steps, deps, memo), job.pinned ?? null);
  if (routingFor(job.request, job.index).noFallback) {
    const first = plan.find((p) => p.ranked.length);
    plan = first ? [{ ranked: first.ranked.slice(0, 1), refusal: null }] : plan.slice(0, 1);
  }
  const order = plan.flatMap((p) => p.ranked);
  const id = createHash('sha256')
    .update(JSON.stringify(plan.map((p) => p.ranked.map((c) => c.endpoint.id))))
    .digest('hex')
    .slice(0, 12);
  const [first, ...rest] = order.map((c) => planned(c, deps, memo));
  return { steps: plan, view: { id, primary: first ?? null, fallbacks: rest } };
}
