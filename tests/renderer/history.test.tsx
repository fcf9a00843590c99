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

const summary = (runId: string, targets: string[] = ['openai/gpt-4o-mini'], over: Partial<RunSummary> = {}): RunSummary => ({
  runId,
  createdAt: Date.UTC(2025, 0, 5, 14, 3),
  status: 'done',
  promptPreview: `prompt ${runId}`,
  targets,
  costUsd: 0.0012,
  columnStatuses: targets.map(() => 'ok' as const),
  ...over,
});

function list(over: Partial<RunListProps>) {
  return render(<RunList runs={[]} query="" selectedId={null} hasMore={false} loading={false} onOpen={() => undefined} onEndReached={() => undefined} {...over} />);
}

const models = (runId: string): HTMLElement => screen.getAllByTestId('history-row-models').find((el) => el.closest('[data-run-id]')?.getAttribute('data-run-id') === runId)!;

describe('history rows', () => {
  it('name the first two models and count the rest, keeping all of them in the title', () => {
    const four = ['openai:gpt-4o-mini', 'anthropic:claude-3-5-haiku', 'groq:llama-3.1-8b', 'mock:m1'];
    list({ runs: [summary('r4', four), summary('r2', four.slice(0, 2)), summary('r1', four.slice(0, 1))] });

    const r4 = models('r4');
    expect(r4.querySelector('.run-models-names')?.textContent).toBe('openai:gpt-4o-mini, anthropic:claude-3-5-haiku');
    expect(r4.querySelector('.run-models-more')?.textContent).toBe('+2 more');
    expect(r4.title).toBe(four.join('\n'));

    expect(models('r2').querySelector('.run-models-names')?.textContent).toBe('openai:gpt-4o-mini, anthropic:claude-3-5-haiku');
    expect(models('r2').querySelector('.run-models-more')).toBeNull();
    expect(models('r1').textContent).toBe('openai:gpt-4o-mini');
  });

  it('stay one fixed height and only the visible ones are in the DOM', () => {
    const many = Array.from({ length: 1000 }, (_, i) => summary(`r${i}`, ['a:x', 'b:y', 'c:z']));
    list({ runs: many });
    const rows = screen.getAllByTestId('history-row');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(50);
    for (const row of rows) expect(row.style.height).toBe('62px');
  });
});

describe('empty history list', () => {
  it('says no runs exist only when nothing was searched for', () => {
    list({ query: '' });
    expect(screen.getByText('No runs yet.')).toBeTruthy();
    cleanup();
    // The store sends a blank search as no search at all.
    list({ query: '   ' });
    expect(screen.getByText('No runs yet.')).toBeTruthy();
  });

  it('says nothing matched when a search came back empty', async () => {
    const fake = fakeClient();
    const store = createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
    const listRuns = fake.calls.history!.listRuns!;
    listRuns.mockImplementation(async (args) => ((args as { query?: string }).query ? [] : [summary('r1', ['mock:m1'])]));
    render(
      <StoreContext.Provider value={store}>
        <HistoryView />
      </StoreContext.Provider>,
    );
    expect(await screen.findByText('prompt r1')).toBeTruthy();

    await act(async () => {
      fireEvent.change(screen.getByTestId('history-search'), { target: { value: ' foo ' } });
    });
    expect(await screen.findByText('No runs match “foo”.')).toBeTruthy();
    expect(listRuns).toHaveBeenLastCalledWith({ limit: 100, offset: 0, query: 'foo' });
    expect(screen.queryByText('No runs yet.')).toBeNull();
  });
});

describe('history rows, laid out', () => {
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
