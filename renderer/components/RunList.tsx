import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { RunSummary } from '../../shared/domain';
import { summarizeRun, type RunTotals } from '../../shared/run-summary';
import { formatCost, formatDate } from '../lib/format';
import { FailureCounts } from './RunTotals';

const ROW_HEIGHT = 62;
// The models have a line of their own: two typical ids ("openai/gpt-4o-mini") fit its ~350px; the count says how many more hide in the title.
const SHOWN_TARGETS = 2;

export interface RunListProps {
  runs: RunSummary[];
  /** The search these runs answer: an empty list means "no match", not "no history". */
  query: string;
  /** Filters are set: an empty list means none match them. */
  filtered?: boolean;
  selectedId: string | null;
  hasMore: boolean;
  loading: boolean;
  onOpen(runId: string): void;
  onEndReached(): void;
  /** Runs ticked for export; with `onPick`, each row gets a checkbox. */
  picked?: ReadonlySet<string>;
  /** `range`: shift-click. */
  onPick?(runId: string, range: boolean): void;
}

/** A summary from an older host has statuses only: counted the same, without the figures. */
function totalsOf(s: RunSummary): RunTotals {
  return summarizeRun(s.columns ?? s.columnStatuses.map((status) => ({ status, costUsd: null, ttftMs: null, inputTokens: null, outputTokens: null })));
}

/** Virtualised: history grows without bound, the DOM should not. */
export function RunList({ runs, query, filtered = false, selectedId, hasMore, loading, onOpen, onEndReached, picked, onPick }: RunListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: runs.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];

  useEffect(() => {
    if (last && last.index >= runs.length - 5 && hasMore && !loading) onEndReached();
  }, [last, runs.length, hasMore, loading, onEndReached]);

  const go = (index: number): void => {
    const next = runs[Math.min(runs.length - 1, Math.max(0, index))];
    if (next) {
      onOpen(next.runId);
      virtualizer.scrollToIndex(runs.indexOf(next));
    }
  };
  const move = (delta: number): void => go(runs.findIndex((r) => r.runId === selectedId) + delta);

  return (
    <div
      ref={scrollRef}
      className="run-list"
      data-testid="history-list"
      role="listbox"
      aria-label="Past runs"
      tabIndex={0}
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          move(e.key === 'ArrowDown' ? 1 : -1);
        } else if (e.key === 'Home' || e.key === 'End') {
          e.preventDefault();
          // End means the last run loaded so far: reaching it loads the next page, as scrolling does.
          go(e.key === 'Home' ? 0 : runs.length - 1);
        }
      }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const run = runs[item.index]!;
          const totals = totalsOf(run);
          const hidden = run.targets.length - SHOWN_TARGETS;
          return (
            <div
              key={run.runId}
              role="option"
              aria-selected={run.runId === selectedId}
              className={`run-row${run.runId === selectedId ? ' selected' : ''}${onPick ? ' has-pick' : ''}`}
              data-testid="history-row"
              data-run-id={run.runId}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              onClick={() => onOpen(run.runId)}
            >
              {onPick && (
                <input
                  type="checkbox"
                  className="run-pick"
                  data-testid="history-pick"
                  aria-label={`Pick for export: ${run.promptPreview.slice(0, 60) || run.runId}`}
                  checked={picked?.has(run.runId) ?? false}
                  // Toggled on click, not change: only the click knows about Shift (a range).
                  onChange={() => undefined}
                  onClick={(e) => {
                    e.stopPropagation();
                    onPick(run.runId, e.shiftKey);
                  }}
                />
              )}
              <div className="run-prompt" title={run.promptPreview}>
                {run.promptPreview || <span className="muted">(empty prompt)</span>}
              </div>
              <div className="run-models mono" title={run.targets.join('\n')} data-testid="history-row-models">
                <span className="run-models-names">{run.targets.slice(0, SHOWN_TARGETS).join(', ')}</span>
                {hidden > 0 && (
                  <span className="run-models-more">
                    +{hidden}
                    <span className="sr-only"> more</span>
                  </span>
                )}
                {run.tags && run.tags.length > 0 && (
                  <span className="run-tags" data-testid="history-row-tags" title={run.tags.join(', ')}>
                    <span className="sr-only">tags: </span>
                    {run.tags.map((t) => (
                      <span key={t} className="run-tag">
                        {t}
                      </span>
                    ))}
                  </span>
                )}
              </div>
              <div className="run-meta">
                <span>{formatDate(run.createdAt)}</span>
                <span className="mono">{formatCost(run.costUsd)}</span>
                {run.status !== 'done' && <span className={`status status-${run.status === 'running' ? 'running' : 'interrupted'}`}>{run.status}</span>}
                <span className="run-counts">
                  {totals.ok > 0 && <span className="count-ok">{totals.ok} ok</span>}
                  <FailureCounts totals={totals} />
                </span>
              </div>
            </div>
          );
        })}
      </div>
      {runs.length === 0 && !loading && (
        <p className="empty" data-testid="history-empty">
          {query.trim() ? `No runs match “${query.trim()}”${filtered ? ' with these filters' : ''}.` : filtered ? 'No runs match these filters.' : 'No runs yet.'}
        </p>
      )}
    </div>
  );
}
