import { memo } from 'react';
import type { ColumnHeaderView } from '../lib/format';
import { shortenMiddle } from '../lib/shorten';

/** Characters of the asked-for target a header shows; a longer name loses its middle, never its ends. */
export const TARGET_CHARS = 34;

export interface ColumnActions {
  onStop?: () => void;
  onRetry?: () => void;
  /** Resolves once copied; a rejection means nothing was copied. */
  onCopy?: () => Promise<void> | void;
}

const ACTIVE = new Set(['queued', 'running']);

export interface ColumnHeaderProps {
  index: number;
  target: string;
  view: ColumnHeaderView;
  actions: ColumnActions;
  copied?: boolean;
  /** Other columns of the run still stream: the engine retries a column of a finished run only. */
  retryWaits?: boolean;
}

function sameView(a: ColumnHeaderView, b: ColumnHeaderView): boolean {
  for (const k of Object.keys(a) as Array<keyof ColumnHeaderView>) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * The column's view is rebuilt on every streamed frame, but its fields change a
 * few times per answer: compared field by field, the header re-renders only then.
 */
export const ColumnHeader = memo(
  ColumnHeaderImpl,
  (a: ColumnHeaderProps, b: ColumnHeaderProps) =>
    a.index === b.index && a.target === b.target && a.actions === b.actions && a.copied === b.copied && a.retryWaits === b.retryWaits && sameView(a.view, b.view),
);

function ColumnHeaderImpl({ index, target, view, actions, copied = false, retryWaits = false }: ColumnHeaderProps) {
  const active = ACTIVE.has(view.status);
  return (
    <header className="col-head">
      <div className="col-head-row">
        <span className="col-index" aria-hidden="true">
          {index + 1}
        </span>
        {/* Focusable, so a keyboard user can read the whole name too (shown on :focus-visible). */}
        <span className="col-target mono" data-testid="column-target" tabIndex={0} title={target} aria-label={`column ${index + 1}: ${target}`} data-full={target}>
          {shortenMiddle(target, TARGET_CHARS)}
        </span>
        {view.fellBack && (
          <span className="badge badge-warn" data-testid="column-fellback" title={`requested ${target}; a fallback endpoint served it`}>
            fell back
          </span>
        )}
        {view.replanned && (
          <span className="badge badge-warn" data-testid="column-replanned" title="Health changed between the pre-flight and the send (a circuit opened, an endpoint began failing): the run planned again">
            re-planned
          </span>
        )}
        <span className="col-actions">
          {/* One button that turns from Stop into Retry, so keyboard focus stays on it when it does. */}
          {active && actions.onStop ? (
            <button key="act" type="button" className="btn-icon" data-testid="column-stop" onClick={actions.onStop} aria-label={`stop column ${index + 1}`} title="Stop this column">
              Stop
            </button>
          ) : !active && actions.onRetry ? (
            <button
              key="act"
              type="button"
              className="btn-icon"
              data-testid="column-retry"
              aria-disabled={retryWaits || undefined}
              onClick={retryWaits ? undefined : actions.onRetry}
              aria-label={`retry column ${index + 1}`}
              title={retryWaits ? 'Retry waits for the other columns to finish (or Stop all)' : 'Run this column again'}
            >
              Retry
            </button>
          ) : null}
          {actions.onCopy && view.hasText && (
            <button type="button" className="btn-icon" data-testid="column-copy" onClick={actions.onCopy} aria-label={`copy column ${index + 1}`} title="Copy the answer">
              {copied ? 'Copied' : 'Copy'}
            </button>
          )}
        </span>
      </div>
      <div className="col-head-row">
        <span
          className={`col-served mono${view.servedByPending ? ' pending' : ''}`}
          data-testid="column-served-by"
          title={view.servedByPending ? `not served yet: ${target}` : `served by ${view.servedBy}`}
        >
          <ServedBy value={view.servedBy} />
        </span>
      </div>
      <div className="col-head-stats">
        <span className={`status status-${view.status}`} data-testid="column-status">
          {view.statusLabel}
        </span>
        <dl className="col-metrics">
          <Metric label="TTFT" value={view.ttft} testId="column-ttft" kind="ttft" />
          <Metric label="total" value={view.total} testId="column-total" kind="total" />
          <Metric label="speed" value={view.tps} testId="column-tps" kind="tps" />
          <Metric label="in" value={view.tokensIn} testId="column-tokens-in" kind="tokens" />
          <Metric label="out" value={view.tokensOut} testId="column-tokens-out" kind="tokens" />
          <Metric label="cost" value={view.cost} testId="column-cost" title={view.costNote ?? undefined} flag={!!view.costNote} kind="cost" />
        </dl>
      </div>
    </header>
  );
}

/**
 * "provider · model" in a narrow header: the provider gives way first, then the
 * model's start, so sixteen columns of one provider still read apart by the
 * end of their names ("…long-name-16"), where versions and sizes usually are.
 */
function ServedBy({ value }: { value: string }) {
  const at = value.indexOf(':');
  if (at <= 0) return <span className="served-model">{value}</span>;
  return (
    <>
      <span className="served-provider">{value.slice(0, at)}</span>
      <span className="served-sep">
        {' · '}
      </span>
      <span className="served-model">
        <bdi>{value.slice(at + 1)}</bdi>
      </span>
    </>
  );
}

function Metric({ label, value, testId, title, flag, kind }: { label: string; value: string; testId: string; title?: string | undefined; flag?: boolean; kind: string }) {
  return (
    <div className={`metric metric-${kind}`} title={title}>
      <dt>{label}</dt>
      <dd className={flag ? 'flagged' : undefined} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
