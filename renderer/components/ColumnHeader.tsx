import { memo } from 'react';
import type { ColumnHeaderView } from '../lib/format';

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
  (a: ColumnHeaderProps, b: ColumnHeaderProps) => a.index === b.index && a.target === b.target && a.actions === b.actions && a.copied === b.copied && sameView(a.view, b.view),
);

function ColumnHeaderImpl({ index, target, view, actions, copied = false }: ColumnHeaderProps) {
  const active = ACTIVE.has(view.status);
  return (
    <header className="col-head">
      <div className="col-head-row">
        <span className="col-index" aria-hidden="true">
          {index + 1}
        </span>
        <span
          className={`col-served mono${view.servedByPending ? ' pending' : ''}`}
          data-testid="column-served-by"
          title={view.servedBy === target ? target : `${view.servedBy}\nrequested: ${target}`}
        >
          {view.servedBy}
        </span>
        {view.fellBack && (
          <span className="badge badge-warn" data-testid="column-fellback" title={`requested ${target}; a fallback endpoint served it`}>
            fell back
          </span>
        )}
        <span className="col-actions">
          {actions.onStop && active && (
            <button type="button" className="btn-icon" data-testid="column-stop" onClick={actions.onStop} aria-label={`stop column ${index + 1}`} title="Stop this column">
              Stop
            </button>
          )}
          {actions.onRetry && !active && (
            <button type="button" className="btn-icon" data-testid="column-retry" onClick={actions.onRetry} aria-label={`retry column ${index + 1}`} title="Run this column again">
              Retry
            </button>
          )}
          {actions.onCopy && view.hasText && (
            <button type="button" className="btn-icon" data-testid="column-copy" onClick={actions.onCopy} aria-label={`copy column ${index + 1}`} title="Copy the answer">
              {copied ? 'Copied' : 'Copy'}
            </button>
          )}
        </span>
      </div>
      <div className="col-head-stats">
        <span className={`status status-${view.status}`} data-testid="column-status">
          {view.statusLabel}
        </span>
        <dl className="col-metrics">
          <Metric label="TTFT" value={view.ttft} testId="column-ttft" />
          <Metric label="total" value={view.total} testId="column-total" />
          <Metric label="speed" value={view.tps} testId="column-tps" />
          <Metric label="in" value={view.tokensIn} testId="column-tokens-in" />
          <Metric label="out" value={view.tokensOut} testId="column-tokens-out" />
          <Metric label="cost" value={view.cost} testId="column-cost" title={view.costNote ?? undefined} flag={!!view.costNote} />
        </dl>
      </div>
    </header>
  );
}

function Metric({ label, value, testId, title, flag }: { label: string; value: string; testId: string; title?: string | undefined; flag?: boolean }) {
  return (
    <div className="metric" title={title}>
      <dt>{label}</dt>
      <dd className={flag ? 'flagged' : undefined} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
