/**
 * Crash recovery's second half: a column left `interrupted` by a dead process
 * had text the provider already billed. Its tokens are counted (output from
 * the text that arrived, input from the stored prompt and its attachments by
 * the same estimate the run uses when a provider reports no usage), priced at the price
 * the attempt was sent at, recorded as estimated, and put in the ledger once.
 *
 * Runs after start-up, off the event loop (the tokenizer worker), one column
 * per transaction: if this process dies too, the next start settles what is left.
 */
import type { Price, ProviderConfig } from '../../shared/domain';
import { computeCost } from '../../shared/pricing';
import type { Store } from '../store';
import type { UnsettledColumn } from '../store/runs-repo';
import { keyLabel } from './budgets';
import { resolveStep, type CatalogLike } from './resolve';
import { countPromptTokensAsync, countTokensBatch } from './tokens';
import { attachmentTokenBound, fallbackAttachmentTokens, loadAttachments, resolveAttachments } from './attachments';

const BATCH = 50;

/** The endpoint's model id (for the tokenizer and the ledger) and the catalog+override price in force now. */
function lookup(c: UnsettledColumn, provider: ProviderConfig | undefined, catalog: CatalogLike): { modelId: string; price: Price | null } {
  if (!provider) return { modelId: c.model, price: null };
  try {
    const ep = resolveStep({ kind: 'direct', provider: provider.id, upstreamModel: c.model, raw: `${provider.id}:${c.model}` }, new Map([[provider.id, provider]]), catalog).candidates[0]!.endpoint;
    return { modelId: ep.modelId || c.model, price: ep.price };
  } catch {
    return { modelId: c.model, price: null };
  }
}

/**
 * The attachments' input tokens, as a column that got no usage counts them
 * (images and PDFs by the protocol's rule, text files counted): an estimate,
 * as the settled usage says. Without the provider, the pre-flight's bound for
 * any protocol; a file no longer stored counts nothing rather than blocking the rest.
 */
async function attachmentTokens(store: Store, c: UnsettledColumn, provider: ProviderConfig | undefined, modelId: string): Promise<number> {
  if (!c.request.messages.some((m) => m.attachments?.length)) return 0;
  try {
    const { request, stored } = resolveAttachments(store, c.request);
    if (!provider) return attachmentTokenBound(request, stored);
    const texts = loadAttachments(store, new Map([...stored].filter(([, a]) => a.mime === 'text/plain')));
    return await fallbackAttachmentTokens(provider.type, request, stored, texts, modelId);
  } catch {
    return 0;
  }
}

/**
 * Settles every interrupted column still unsettled; resolves to how many this
 * process settled (another process may have taken some).
 * @example await settleInterrupted(store, catalog) // 1 after a kill -9 mid-stream
 */
export async function settleInterrupted(store: Store, catalog: CatalogLike, now: () => number = Date.now): Promise<number> {
  let settled = 0;
  const seen = new Set<string>();
  for (;;) {
    const batch = store.runs.unsettledInterrupted(BATCH).filter((c) => !seen.has(c.columnId));
    if (batch.length === 0) return settled;
    const providers = new Map(store.providers.list().map((p) => [p.id, p]));
    for (const c of batch) {
      seen.add(c.columnId);
      const provider = providers.get(c.provider);
      const { modelId, price: current } = lookup(c, provider, catalog);
      // The price recorded when the request went out; the current lookup only for attempts recorded before it was kept.
      const price = c.price ?? current;
      const [text, reasoning] = await countTokensBatch([c.text, c.reasoning], modelId);
      const inputTokens = (await countPromptTokensAsync(c.request, modelId)) + (await attachmentTokens(store, c, provider, modelId));
      const outputTokens = text! + reasoning!;
      const costUsd = price ? computeCost({ inputTokens, outputTokens, reasoningTokens: reasoning! }, price) : null;
      const at = now();
      const ledger = costUsd === null ? undefined : () => store.spend.record({
        columnId: c.columnId, runId: c.runId, at: c.sentAt, provider: c.provider, keyRef: keyLabel(provider?.keys[c.keyIndex ?? 0]),
        model: c.model, modelId, inputTokens, outputTokens, costUsd, estimated: true, ttftMs: null, totalMs: null,
      });
      if (store.runs.settleInterrupted(c, { inputTokens, outputTokens, reasoningTokens: reasoning!, costUsd, price }, at, ledger)) settled++;
    }
  }
}
