import { memo, useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { ColumnResult } from '../../shared/domain';
import { columnHeader, failureCause } from '../lib/format';
import { AttemptsTimeline } from './AttemptsTimeline';
import { ColumnHeader, type ColumnActions } from './ColumnHeader';
import { Markdown } from './Markdown';
import { ColumnResizer } from './ColumnResizer';
import { useFollow } from './useFollow';
import { useOnScreen } from './useOnScreen';
import { useCopied } from './useCopied';
import { StructuredBadge, ToolCalls } from './ToolCalls';

export interface ColumnViewProps {
  column: ColumnResult;
  actions: ColumnActions;
  width: number | null;
  onResize?: (width: number | null) => void;
  /** Keep the newest text in view while it streams (live runs), unless the reader scrolls up. */
  follow?: boolean;
  liveTtftMs?: number | null;
  /** Told when the column scrolls into or out of the strip's view. */
  onScreenChange?: (onScreen: boolean) => void;
  /** The run still streams in other columns (Retry waits for it). */
  runActive?: boolean;
  /** A conversation's earlier turns, above the latest answer. */
  earlier?: ReactNode;
  /** Under the body: the column's conversation actions. */
  footer?: ReactNode;
  /** Results typed for this column's tool calls, and where a new one goes (live runs only). */
  toolResults?: Readonly<Record<string, string>>;
  onToolResult?(callId: string, value: string): void;
}

/** One answer: header with metrics, attempts, the failure cause, reasoning and the reply. */
export const ColumnView = memo(function ColumnView({ column, actions, width, onResize, follow = false, liveTtftMs = null, onScreenChange, runActive = false, earlier, footer, toolResults, onToolResult }: ColumnViewProps) {
  const sectionRef = useRef<HTMLElement>(null);
  const streaming = column.status === 'running' || column.status === 'queued';
  const cause = failureCause(column);
  const failed = column.status === 'error' || column.status === 'incomplete' || column.status === 'interrupted';

  const [copied, setCopied] = useCopied();
  const shownActions = useMemo<ColumnActions>(() => {
    const copy = actions.onCopy;
    if (!copy) return actions;
    return { ...actions, onCopy: () => void Promise.resolve(copy()).then(() => setCopied(true), () => undefined) };
  }, [actions]);

  const onScreen = useOnScreen(sectionRef);
  const bodyRef = useRef<HTMLDivElement>(null);
  const innerRef = useRef<HTMLDivElement>(null);
  useFollow(bodyRef, innerRef, follow);
  useEffect(() => onScreenChange?.(onScreen), [onScreen, onScreenChange]);

  const style = width ? { flex: `0 0 ${width}px`, width } : undefined;
  return (
    <section
      ref={sectionRef}
      className={`col col--${column.status}`}
      style={style}
      data-testid="column"
      data-column-id={column.columnId}
      data-status={column.status}
      aria-label={`column ${column.index + 1}: ${column.target}`}
    >
      <ColumnHeader index={column.index} target={column.target} view={columnHeader(column, liveTtftMs)} actions={shownActions} copied={copied} retryWaits={runActive} />
      <AttemptsTimeline attempts={column.attempts} fellBack={column.fellBack} />
      <div className="col-body" data-testid="column-body" tabIndex={0} ref={bodyRef}>
        <div className="col-body-inner" ref={innerRef}>
          {earlier}
          {failed && cause && (
            <div className={`col-error${column.status === 'error' ? '' : ' col-error-soft'}`} role="alert" data-testid="column-error">
              {cause}
            </div>
          )}
          {column.status === 'cancelled' && !column.text && <p className="col-empty">Stopped before any text arrived.</p>}
          {column.reasoning && (
            <details className="reasoning" data-testid="column-reasoning">
              <summary>
                Reasoning <span className="muted">({column.reasoning.length.toLocaleString('en-US')} chars{streaming && !column.text ? ', streaming' : ''})</span>
              </summary>
              <div className="reasoning-text">{column.reasoning}</div>
            </details>
          )}
          {column.text ? (
            <Markdown text={column.text} streaming={streaming} paused={!onScreen} />
          ) : (
            streaming && <p className="col-empty">{column.status === 'queued' ? 'Queued…' : 'Waiting for the first token…'}</p>
          )}
          {column.status === 'ok' && !column.text && !column.reasoning && !column.toolCalls?.length && <p className="col-empty">The model returned an empty answer.</p>}
          {column.toolCalls && <ToolCalls calls={column.toolCalls} results={toolResults} onResult={onToolResult} />}
          {column.structured && <StructuredBadge check={column.structured} />}
        </div>
      </div>
      {footer}
      {onResize && <ColumnResizer target={sectionRef} index={column.index} width={width} onResize={onResize} />}
    </section>
  );
});
