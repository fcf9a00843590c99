import { failureParts, type RunTotals } from '../../shared/run-summary';
import { formatCost, formatMs } from '../lib/format';

/** Each failure under its own name: "failed" is only a column that got no answer. */
export function FailureCounts({ totals }: { totals: RunTotals }) {
  return (
    <>
      {failureParts(totals).map((p) => (
        <span key={p.kind} className={`count-${p.kind}`} data-testid={`count-${p.kind}`}>
          {p.count} {p.kind}
        </span>
      ))}
    </>
  );
}

const tokens = (n: number | null): string => (n === null ? '—' : n.toLocaleString('en-US'));

/** A run's summary row (History's open run, Compare's run bar): cost, TTFT, tokens and what failed how. */
export function RunTotalsRow({ totals }: { totals: RunTotals }) {
  return (
    <span className="run-totals" data-testid="run-totals">
      <span className="mono" title="total cost of the run">
        {formatCost(totals.costUsd)}
      </span>
      {totals.ttftFastestMs !== null && (
        <span title="time to first token: the fastest column, and the median over the columns that got one">
          TTFT <span className="mono">{formatMs(totals.ttftFastestMs)}</span> fastest · <span className="mono">{formatMs(totals.ttftMedianMs)}</span> median
        </span>
      )}
      {(totals.inputTokens !== null || totals.outputTokens !== null) && (
        <span title="tokens in / out, summed over the columns">
          <span className="mono">{tokens(totals.inputTokens)}</span> in / <span className="mono">{tokens(totals.outputTokens)}</span> out
        </span>
      )}
      <FailureCounts totals={totals} />
    </span>
  );
}
