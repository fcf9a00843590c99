import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../electron/store';
import { HealthService, summarizeHealth } from '../../../electron/engine/router/health';
import type { AttemptSample } from '../../../electron/store/routing-repo';
import { addAttempt, seedColumn } from './helpers';

const sample = (o: Partial<AttemptSample>): AttemptSample => ({
  endpointId: 'e', status: 'ok', errorKind: null, startedAt: 0, ttftMs: null, tps: null, ...o,
});

describe('summarizeHealth', () => {
  it('computes error rate, ttft percentiles and median tokens/s', () => {
    const s = [
      sample({ startedAt: 1, ttftMs: 100, tps: 50 }),
      sample({ startedAt: 2, ttftMs: 200, tps: 70 }),
      sample({ startedAt: 3, ttftMs: 300, tps: 60 }),
      sample({ startedAt: 4, status: 'error', errorKind: 'server' }),
      sample({ startedAt: 5, ttftMs: 1_000, status: 'incomplete', errorKind: 'timeout_idle', tps: 5 }),
    ];
    const h = summarizeHealth('e', s);
    expect(h.samples).toBe(5);
    expect(h.errorRate).toBeCloseTo(0.4);
    expect(h.ttftP50Ms).toBe(250);
    expect(h.ttftP95Ms).toBeCloseTo(895);
    expect(h.tokensPerSecond).toBe(60); // the incomplete attempt's tps is not a throughput fact
    expect(h.lastErrorAt).toBe(5);
    expect(h.lastErrorKind).toBe('timeout_idle');
  });

  it('ignores outcomes that are not the endpoint’s doing', () => {
    const h = summarizeHealth('e', [
      sample({ status: 'interrupted' }),
      sample({ status: 'error', errorKind: 'budget' }),
      sample({ status: 'error', errorKind: 'config' }),
      sample({ status: 'ok', ttftMs: 10 }),
    ]);
    expect(h.samples).toBe(1);
    expect(h.errorRate).toBe(0);
  });

  it('reports no data as nulls and a zero error rate', () => {
    expect(summarizeHealth('e', [])).toEqual({
      endpointId: 'e', samples: 0, errorRate: 0, ttftP50Ms: null, ttftP95Ms: null, tokensPerSecond: null, lastErrorAt: null, lastErrorKind: null,
    });
  });
});

describe('HealthService', () => {
  let store: Store;
  let now: number;
  let col: string;
  beforeEach(() => {
    store = openStore(':memory:');
    now = 10_000_000;
    col = seedColumn(store);
  });
  afterEach(() => store.close());

  it('updates as attempts are recorded', () => {
    const svc = new HealthService(store.routing, {}, () => now);
    expect(svc.get('a:m').samples).toBe(0);
    addAttempt(store, col, { endpointId: 'a:m', status: 'ok', startedAt: now - 1_000, ttftMs: 400, tps: 90 });
    expect(svc.get('a:m')).toMatchObject({ samples: 1, errorRate: 0, ttftP50Ms: 400, tokensPerSecond: 90 });
    addAttempt(store, col, { endpointId: 'a:m', status: 'error', errorKind: 'server', startedAt: now - 500 });
    expect(svc.get('a:m')).toMatchObject({ samples: 2, errorRate: 0.5, lastErrorAt: now - 500, lastErrorKind: 'server' });
    // Running, skipped and cancelled attempts are not evidence either way.
    addAttempt(store, col, { endpointId: 'a:m', status: 'running', startedAt: now - 10 });
    addAttempt(store, col, { endpointId: 'a:m', status: 'skipped', startedAt: now - 10 });
    addAttempt(store, col, { endpointId: 'a:m', status: 'cancelled', startedAt: now - 10 });
    expect(svc.get('a:m').samples).toBe(2);
  });

  it('slides by time: old attempts stop counting', () => {
    const svc = new HealthService(store.routing, { windowMs: 60_000 }, () => now);
    addAttempt(store, col, { endpointId: 'a:m', status: 'error', errorKind: 'server', startedAt: now - 50_000 });
    addAttempt(store, col, { endpointId: 'a:m', status: 'ok', startedAt: now - 5_000, ttftMs: 100 });
    expect(svc.get('a:m').errorRate).toBe(0.5);
    now += 20_000; // the failure is now 70 s old
    expect(svc.get('a:m')).toMatchObject({ samples: 1, errorRate: 0, lastErrorAt: null });
    now += 60_000;
    expect(svc.get('a:m').samples).toBe(0);
  });

  it('slides by count: only the most recent maxSamples count', () => {
    const svc = new HealthService(store.routing, { maxSamples: 4 }, () => now);
    for (let i = 0; i < 4; i++) addAttempt(store, col, { endpointId: 'a:m', status: 'error', errorKind: 'network', startedAt: now - 10_000 + i });
    expect(svc.get('a:m').errorRate).toBe(1);
    for (let i = 0; i < 3; i++) addAttempt(store, col, { endpointId: 'a:m', status: 'ok', startedAt: now - 1_000 + i, ttftMs: 50 });
    expect(svc.get('a:m')).toMatchObject({ samples: 4, errorRate: 0.25 });
  });

  it('getMany and list cover the endpoints seen in the window', () => {
    const svc = new HealthService(store.routing, { windowMs: 60_000 }, () => now);
    addAttempt(store, col, { endpointId: 'a:m', status: 'ok', startedAt: now - 1_000 });
    addAttempt(store, col, { endpointId: 'a:m', status: 'ok', startedAt: now - 900 });
    addAttempt(store, col, { endpointId: 'b:m', status: 'error', errorKind: 'server', startedAt: now - 800 });
    addAttempt(store, col, { endpointId: 'old:m', status: 'ok', startedAt: now - 120_000 });
    const many = svc.getMany(['a:m', 'b:m', 'never:m']);
    expect([...many.keys()]).toEqual(['a:m', 'b:m', 'never:m']);
    expect(many.get('b:m')!.errorRate).toBe(1);
    expect(many.get('never:m')!.samples).toBe(0);
    expect(svc.list().map((h) => [h.endpointId, h.samples])).toEqual([['a:m', 2], ['b:m', 1]]);
  });

  it('survives a restart: health comes from the attempts table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-health-'));
    try {
      const first = openStore(dir);
      const c = seedColumn(first);
      addAttempt(first, c, { endpointId: 'a:m', status: 'error', errorKind: 'server', startedAt: now - 1 });
      first.close();
      const second = openStore(dir);
      expect(new HealthService(second.routing, {}, () => now).get('a:m').errorRate).toBe(1);
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
