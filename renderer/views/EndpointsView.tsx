import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { EndpointHealthView } from '../../shared/contract';
import { formatDate, formatMs, formatTps } from '../lib/format';
import { useApp } from '../store';

const BREAKER_LABEL: Record<EndpointHealthView['breaker'], string> = { closed: 'closed', open: 'open', 'half-open': 'half-open' };
const BREAKER_TITLE: Record<EndpointHealthView['breaker'], string> = {
  closed: 'Healthy: requests go through',
  open: 'Skipped after repeated failures, until a cool-down passes (the last remaining endpoint is still tried)',
  'half-open': 'Cooling down: the next request is a single probe',
};

export function errorRateText(rate: number, samples: number): string {
  if (samples === 0) return '—';
  const pct = rate * 100;
  return `${pct === 0 || pct >= 10 ? Math.round(pct) : pct.toFixed(1)}%`;
}

/** Issue 4's health table: this machine's own recorded attempts, per endpoint. */
export function EndpointsView() {
  const e = useApp(
    useShallow((s) => ({ list: s.endpoints, loaded: s.endpointsLoaded, loading: s.endpointsLoading, error: s.endpointsError, load: s.loadEndpoints, setView: s.setView })),
  );
  const { load } = e;
  useEffect(() => void load(), [load]);

  return (
    <div className="endpoints" data-testid="endpoints-view">
      <div className="providers-head">
        <div>
          <h2>Endpoint health</h2>
          <p className="muted endpoints-sub">From this machine's own attempts (sliding window), busiest first. The router uses the same figures to pick and skip endpoints.</p>
        </div>
        <button type="button" className="btn" data-testid="endpoints-refresh" disabled={e.loading} onClick={() => void load()}>
          {e.loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {e.error && (
        <p className="field-error endpoints-error" role="alert">
          {e.error}
        </p>
      )}
      <div className="providers-body">
        <div className="providers-list-wrap">
          {!e.loaded ? (
            <p className="muted empty">Loading…</p>
          ) : e.list.length === 0 ? (
            <div className="empty" data-testid="endpoints-empty">
              <p>No endpoint has served a request yet. Every attempt of a compare is recorded here: its latency, errors and circuit-breaker state.</p>
              <button type="button" className="btn" onClick={() => e.setView('compare')}>
                Go to Compare
              </button>
            </div>
          ) : (
            <table className="table endpoints-table" data-testid="endpoints-table">
              <thead>
                <tr>
                  <th>Endpoint</th>
                  <th className="num">Samples</th>
                  <th className="num">Errors</th>
                  <th className="num">TTFT p50</th>
                  <th className="num">TTFT p95</th>
                  <th className="num">Tok/s</th>
                  <th>Breaker</th>
                  <th>Last error / note</th>
                </tr>
              </thead>
              <tbody>
                {e.list.map((h) => (
                  <tr key={h.endpointId} data-testid="endpoint-row" data-endpoint-id={h.endpointId}>
                    <td className="mono strong">{h.endpointId}</td>
                    <td className="num mono">{h.samples}</td>
                    <td className={`num mono${h.errorRate > 0 ? ' warn-text' : ''}`}>{errorRateText(h.errorRate, h.samples)}</td>
                    <td className="num mono">{formatMs(h.ttftP50Ms)}</td>
                    <td className="num mono">{formatMs(h.ttftP95Ms)}</td>
                    <td className="num mono">{formatTps(h.tokensPerSecond)}</td>
                    <td>
                      <span className={`status breaker-${h.breaker}`} data-testid="endpoint-breaker" title={BREAKER_TITLE[h.breaker]}>
                        {BREAKER_LABEL[h.breaker]}
                      </span>
                    </td>
                    <td className="endpoint-note">
                      {h.misconfigured && (
                        <span className="test-bad" data-testid="endpoint-misconfigured">
                          misconfigured: {h.misconfigured}
                        </span>
                      )}
                      {h.lastErrorAt !== null && (
                        <span className="muted">
                          {h.misconfigured ? ' · ' : ''}last error {h.lastErrorKind ?? 'unknown'} at {formatDate(h.lastErrorAt)}
                        </span>
                      )}
                      {!h.misconfigured && h.lastErrorAt === null && <span className="muted">—</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </div>
  );
}
