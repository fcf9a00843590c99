/**
 * The pre-flight check before a fan-out: each column's exact input cost
 * (tokenised), its maximum output cost, the total, each first-choice
 * endpoint's data policy and jurisdiction, what the budgets say, and each
 * column's routing plan (the one the send will follow, see plan.ts).
 *
 * The UI asks for it while the user types, so it must stay cheap on any
 * prompt: tokens are counted on the token worker within ESTIMATE_BUDGET_MS of
 * counting (past it, or on a pathological run of one character, the count is
 * an upper bound and the estimate says so), and a superseded estimate is
 * aborted through `signal` instead of counted to the end.
 */
import type { CompareRequestInput } from '../../shared/domain';
import type { Estimate } from '../../shared/contract';
import { computeCost } from '../../shared/pricing';
import type { AppContext } from '../app/context';
import { maxOutputFor } from './budgets';
import { countPromptForEstimate, encodingFor, type PromptCount } from './tokens';
import { inlineText, requiredModalities } from '../../shared/attachments';
import type { StoredAttachment } from '../store/attachments-repo';
import { attachmentTokenBound, binaryTokensFor, loadAttachments } from './attachments';
import type { PreparedRun } from './engine';

/**
 * The prompt as counted: text files join it as the messages of text the
 * adapters inline (counted with it, on the worker, within the same budget).
 */
function countedPrompt(store: AppContext['store'], prepared: PreparedRun): PreparedRun['request'] {
  const texts = new Map([...prepared.attachments].filter(([, a]) => a.mime === 'text/plain'));
  if (texts.size === 0) return prepared.request;
  const loaded = loadAttachments(store, texts);
  const inlined = prepared.request.messages.flatMap((m) =>
    (m.attachments ?? []).flatMap((a) => {
      const f = loaded.get(a.hash);
      return f && 'text' in f ? [{ role: 'user' as const, content: inlineText(a.name, f.text) }] : [];
    }),
  );
  return { ...prepared.request, messages: [...prepared.request.messages, ...inlined] };
}

function binaryOnly(stored: ReadonlyMap<string, StoredAttachment>): Map<string, StoredAttachment> {
  return new Map([...stored].filter(([, a]) => a.mime !== 'text/plain'));
}

/**
 * Time for validation and counting per estimate; the rest of a 1 MB prompt's
 * 100 ms goes to the HTTP body, JSON, planning and the reply: 10-20 ms on a
 * quiet machine, 40-50 ms with both cores busy (65 ms here left a loaded run
 * of 1 MB of prose at 111 ms median).
 */
export const ESTIMATE_BUDGET_MS = 45;

export async function estimateRun(ctx: Pick<AppContext, 'engine' | 'store'>, input: CompareRequestInput | unknown, signal?: AbortSignal): Promise<Estimate> {
  const { engine } = ctx;
  const started = performance.now();
  const bounded = engine.prepare(input);
  // Planned on the send's own token bound (constraints read it), so the plan is the one the send makes.
  const plans = engine.plan(bounded);
  const budgetLeft = () => Math.max(5, ESTIMATE_BUDGET_MS - (performance.now() - started));
  const counted = countedPrompt(ctx.store, bounded);
  const counts = await countPromptForEstimate(counted, ['o200k_base'], { budgetMs: budgetLeft(), signal });
  // Budgets see the images and PDFs at the largest any protocol charges (exposures span every candidate).
  const binaryBound = attachmentTokenBound(bounded.request, binaryOnly(bounded.attachments));
  const prepared = { ...bounded, promptTokens: counts.get('o200k_base')!.tokens + binaryBound };
  const needs = requiredModalities(bounded.request.messages);
  const exposures = engine.exposures(prepared);
  const firsts = prepared.steps.map((_, i) => {
    const plan = plans[i]?.steps ?? [];
    return { plan, first: plan.find((p) => p.ranked.length)?.ranked[0] ?? null };
  });
  // Only GPT-3.5/4 columns need a second encoding; most estimates count once.
  const more = [...new Set(firsts.map((f) => encodingFor(f.first?.endpoint.modelId)))].filter((e) => !counts.has(e));
  if (more.length) for (const [e, c] of await countPromptForEstimate(counted, more, { budgetMs: budgetLeft(), signal })) counts.set(e, c);
  const countFor = (modelId: string | undefined): PromptCount => counts.get(encodingFor(modelId))!;
  const columns = prepared.steps.map((steps, i) => {
    const target = prepared.request.targets[i]!;
    const { plan, first } = firsts[i]!;
    const refusal = first ? null : (plan.map((p) => p.refusal).filter(Boolean).join('; ') || (typeof steps === 'string' ? steps : 'no endpoint'));
    const maxOut = first ? maxOutputFor(exposures[i]!, first) : (prepared.request.params.maxTokens ?? 0);
    const price = first?.endpoint.price ?? null;
    const count = countFor(first?.endpoint.modelId);
    // Images and PDFs by the first endpoint's protocol: estimated (documented rules, see shared/attachments.ts).
    const binary = first ? binaryTokensFor(first.provider.type, prepared.request, prepared.attachments) : binaryBound;
    const inputTokens = count.tokens + binary;
    const unknownModalities = first && needs.length > 0 && !first.endpoint.inputModalities?.length;
    const pol = first?.endpoint.policy;
    return {
      target,
      endpointId: first?.endpoint.id ?? null,
      provider: first?.provider.id ?? null,
      inputTokens,
      inputTokensUpperBound: count.upperBound,
      inputCostUsd: price ? computeCost({ inputTokens, outputTokens: 0 }, price) : null,
      maxOutputTokens: maxOut,
      maxOutputCostUsd: price ? computeCost({ inputTokens, outputTokens: maxOut }, price) - computeCost({ inputTokens, outputTokens: 0 }, price) : null,
      jurisdiction: pol?.jurisdiction ?? null,
      retainsPrompts: pol?.retainsPrompts ?? null,
      trainsOnData: pol?.trainsOnData ?? null,
      zdrAvailable: pol?.zdrAvailable ?? null,
      error: refusal,
      plan: plans[i]?.view ?? null,
      ...(binaryOnly(prepared.attachments).size ? { attachmentTokens: binary } : {}),
      ...(() => {
        const warnings = [
          ...(unknownModalities ? [`${first.endpoint.id}: the catalog does not say whether it accepts ${needs.map((n) => (n === 'pdf' ? 'PDFs' : 'images')).join(' or ')}; sending anyway`] : []),
          ...(first && prepared.request.tools?.length && first.endpoint.capabilities.tools === null ? [`${first.endpoint.id}: the catalog does not say whether it can call tools; sending anyway`] : []),
        ];
        return warnings.length ? { warnings } : {};
      })(),
    };
  });
  const totalMinUsd = columns.reduce((s, c) => s + (c.inputCostUsd ?? 0), 0);
  const totalMaxUsd = columns.reduce((s, c) => s + (c.inputCostUsd ?? 0) + (c.maxOutputCostUsd ?? 0), 0);
  const { warnings, blockedBy } = engine.budgets.evaluate(exposures);
  const leftOut = bounded.leftOut.length ? { leftOut: bounded.leftOut } : {};
  return { columns, totalMinUsd, totalMaxUsd, upperBound: columns.some((c) => c.inputTokensUpperBound), budgetWarnings: warnings, blockedBy, ...leftOut };
}
