/**
 * Back-to-back runs never leave the engine idle for the idle checkpoint, so
 * the WAL is checkpointed off the engine's thread every few runs and cut back
 * once it passes the limit: it stays bounded instead of growing with history.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { MockProviders } from '../mocks/provider-server';
import { addProvider, ask, closeWorkbenches, openWorkbench, waitFor, shareMockProviders } from './helpers';

let mock: MockProviders;
shareMockProviders((m) => (mock = m));
afterEach(closeWorkbenches);

const LIMIT = 256 * 1024;
const RUNS = 40;

it('keeps the WAL bounded under back-to-back runs, with every run intact', { timeout: 60_000 }, async () => {
  const wb = openWorkbench({ store: { walTruncateAboveBytes: LIMIT } });
  await addProvider(wb, { id: 'm', baseUrl: mock.baseUrls.openai });
  const wal = join(wb.dir, 'switchyard.db-wal');
  const targets = Array.from({ length: 6 }, (_, i) => `m:wal-${i}`);
  for (let i = 0; i < 6; i++) mock.script(`wal-${i}`, { tokens: 200 });

  const sizes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await wb.engine.compare(ask(targets));
    expect(r.columns.every((c) => c.status === 'ok')).toBe(true);
    sizes.push(statSync(wal).size);
  }
  // Without checkpoints the WAL only grows: the last run's size would be RUNS times the first's.
  // With them it is cut back along the way (how often depends on how busy the machine is).
  const perRun = sizes[0]!;
  const trace = `WAL bytes after each run: ${sizes.join(' ')}`;
  expect(perRun, trace).toBeGreaterThan(0);
  expect(Math.max(...sizes), trace).toBeLessThan(perRun * RUNS * 0.75);
  expect(sizes.some((s, i) => i > 0 && s < sizes[i - 1]!), trace).toBe(true);
  // Once the runs stop, the idle checkpoint brings it under the limit.
  await waitFor('the WAL to be cut back after the runs', () => statSync(wal).size < LIMIT, 15_000);

  const db = wb.ctx.store.db;
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(wb.ctx.store.runs.listRuns({ limit: 100, offset: 0 })).toHaveLength(RUNS);
});
