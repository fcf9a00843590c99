import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../shared/domain';
import { createAppStore, StoreContext } from '../../renderer/store';
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

const summary = (runId: string): RunSummary => ({
  runId, createdAt: Date.UTC(2025, 0, 5, 14, 3), status: 'done', promptPreview: `prompt ${runId}`, targets: ['mock:m1'], costUsd: null, columnStatuses: ['ok'],
});

async function history() {
  const fake = fakeClient();
  fake.calls.history!.listRuns!.mockResolvedValue(['r1', 'r2', 'r3', 'r4'].map(summary));
  fake.calls.history!.exportRuns!.mockImplementation(async (args) => {
    const { runIds, format } = args as { runIds: string[]; format: string };
    return { content: `${format}:${runIds.join(',')}`, filename: `switchyard-x.${format}`, mime: 'text/plain' };
  });
  const store = createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  render(
    <StoreContext.Provider value={store}>
      <HistoryView />
    </StoreContext.Provider>,
  );
  await screen.findByText('prompt r4');
  const pick = (runId: string, shiftKey = false) =>
    fireEvent.click(screen.getAllByTestId('history-pick').find((el) => el.closest('[data-run-id]')?.getAttribute('data-run-id') === runId)!, { shiftKey });
  return { fake, store, pick };
}

/** What the page handed to the browser's download: the blob's text and the link's file name. */
function captureDownloads() {
  const saved: Array<{ name: string; text: Promise<string> }> = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    saved.push({ name: '', text: (blob as Blob).text() });
    return 'blob:test';
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.at(-1)!.name = this.download;
  });
  return saved;
}

describe('export from History', () => {
  it('ticks runs, a shift-click ticks the range, and Export… sends them in one file', async () => {
    const { fake, pick } = await history();
    const saved = captureDownloads();
    pick('r1');
    pick('r3', true);
    expect(screen.getByTestId('history-picks').textContent).toContain('3 picked');
    // Opening a run is not picking it.
    fireEvent.click(screen.getByText('prompt r4'));
    expect(screen.getByTestId('history-picks').textContent).toContain('3 picked');

    fireEvent.click(screen.getByTestId('history-export-picked'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('export-csv'));
    });
    expect(fake.calls.history!.exportRuns).toHaveBeenCalledWith({ runIds: ['r1', 'r2', 'r3'], format: 'csv' });
    expect(saved).toHaveLength(1);
    expect(saved[0]!.name).toBe('switchyard-x.csv');
    expect(await saved[0]!.text).toBe('csv:r1,r2,r3');

    // Unticking one leaves the others.
    pick('r2');
    expect(screen.getByTestId('history-picks').textContent).toContain('2 picked');
  });

  it('exports the open run on its own, and says why when the engine refuses', async () => {
    const { fake, store } = await history();
    captureDownloads();
    await act(async () => store.setState({ openRunId: 'r2', openRun: { runId: 'r2', columns: [column({ status: 'ok', text: 'a' })] } }));
    fireEvent.click(screen.getByTestId('history-export-run'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('export-html'));
    });
    expect(fake.calls.history!.exportRuns).toHaveBeenLastCalledWith({ runIds: ['r2'], format: 'html' });

    fake.calls.history!.exportRuns!.mockRejectedValueOnce(new Error('no run "r2"'));
    fireEvent.click(screen.getByTestId('history-export-run'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('export-md'));
    });
    expect(store.getState().notice).toBe('export failed: no run "r2"');
  });
});
