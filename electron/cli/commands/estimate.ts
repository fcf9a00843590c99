/** `compare --dry-run`: the pre-flight estimate and data policies; nothing is sent. */
import type { CompareRequestInput, PlannedEndpoint } from '../../../shared/domain';
import type { AppContext } from '../../app/context';
import { estimateRun } from '../../engine/estimate';
import { EXIT_NOT_OK, EXIT_OK } from '../errors';
import { fmtUsd, table } from '../output';

const yn = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');
const at = (e: PlannedEndpoint) => `${e.provider}:${e.upstream}${e.circuitOpen ? ' (circuit open)' : ''}`;

export async function runDryRun(ctx: AppContext, request: CompareRequestInput, json: boolean, out: NodeJS.WritableStream): Promise<number> {
  const e = await estimateRun(ctx, request);
  if (json) {
    out.write(JSON.stringify(e, null, 2) + '\n');
  } else {
    out.write(
      table(
        ['target', 'endpoint', 'tokens in', 'input cost', 'max out', 'max output cost', 'jurisdiction', 'retains', 'trains', 'ZDR'],
        e.columns.map((c) => [c.target, c.endpointId ?? `- (${c.error})`, c.inputTokensUpperBound ? `at most ${c.inputTokens}` : String(c.inputTokens), fmtUsd(c.inputCostUsd), String(c.maxOutputTokens), fmtUsd(c.maxOutputCostUsd), c.jurisdiction ?? 'unknown', yn(c.retainsPrompts), yn(c.trainsOnData), yn(c.zdrAvailable)]),
      ) + '\n',
    );
    // The order the send will try, so a fallback in the result is never a surprise.
    for (const [i, c] of e.columns.entries()) {
      if (c.plan?.primary) out.write(`[${i + 1}] plan: ${[c.plan.primary, ...c.plan.fallbacks].map(at).join(', then ')}\n`);
    }
    for (const [i, c] of e.columns.entries()) {
      if (c.attachmentTokens) out.write(`[${i + 1}] images and PDFs: ~${c.attachmentTokens} tokens (estimated, included in tokens in)\n`);
      for (const w of c.warnings ?? []) out.write(`[${i + 1}] warning: ${w}\n`);
    }
    out.write(`total: ${e.upperBound ? 'at most ' : ''}${fmtUsd(e.totalMinUsd)} (input) to ${fmtUsd(e.totalMaxUsd)} (at max output)\n`);
    if (e.upperBound) out.write('note: the prompt has runs too long to tokenise exactly in time; input tokens are an upper bound\n');
    for (const w of e.budgetWarnings) out.write(`warning: ${w}\n`);
    if (e.blockedBy) out.write(`blocked: ${e.blockedBy}\n`);
    for (const l of e.leftOut ?? []) out.write(`left out: ${l.target}: ${l.reason}\n`);
  }
  return e.blockedBy || e.leftOut?.length || e.columns.some((c) => c.error) ? EXIT_NOT_OK : EXIT_OK;
}
