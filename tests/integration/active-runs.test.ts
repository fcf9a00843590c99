/**
 * compare:list-active: what a window that reloads mid-stream gets back, and
 * how it joins the event stream after it without a gap or a repeat. Real
 * engine, real SQLite, real HTTP streams from the mock on loopback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CompareEvent } from '../../shared/domain';
import type { MockProviders } from '../mocks/provider-server';
import { addProvider, ask, closeWorkbenches, openWorkbench, type Workbench, shareMockProviders } from './helpers';

let mock: MockProviders;
let wb: Workbench;

shareMockProviders((m) => (mock = m));
beforeEach(async () => {
  mock.reset();
  wb = openWorkbench();
  await addProvider(wb, { id: 'mock', baseUrl: mock.baseUrls.openai });
});
afterEach(closeWorkbenches);

/** Resolves with the events so far once `pred` holds for them (checked at each event). */
function until(events: CompareEvent[], pred: (e: CompareEvent[]) => boolean, stop: { on: ((e: CompareEvent) => void) | null }): Promise<void> {
  return new Promise((resolve) => {
    stop.on = () => {
      if (pred(events)) {
        stop.on = null;
        resolve();
      }
    };
  });
}

const textOf = (events: readonly CompareEvent[], columnId: string) => events.map((e) => (e.type === 'delta' && e.columnId === columnId ? e.text : '')).join('');

describe('runs in flight', () => {
  it('a snapshot mid-stream plus the events numbered after it is the whole answer, nothing twice', async () => {
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    mock.script('slow', { text: words, tokenDelayMs: 15 });
    mock.script('quick', { text: 'done fast' });
    const events: CompareEvent[] = [];
    const hook: { on: ((e: CompareEvent) => void) | null } = { on: null };
    wb.engine.onEvent((e) => {
      events.push(e);
      hook.on?.(e);
    });
    const { runId, columns, done } = wb.engine.start(ask(['mock:slow', 'mock:quick']));
    const [slow, quick] = columns;
    // Part of the slow answer has streamed and the quick column has finished.
    await until(events, (es) => textOf(es, slow!.columnId).split(' ').length >= 8 && es.some((e) => e.type === 'column-finished'), hook);

    const snap = wb.engine.listActive();
    const run = snap.runs.find((r) => r.runId === runId)!;
    expect(run.status).toBe('running');
    expect(run.columns.map((c) => c.columnId)).toEqual([slow!.columnId, quick!.columnId]);
    const before = events.filter((e) => e.seq! <= snap.seq);
    expect(run.columns[0]!.text).toBe(textOf(before, slow!.columnId));
    expect(run.columns[0]!.text.length).toBeGreaterThan(0);
    expect(run.columns[0]).toMatchObject({ status: 'running', servedBy: { provider: 'mock', model: 'slow' } });
    expect(run.columns[1]).toMatchObject({ status: 'ok', text: 'done fast' });

    const result = await done;
    const after = events.filter((e) => e.seq! > snap.seq);
    expect(run.columns[0]!.text + textOf(after, slow!.columnId)).toBe(result.columns[0]!.text);
    expect(result.columns[0]!.text).toBe(words);
    // One counter, no gaps: a window can tell a missed event from none.
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => events[0]!.seq! + i));
    expect(wb.engine.listActive().runs).toEqual([]);
  });

  it('a column being retried is in flight again, the run\'s other columns as they were', async () => {
    mock.script('again', { text: 'one two three four five six', tokenDelayMs: 15 });
    mock.script('stays', { text: 'kept' });
    const first = await wb.engine.compare(ask(['mock:again', 'mock:stays']));
    const events: CompareEvent[] = [];
    const hook: { on: ((e: CompareEvent) => void) | null } = { on: null };
    wb.engine.onEvent((e) => {
      events.push(e);
      hook.on?.(e);
    });
    const retried = wb.engine.retryColumn(first.runId, first.columns[0]!.columnId);
    await until(events, (es) => textOf(es, first.columns[0]!.columnId).length > 0, hook);
    const run = wb.engine.listActive().runs.find((r) => r.runId === first.runId)!;
    expect(run.columns[1]).toMatchObject({ status: 'ok', text: 'kept' });
    expect(run.columns[0]!.status).toBe('running');
    expect('one two three four five six'.startsWith(run.columns[0]!.text)).toBe(true);
    await retried;
    expect(wb.engine.listActive().runs).toEqual([]);
  });
});
