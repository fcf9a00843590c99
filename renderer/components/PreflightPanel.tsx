import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Estimate } from '../../shared/contract';
import type { PlannedEndpoint } from '../../shared/domain';
import { fact, type Fact } from '../lib/catalog';
import { formatUsd } from '../lib/spend';
import { useApp } from '../store';

export const PREFLIGHT_BLOCK_ID = 'preflight-blocked';

export interface PreflightPanelProps {
  estimate: Estimate | null;
  error: string | null;
  pending: boolean;
}

function Policy({ label, value, good }: { label: string; value: Fact; good: 'yes' | 'no' }) {
  const cls = value === 'unknown' ? 'fact-unknown' : value === good ? 'fact-good' : 'fact-bad';
  return (
    <span>
      <span className="muted">{label}</span> <span className={`fact ${cls}`}>{value}</span>
    </span>
  );
}

function endpointName(e: PlannedEndpoint): string {
  return `${e.provider}:${e.upstream}`;
}

/** The fallbacks in the order the send will try them, so a fallback badge later is no surprise. */
function Fallbacks({ fallbacks }: { fallbacks: PlannedEndpoint[] }) {
  if (fallbacks.length === 0) return null;
  const names = fallbacks.map((f) => `${endpointName(f)}${f.circuitOpen ? ' (circuit open)' : ''}`);
  return (
    <div className="preflight-line" data-testid="preflight-fallbacks" title={`if it fails: ${names.join(', then ')}`}>
      <span className="muted">then</span>
      <span className="mono ellipsis">{names.join(', ')}</span>
    </div>
  );
}

/** The min–max total; columns without a price make it a lower bound, and say so. */
export function totalText(e: Estimate): string {
  const unpriced = e.columns.filter((c) => !c.error && c.inputCostUsd === null).length;
  const priced = e.columns.filter((c) => !c.error && c.inputCostUsd !== null).length;
  if (unpriced > 0 && priced === 0) return 'price unknown';
  // A prompt too long to tokenise exactly in time is counted as an upper bound: say "at most", never a false exact.
  const range = `${e.upperBound ? 'at most ' : ''}${formatUsd(e.totalMinUsd)} – ${formatUsd(e.totalMaxUsd)}`;
  return unpriced ? `${range} + ${unpriced} unpriced` : range;
}

/** What the fan-out would cost and where each prompt would go, before anything is sent. */
export function PreflightPanel({ estimate, error, pending }: PreflightPanelProps) {
  if (!estimate && !error) {
    return pending ? (
      <section className="preflight" aria-label="Pre-flight estimate" data-testid="preflight">
        <p className="muted">Estimating…</p>
      </section>
    ) : null;
  }
  return (
    <section className={`preflight${pending ? ' stale' : ''}`} aria-label="Pre-flight estimate" aria-busy={pending} data-testid="preflight">
      <div className="preflight-head">
        <span className="field-label">Pre-flight</span>
        {estimate && (
          <span className="mono" data-testid="preflight-total" title="Input cost of every column, up to the cost if every column writes its maximum output">
            {totalText(estimate)}
          </span>
        )}
      </div>
      {error && (
        <p className="preflight-error field-error" data-testid="preflight-error" title={error}>
          {error}
        </p>
      )}
      {estimate && (
        <>
          <ul className="preflight-list">
            {estimate.columns.map((c, i) => (
              <li key={`${i}:${c.target}`} className="preflight-col" data-testid="preflight-column" data-target={c.target}>
                <div className="preflight-target">
                  <span className="mono ellipsis" title={c.target}>
                    {c.target}
                  </span>
                  {c.endpointId && c.endpointId !== c.target && (
                    <span className="mono muted ellipsis" data-testid="preflight-primary" title={`planned first: ${c.endpointId}`}>
                      → {c.endpointId}
                    </span>
                  )}
                </div>
                {c.plan && <Fallbacks fallbacks={c.plan.fallbacks} />}
                {c.error ? (
                  <p className="preflight-error field-error" title={c.error}>
                    {c.error}
                  </p>
                ) : (
                  <>
                    <div className="preflight-line mono">
                      {c.inputTokensUpperBound ? (
                        <span data-testid="preflight-tokens" title="An upper bound: the prompt has runs too long to tokenise exactly in time">
                          at most {c.inputTokens.toLocaleString('en-US')} tok
                        </span>
                      ) : (
                        <span
                          data-testid="preflight-tokens"
                          title={c.attachmentTokens ? `Prompt tokens, counted with the model's tokenizer; ${c.attachmentTokens.toLocaleString('en-US')} of them for images and PDFs, estimated by the protocol's rule` : "Prompt tokens, counted with the model's tokenizer"}
                        >
                          {c.attachmentTokens ? '~' : ''}
                          {c.inputTokens.toLocaleString('en-US')} tok
                        </span>
                      )}
                      <span title="Input cost at the endpoint's price">in {c.inputCostUsd === null ? <span className="fact fact-unknown">unknown</span> : formatUsd(c.inputCostUsd)}</span>
                      <span title={`Output cost if the answer runs to ${c.maxOutputTokens.toLocaleString('en-US')} tokens`}>
                        out ≤ {c.maxOutputCostUsd === null ? <span className="fact fact-unknown">unknown</span> : formatUsd(c.maxOutputCostUsd)}
                      </span>
                    </div>
                    {c.warnings?.map((w) => (
                      <p key={w} className="preflight-warn" data-testid="preflight-column-warning">
                        {w}
                      </p>
                    ))}
                    {c.jurisdiction === null && c.retainsPrompts === null && c.trainsOnData === null && c.zdrAvailable === null ? (
                      <div className="preflight-line">
                        <span>
                          <span className="muted">data policy</span> <span className="fact fact-unknown">unknown</span>
                        </span>
                      </div>
                    ) : (
                      <div className="preflight-line">
                        <span>
                          <span className="muted">where</span> {c.jurisdiction ?? <span className="fact fact-unknown">unknown</span>}
                        </span>
                        <Policy label="retains" value={fact(c.retainsPrompts)} good="no" />
                        <Policy label="trains" value={fact(c.trainsOnData)} good="no" />
                        <Policy label="ZDR" value={fact(c.zdrAvailable)} good="yes" />
                      </div>
                    )}
                  </>
                )}
              </li>
            ))}
          </ul>
          {estimate.budgetWarnings.map((w) => (
            <p key={w} className="preflight-warn" data-testid="preflight-warning">
              {w}
            </p>
          ))}
          {estimate.blockedBy && (
            <p className="preflight-blocked" role="alert" id={PREFLIGHT_BLOCK_ID} data-testid="preflight-blocked">
              Send is blocked: {estimate.blockedBy}
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** Re-estimates whenever the draft changes (debounced in the store) and after a run (spend moved). */
export function PreflightContainer() {
  const p = useApp(
    useShallow((s) => ({
      draft: s.draft,
      runStatus: s.activeRunId ? (s.live[s.activeRunId]?.status ?? null) : null,
      estimate: s.preflight,
      error: s.preflightError,
      pending: s.preflightPending,
      // A target found unservable leaves the estimate: it is asked again without it.
      checks: s.targetChecks,
      schedule: s.schedulePreflight,
    })),
  );
  const { draft, runStatus, checks, schedule } = p;
  useEffect(() => {
    schedule();
  }, [draft, runStatus, checks, schedule]);
  return <PreflightPanel estimate={p.estimate} error={p.error} pending={p.pending} />;
}
