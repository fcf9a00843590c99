/**
 * Checks targets as the window adds them: each one servable now, or why not
 * and which provider to add (or fix) so it is. The window says this on the
 * target's chip, so the reason is worded for the window, never "run
 * switchyard providers add".
 */
import type { TargetCheck, TargetFix } from '../../shared/contract';
import type { ProviderConfig } from '../../shared/domain';
import { quote } from '../../shared/quote';
import { parseTarget, TargetSyntaxError, type TargetStep } from '../../shared/targets';
import type { CatalogProvider } from '../../shared/catalog-types';
import { oneLine } from './errors';
import { resolveStep, type CatalogLike } from './resolve';

export interface CheckDeps {
  providers: ReadonlyMap<string, ProviderConfig>;
  catalog: CatalogLike & { providerInfo(id: string): CatalogProvider | null };
  /** The engine's own validation of a one-target request (resolve and keys); throws the reason. */
  prepare(target: string): void;
}

/** Add provider `id`, prefilled with what the catalog knows of it (protocol, base URL, key variable). */
function addFix(id: string, deps: CheckDeps): TargetFix {
  const info = deps.catalog.providerInfo(id);
  return { action: 'add', providerId: id, type: info?.protocol ?? null, baseUrl: info?.api ?? null, keyEnv: info?.env[0] ?? null };
}

/** Why one step cannot be served, in the window's words, with the fix; null when it can. */
function stepProblem(step: TargetStep, deps: CheckDeps): { reason: string; fix: TargetFix | null } | null {
  const provider = step.kind === 'model' ? null : step.provider;
  if (provider && !deps.providers.has(provider)) return { reason: `no provider ${quote(provider)} is configured`, fix: addFix(provider, deps) };
  try {
    resolveStep(step, deps.providers, deps.catalog);
    return null;
  } catch (err) {
    if (step.kind === 'direct') return { reason: oneLine(err), fix: null };
    const at = [...new Set(deps.catalog.endpointsFor(step.modelId).map((e) => e.providerId))];
    if (step.kind === 'pinned') {
      const fix: TargetFix = { ...addFix(step.provider, deps), action: 'edit' };
      return { reason: `provider ${quote(step.provider)} does not serve ${quote(step.modelId)}`, fix };
    }
    if (at.length === 0) return { reason: `${quote(step.modelId)} is not in the catalog and no configured provider serves it`, fix: null };
    // The first provider the catalog lists that is not configured under its own id already.
    const first = at.find((id) => !deps.providers.has(id)) ?? at[0]!;
    return { reason: `no configured provider serves ${quote(step.modelId)} (the catalog lists it at: ${at.slice(0, 5).join(', ')})`, fix: addFix(first, deps) };
  }
}

function checkOne(target: string, deps: CheckDeps): TargetCheck {
  let steps: TargetStep[];
  try {
    steps = parseTarget(target).steps;
  } catch (err) {
    return { target, ok: false, reason: err instanceof TargetSyntaxError ? err.message : oneLine(err), fix: null };
  }
  for (const step of steps) {
    const problem = stepProblem(step, deps);
    if (problem) return { target, ok: false, ...problem };
  }
  try {
    deps.prepare(target);
  } catch (err) {
    // Resolved, but the engine still refuses it: a missing key. The fix is the provider's form.
    const id = steps.flatMap((s) => (s.kind === 'model' ? [] : [s.provider]))[0] ?? null;
    const fix: TargetFix | null = id ? { ...addFix(id, deps), action: 'edit' } : null;
    return { target, ok: false, reason: oneLine(err), fix };
  }
  return { target, ok: true, reason: null, fix: null };
}

/** @example checkTargets(['openai:gpt-4o-mini', 'nope:x'], deps)[1].reason // 'no provider "nope" is configured' */
export function checkTargets(targets: readonly string[], deps: CheckDeps): TargetCheck[] {
  return targets.map((t) => checkOne(t, deps));
}
