import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CompareRequest, type RunResult, type RunSummary } from '../../shared/domain';
import { RunList, type RunListProps } from '../../renderer/components/RunList';
import { createAppStore, StoreContext } from '../../renderer/store';
import { HistoryView } from '../../renderer/views/HistoryView';
import { column, fakeClient, manualFrames } from './helpers';

// happy-dom lays nothing out, so the virtualiser would see a 0px viewport and render no rows.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(380);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const summary = (runId: string, targets: string[] = ['openai/gpt-4o-mini']): RunSummary => ({
  runId,
  createdAt: Date.UTC(2025, 0, 5, 14, 3),
  status: 'done',
  promptPreview: `prompt ${runId}`,
  targets,
  costUsd: 0.0012,
  columnStatuses: targets.map(() => 'ok' as const),
});

function list(over: Partial<RunListProps>) {
  return render(<RunList runs={[]} query="" selectedId={null} hasMore={false} loading={false} onOpen={() => undefined} onEndReached={() => undefined} {...over} />);
}

describe('history rows', () => {
  it('give the model names a line of their own, apart from date, cost and counts', () => {
    // Sharing a line with those left the names ~70px of a 380px row: "openai/gp… +3".
    list({ runs: [summary('r1', ['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku', 'groq/llama-3.1-8b'])] });
    const models = screen.getByTestId('history-row-models');
    expect(models.parentElement).toBe(screen.getByTestId('history-row'));
    expect(models.closest('.run-meta')).toBeNull();
    expect(models.querySelector('.run-models-names')?.textContent).toBe('openai/gpt-4o-mini, anthropic/claude-3-5-haiku');
  });
});

describe('history list keys', () => {
  it('Home and End open the first and the last run', () => {
    const onOpen = vi.fn();
    list({ runs: ['r1', 'r2', 'r3', 'r4'].map((id) => summary(id)), selectedId: 'r2', onOpen });
    const box = screen.getByTestId('history-list');

    fireEvent.keyDown(box, { key: 'End' });
    expect(onOpen).toHaveBeenLastCalledWith('r4');
    fireEvent.keyDown(box, { key: 'Home' });
    expect(onOpen).toHaveBeenLastCalledWith('r1');
  });

  it('keep the page from scrolling as well', () => {
    list({ runs: [summary('r1')], selectedId: 'r1' });
    const end = new KeyboardEvent('keydown', { key: 'End', bubbles: true, cancelable: true });
    screen.getByTestId('history-list').dispatchEvent(end);
    expect(end.defaultPrevented).toBe(true);
  });
});

/** The history view with `run` already open. */
async function showRun(run: RunResult) {
  const fake = fakeClient();
  fake.calls.history!.listRuns!.mockResolvedValue([]);
  const store = createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  render(
    <StoreContext.Provider value={store}>
      <HistoryView />
    </StoreContext.Provider>,
  );
  await act(async () => store.setState({ openRunId: run.runId, openRun: run }));
}

const run = (over: { system?: string; columns?: number } = {}): RunResult => ({
  runId: 'r_abcdefgh',
  createdAt: Date.UTC(2025, 0, 5, 14, 3),
  status: 'done',
  request: CompareRequest.parse({ system: over.system, messages: [{ role: 'user', content: 'q' }], targets: ['mock:a'] }),
  columns: Array.from({ length: over.columns ?? 1 }, (_, i) => column({ columnId: `c${i}`, index: i, target: `mock:m${i}`, status: 'ok', text: 'answer' })),
});

describe('history detail header', () => {
  it('counts its columns in the singular and the plural', async () => {
    await showRun(run({ columns: 1 }));
    expect(screen.getByTestId('history-detail').textContent).toContain('1 column');
    expect(screen.getByTestId('history-detail').textContent).not.toContain('1 columns');
    cleanup();
    await showRun(run({ columns: 3 }));
    expect(screen.getByTestId('history-detail').textContent).toContain('3 columns');
  });

  it('folds a long system prompt away, with its length, so the columns keep the height', async () => {
    const system = 'You are a meticulous reviewer. Follow these rules exactly. '.repeat(100);
    await showRun(run({ system }));
    const block = screen.getByTestId('history-system') as HTMLDetailsElement;
    expect(block.tagName).toBe('DETAILS');
    expect(block.open).toBe(false);
    expect(block.querySelector('summary')?.textContent).toContain(`(${system.length.toLocaleString('en-US')} chars)`);
    // Still all there once opened.
    expect(block.querySelector('.run-system-text')?.textContent).toBe(system);
  });

  it('shows a short system prompt as it is', async () => {
    await showRun(run({ system: 'Be brief.' }));
    const block = screen.getByTestId('history-system');
    expect(block.tagName).toBe('P');
    expect(block.textContent).toBe('System Be brief.');
  });
});
