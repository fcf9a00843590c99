import { memo } from 'react';
import type { AttemptRecord } from '../../shared/domain';
import { formatMs } from '../lib/format';

/**
 * A timeout is the engine's own verdict, not something the provider said, so
 * it gets a name of its own; a stall says how long the stream went quiet (the
 * engine's message carries the limit in force, the request's idle timeout).
 */
function timeoutLabel(a: AttemptRecord): string | null {
  switch (a.errorKind) {
    case 'timeout_idle': {
      const ms = /stalled for (\d+) ms/.exec(a.error ?? '')?.[1];
      return ms ? `stalled ${formatMs(Number(ms))}` : 'stalled';
    }
    case 'timeout_first_token':
      return 'no first token';
    case 'timeout_connect':
      return 'no response';
    case 'timeout_total':
      return 'timed out';
    default:
      return null;
  }
}

/** Memoised: the attempts array only changes on attempt events, not on every streamed frame. */
export const AttemptsTimeline = memo(function AttemptsTimeline({ attempts, fellBack }: { attempts: AttemptRecord[]; fellBack: boolean }) {
  if (attempts.length === 0) return null;
  const kinds = attempts.map(timeoutLabel);
  const label = `${attempts.length} attempt${attempts.length === 1 ? '' : 's'}${fellBack ? ' · fell back' : ''}`;
  return (
    <details className="attempts" data-testid="column-attempts">
      <summary>{label}</summary>
      <ol>
        {attempts.map((a, i) => (
          <li key={`${a.startedAt}-${i}`} className={`attempt attempt-${a.status}`} data-testid="attempt-row">
            <span className="mono">
              {a.provider}:{a.model}
            </span>
            <span className={`status status-${a.status}`}>{a.status}</span>
            {kinds[i] && (
              <span className="attempt-kind" data-testid="attempt-kind">
                {kinds[i]}
              </span>
            )}
            {a.httpStatus !== null && <span className="mono">HTTP {a.httpStatus}</span>}
            <span>ttft {formatMs(a.ttftMs)}</span>
            <span>total {formatMs(a.totalMs)}</span>
            {a.retryAfterMs !== null && <span>retry-after {formatMs(a.retryAfterMs)}</span>}
            {a.error && <span className="attempt-error">{a.error}</span>}
          </li>
        ))}
      </ol>
    </details>
  );
});
