import { memo } from 'react';
import type { AttemptRecord } from '../../shared/domain';
import { formatMs } from '../lib/format';

/** Memoised: the attempts array only changes on attempt events, not on every streamed frame. */
export const AttemptsTimeline = memo(function AttemptsTimeline({ attempts, fellBack }: { attempts: AttemptRecord[]; fellBack: boolean }) {
  if (attempts.length === 0) return null;
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
