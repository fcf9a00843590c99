import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../shared/domain';
import { RunList, type RunListProps } from '../../renderer/components/RunList';
import { createAppStore, StoreContext } from '../../renderer/store';
import { HistoryView } from '../../renderer/views/HistoryView';
import { fakeClient, manualFrames } from './helpers';

// happy-dom lays nothing out, so the virtualiser would see a 0px viewport and render no rows.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(380);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const summary = (runId: string, targets: string[], over: Partial<RunSummary> = {}): RunSummary => ({
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
