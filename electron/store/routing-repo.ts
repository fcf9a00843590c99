/**
 * Health and breaker state for routing. Health is derived from the attempts
 * table itself (this machine's own record), so it survives restarts and is
 * shared by every process that uses the same data directory.
 */
import type { DB } from './db';

export interface AttemptSample {
  endpointId: string;
  status: string;
  errorKind: string | null;
  startedAt: number;
  ttftMs: number | null;
  tps: number | null;
}

export interface BreakerRow {
  breakerKey: string;
  state: 'closed' | 'open' | 'half-open';
  failures: number;
  openedAt: number | null;
  updatedAt: number;
  lastError: string | null;
}

export function createRoutingRepo(db: DB) {
  const s = {
    recent: db.prepare(`SELECT endpoint_id AS endpointId, status, error_kind AS errorKind, started_at AS startedAt, ttft_ms AS ttftMs, tps
      FROM attempts WHERE endpoint_id = ? AND status NOT IN ('running','skipped','cancelled') AND started_at >= ?
      ORDER BY started_at DESC LIMIT ?`),
    allEndpoints: db.prepare(`SELECT DISTINCT endpoint_id AS endpointId FROM attempts WHERE started_at >= ?`),
    getBreaker: db.prepare('SELECT breaker_key AS breakerKey, state, failures, opened_at AS openedAt, updated_at AS updatedAt, last_error AS lastError FROM breakers WHERE breaker_key = ?'),
    allBreakers: db.prepare('SELECT breaker_key AS breakerKey, state, failures, opened_at AS openedAt, updated_at AS updatedAt, last_error AS lastError FROM breakers'),
    putBreaker: db.prepare(`INSERT INTO breakers (breaker_key, state, failures, opened_at, updated_at, last_error) VALUES (@breakerKey, @state, @failures, @openedAt, @updatedAt, @lastError)
      ON CONFLICT(breaker_key) DO UPDATE SET state = excluded.state, failures = excluded.failures, opened_at = excluded.opened_at,
        updated_at = excluded.updated_at, last_error = excluded.last_error`),
    setMis: db.prepare(`INSERT INTO misconfigured (endpoint_id, message, at) VALUES (?, ?, ?)
      ON CONFLICT(endpoint_id) DO UPDATE SET message = excluded.message, at = excluded.at`),
    clearMis: db.prepare('DELETE FROM misconfigured WHERE endpoint_id = ?'),
    isMis: db.prepare('SELECT 1 FROM misconfigured WHERE endpoint_id = ?').pluck(),
    listMis: db.prepare('SELECT endpoint_id AS endpointId, message, at FROM misconfigured'),
    lastKey: db.prepare('SELECT key_index AS keyIndex FROM attempts WHERE provider = ? AND key_index IS NOT NULL ORDER BY id DESC LIMIT 1'),
  };
  return {
    /** The most recent finished attempts of an endpoint inside the window, newest first. */
    recentAttempts(endpointId: string, sinceMs: number, limit: number): AttemptSample[] {
      return s.recent.all(endpointId, sinceMs, limit) as AttemptSample[];
    },
    endpointsSeenSince(sinceMs: number): string[] {
      return (s.allEndpoints.all(sinceMs) as Array<{ endpointId: string }>).map((r) => r.endpointId);
    },
    getBreaker(key: string): BreakerRow | null {
      return (s.getBreaker.get(key) as BreakerRow | undefined) ?? null;
    },
    listBreakers(): BreakerRow[] {
      return s.allBreakers.all() as BreakerRow[];
    },
    putBreaker(row: BreakerRow) {
      s.putBreaker.run(row);
    },
    markMisconfigured(endpointId: string, message: string, at: number) {
      s.setMis.run(endpointId, message, at);
    },
    /** Every answered stream calls this: a read when nothing is marked, so the common case writes (and commits) nothing. */
    clearMisconfigured(endpointId: string) {
      if (s.isMis.get(endpointId) !== undefined) s.clearMis.run(endpointId);
    },
    listMisconfigured(): Array<{ endpointId: string; message: string; at: number }> {
      return s.listMis.all() as Array<{ endpointId: string; message: string; at: number }>;
    },
    /** The key index of the provider's most recent attempt, so a fresh process continues the key rotation. */
    lastKeyIndex(providerId: string): number | null {
      return (s.lastKey.get(providerId) as { keyIndex: number } | undefined)?.keyIndex ?? null;
    },
  };
}
export type RoutingRepo = ReturnType<typeof createRoutingRepo>;
