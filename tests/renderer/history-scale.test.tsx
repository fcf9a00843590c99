/**
 * History at scale in the UI: pages are asked for by cursor as the list
 * scrolls, the footer says how big history is, and a run's summary row counts
 * every failure as what it is (stopped columns included).
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CompareRequest, type ColumnFacts, type RunResult, type RunSummary } from '../../shared/domain';
import { RunList } from '../../renderer/components/RunList';
import { createAppStore, StoreContext } from '../../renderer/store';
import { CompareView } from '../../renderer/views/CompareView';
import { HistoryView } from '../../renderer/views/HistoryView';
import { column, fakeClient, manualFrames } from './helpers';

beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(380);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const facts = (status: ColumnFacts['status'], over: Partial<ColumnFacts> = {}): ColumnFacts => ({ status, costUsd: null, ttftMs: null, inputTokens: null, outputTokens: null, ...over });
const summary = (i: number, columns: ColumnFacts[] = [facts('ok')]): RunSummary => ({
  runId: `r${i}`, createdAt: Date.UTC(2025, 0, 5) - i * 60_000, status: 'done', promptPreview: `prompt ${i}`, targets: columns.map((_, c) => `mock:m${c}`),
  costUsd: null, columnStatuses: columns.map((c) => c.status), cursor: 1_000_000 - i, columns,
});

function storeWith(fake: ReturnType<typeof fakeClient>) {
  return createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
}

describe('history paging in the UI', () => {
  it('asks for the next page after the last run it has, by cursor, never by offset', async () => {
    const fake = fakeClient();
    const listRuns = fake.calls.history!.listRuns!;
    listRuns.mockImplementation(async (args) => {
      const { before } = args as { before?: number };
      const start = before === undefined ? 0 : 1_000_000 - before + 1;
      return Array.from({ length: start < 200 ? 100 : 7 }, (_, i) => summary(start + i));
    });
    fake.calls.history!.getStats!.mockResolvedValue({ runs: 207, columns: 207, dbBytes: 5 * 1024 ** 2, walBytes: 0 });
    const store = storeWith(fake);

    await act(() => store.getState().searchHistory(''));
    expect(listRuns).toHaveBeenLastCalledWith({ limit: 100, offset: 0 });
    await act(() => store.getState().loadMoreHistory());
    expect(listRuns).toHaveBeenLastCalledWith({ limit: 100, before: 1_000_000 - 99 });
    await act(() => store.getState().loadMoreHistory());
    expect(listRuns).toHaveBeenLastCalledWith({ limit: 100, before: 1_000_000 - 199 });
    const runs = store.getState().runs.map((r) => r.runId);
    expect(runs).toEqual(Array.from({ length: 207 }, (_, i) => `r${i}`));
    // A short page was the last one.
    expect(store.getState().historyHasMore).toBe(false);
    await act(() => store.getState().loadMoreHistory());
    expect(listRuns).toHaveBeenCalledTimes(3);
  });

  it('shows how big history is in the footer, and goes on without it when the host cannot say', async () => {
    const fake = fakeClient();
    fake.calls.history!.listRuns!.mockResolvedValue([summary(1)]);
    fake.calls.history!.getStats!.mockResolvedValue({ runs: 100_000, columns: null, dbBytes: 2.0 * 1024 ** 3, walBytes: 0.5 * 1024 ** 3 });
    render(
      <StoreContext.Provider value={storeWith(fake)}>
        <HistoryView />
      </StoreContext.Provider>,
    );
    expect((await screen.findByTestId('history-footer')).textContent).toBe('100,000 runs · 2.50 GB on disk');
    // Counting a million answers is left to `switchyard history stats`.
    expect(fake.calls.history!.getStats).toHaveBeenCalledWith({ countColumns: false });
    cleanup();

    const failing = fakeClient();
    failing.calls.history!.listRuns!.mockResolvedValue([summary(1)]);
    render(
      <StoreContext.Provider value={storeWith(failing)}>
        <HistoryView />
      </StoreContext.Provider>,
    );
    expect(await screen.findByText('prompt 1')).toBeTruthy();
    expect(failing.calls.history!.getStats).toHaveBeenCalled();
    expect(screen.queryByTestId('history-footer')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('run summary rows', () => {
  it('count each failure as what it is in the list, stopped columns included', () => {
    const cols = [facts('ok'), facts('error'), facts('error'), facts('error'), facts('incomplete'), facts('incomplete'), facts('cancelled'), facts('interrupted')];
    render(<RunList runs={[summary(1, cols)]} query="" selectedId={null} hasMore={false} loading={false} onOpen={() => undefined} onEndReached={() => undefined} />);
    const counts = screen.getByTestId('history-row').querySelector('.run-counts')!;
    expect([...counts.children].map((el) => el.textContent)).toEqual(['1 ok', '3 failed', '2 incomplete', '1 stopped', '1 interrupted']);
  });

  it('give an opened run its cost, fastest and median TTFT, tokens and failures by kind', async () => {
    const fake = fakeClient();
    fake.calls.history!.listRuns!.mockResolvedValue([]);
    const store = storeWith(fake);
    render(
      <StoreContext.Provider value={store}>
        <HistoryView />
      </StoreContext.Provider>,
    );
    const metrics = (ttftMs: number | null) => ({ queuedAt: null, sentAt: null, ttftMs, totalMs: null, tokensPerSecond: null });
    const usage = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens, reasoningTokens: null, cachedInputTokens: null, estimated: false });
    const run: RunResult = {
      runId: 'r_summary1', createdAt: Date.UTC(2025, 0, 5), status: 'done',
      request: CompareRequest.parse({ messages: [{ role: 'user', content: 'q' }], targets: ['mock:a'] }),
      columns: [
        column({ columnId: 'c0', index: 0, status: 'ok', text: 'a', costUsd: 0.01, metrics: metrics(300), usage: usage(10, 100) }),
        column({ columnId: 'c1', index: 1, status: 'ok', text: 'b', costUsd: 0.02, metrics: metrics(100), usage: usage(10, 200) }),
        column({ columnId: 'c2', index: 2, status: 'incomplete', text: 'c', costUsd: 0.005, metrics: metrics(900), usage: usage(10, 5) }),
        column({ columnId: 'c3', index: 3, status: 'cancelled', text: '', metrics: metrics(null) }),
      ],
    };
    await act(async () => store.setState({ openRunId: run.runId, openRun: run }));
    const row = screen.getByTestId('history-detail').querySelector('[data-testid="run-totals"]')!;
    expect(row.textContent).toBe('$0.0350TTFT 100 ms fastest · 300 ms median30 in / 305 out1 incomplete1 stopped');
    expect(screen.queryByTestId('count-failed')).toBeNull();
  });

  it('are the same in Compare\'s run bar: the stopped and the cut-off are not called failed', async () => {
    const fake = fakeClient();
    const store = storeWith(fake);
    const statuses = ['ok', 'error', 'incomplete', 'incomplete', 'cancelled'] as const;
    const columns = Object.fromEntries(
      statuses.map((status, i) => [`c${i}`, column({ columnId: `c${i}`, index: i, target: `mock:m${i}`, status, costUsd: 0.001, metrics: { queuedAt: null, sentAt: null, ttftMs: 100 * (i + 1), totalMs: null, tokensPerSecond: null } })]),
    );
    render(
      <StoreContext.Provider value={store}>
        <CompareView />
      </StoreContext.Provider>,
    );
    await act(async () => store.setState({ activeRunId: 'r1', live: { r1: { runId: 'r1', order: Object.keys(columns), columns, clocks: {}, status: 'done' } } }));
    const bar = screen.getByTestId('run-bar');
    expect(bar.querySelector('[data-testid="run-status"]')?.textContent).toBe('finished · 5 columns');
    expect([...bar.querySelectorAll('[data-testid^="count-"]')].map((el) => el.textContent)).toEqual(['1 failed', '2 incomplete', '1 stopped']);
    expect(bar.querySelector('[data-testid="run-totals"]')?.textContent).toContain('TTFT 100 ms fastest · 300 ms median');
  });
});
