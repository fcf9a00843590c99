/**
 * The pre-flight check before a fan-out: each column's exact input cost
 * (tokenised), its maximum output cost, the total, each first-choice
 * endpoint's data policy and jurisdiction, what the budgets say, and each
 * column's routing plan (the one the send will follow, see plan.ts).
 */
import type { CompareRequestInput } from '../../shared/domain';
import type { Estimate } from '../../shared/contract';
import { computeCost } from '../../shared/pricing';
import type { AppContext } from '../app/context';
import { maxOutputFor } from './budgets';
import { countPromptTokens, countTokens, MESSAGE_OVERHEAD } from './tokens';
import { inlineText, requiredModalities } from '../../shared/attachments';
import type { StoredAttachment } from '../store/attachments-repo';
import { attachmentTokenBound, binaryTokensFor, loadAttachments } from './attachments';
import type { PreparedRun } from './engine';

/** The text files of a request, inlined as the adapters send them (small: read here to count them exactly). */
function textAttachmentsOf(store: AppContext['store'], prepared: PreparedRun): string[] {
  const texts = new Map([...prepared.attachments].filter(([, a]) => a.mime === 'text/plain'));
  if (texts.size === 0) return [];
  const loaded = loadAttachments(store, texts);
  return prepared.request.messages.flatMap((m) =>
    (m.attachments ?? []).flatMap((a) => {
      const f = loaded.get(a.hash);
      return f && 'text' in f ? [inlineText(a.name, f.text)] : [];
    }),
  );
}

function countTexts(texts: readonly string[], modelId?: string): number {
  return texts.reduce((sum, t) => sum + MESSAGE_OVERHEAD + countTokens(t, modelId), 0);
}

function binaryOnly(stored: ReadonlyMap<string, StoredAttachment>): Map<string, StoredAttachment> {
  return new Map([...stored].filter(([, a]) => a.mime !== 'text/plain'));
}

export function estimateRun(ctx: Pick<AppContext, 'engine' | 'store'>, input: CompareRequestInput | unknown): Estimate {
  const { engine } = ctx;
  const bounded = engine.prepare(input);
  // Planned on the send's own token bound (constraints read it), so the plan is the one the send makes.
  const plans = engine.plan(bounded);
  // The pre-flight shows exact input tokens: worth the tokenizer's load time here.
  const texts = textAttachmentsOf(ctx.store, bounded);
  const binaryBound = attachmentTokenBound(bounded.request, binaryOnly(bounded.attachments));
  const prepared = { ...bounded, promptTokens: countPromptTokens(bounded.request) + countTexts(texts) + binaryBound };
  const needs = requiredModalities(bounded.request.messages);
  const exposures = engine.exposures(prepared);
  const columns = prepared.steps.map((steps, i) => {
    const target = prepared.request.targets[i]!;
    const plan = plans[i]?.steps ?? [];
    const first = plan.find((p) => p.ranked.length)?.ranked[0] ?? null;
    const refusal = first ? null : (plan.map((p) => p.refusal).filter(Boolean).join('; ') || (typeof steps === 'string' ? steps : 'no endpoint'));
    const maxOut = first ? maxOutputFor(exposures[i]!, first) : (prepared.request.params.maxTokens ?? 0);
    const price = first?.endpoint.price ?? null;
    // Images and PDFs by the first endpoint's protocol: estimated (documented rules, see shared/attachments.ts).
    const attachmentTokens = first ? binaryTokensFor(first.provider.type, prepared.request, prepared.attachments) + countTexts(texts, first.endpoint.modelId) : binaryBound + countTexts(texts);
    const inputTokens = first ? countPromptTokens(prepared.request, first.endpoint.modelId) + attachmentTokens : prepared.promptTokens;
    const unknownModalities = first && needs.length > 0 && !first.endpoint.inputModalities?.length;
    const pol = first?.endpoint.policy;
    return {
      target,
      endpointId: first?.endpoint.id ?? null,
      provider: first?.provider.id ?? null,
      inputTokens,
      inputCostUsd: price ? computeCost({ inputTokens, outputTokens: 0 }, price) : null,
      maxOutputTokens: maxOut,
      maxOutputCostUsd: price ? computeCost({ inputTokens, outputTokens: maxOut }, price) - computeCost({ inputTokens, outputTokens: 0 }, price) : null,
      jurisdiction: pol?.jurisdiction ?? null,
      retainsPrompts: pol?.retainsPrompts ?? null,
      trainsOnData: pol?.trainsOnData ?? null,
      zdrAvailable: pol?.zdrAvailable ?? null,
      error: refusal,
      plan: plans[i]?.view ?? null,
      ...(prepared.attachments.size ? { attachmentTokens } : {}),
      ...(unknownModalities ? { warnings: [`${first.endpoint.id}: the catalog does not say whether it accepts ${needs.map((n) => (n === 'pdf' ? 'PDFs' : 'images')).join(' or ')}; sending anyway`] } : {}),
    };
  });
  const totalMinUsd = columns.reduce((s, c) => s + (c.inputCostUsd ?? 0), 0);
  const totalMaxUsd = columns.reduce((s, c) => s + (c.inputCostUsd ?? 0) + (c.maxOutputCostUsd ?? 0), 0);
  const { warnings, blockedBy } = engine.budgets.evaluate(exposures);
  return { columns, totalMinUsd, totalMaxUsd, budgetWarnings: warnings, blockedBy };
}
