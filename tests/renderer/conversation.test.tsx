/**
 * Conversations in the window: the follow-up box under a finished run (to
 * every column or one), the turns each column shows, and Fork pre-filling a
 * new run with a column's conversation.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ColumnResult, RunResult } from '../../shared/domain';
import { createAppStore, StoreContext } from '../../renderer/store';
import { draftToRequest, emptyDraft, requestToDraft } from '../../renderer/store/draft';
import { CompareView } from '../../renderer/views/CompareView';
import { column, delta, fakeClient, manualFrames } from './helpers';

afterEach(cleanup);

const REQUEST = { messages: [{ role: 'user' as const, content: 'first question' }], params: {}, targets: ['mock:a', 'mock:b'], routing: undefined as never, timeouts: {}, dryRun: false };
const colA = column({ columnId: 'a0', index: 0, target: 'mock:a', status: 'ok', text: 'answer A' });
const colB = column({ columnId: 'b0', index: 1, target: 'mock:b', status: 'ok', text: 'answer B' });

function setup() {
  const fake = fakeClient();
  const frames = manualFrames();
  const store = createAppStore({ client: fake.client, frames }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  fake.calls.compare!.estimateRun!.mockResolvedValue({ columns: [], totalMinUsd: 0, totalMaxUsd: 0, budgetWarnings: [], blockedBy: null });
  fake.calls.compare!.startRun!.mockResolvedValue({ runId: 'r1', columns: [{ columnId: 'a0', index: 0, target: 'mock:a' }, { columnId: 'b0', index: 1, target: 'mock:b' }] });
  store.getState().connectEvents();
  const emit = (...events: Parameters<typeof fake.emit>[0][]) =>
    act(() => {
      for (const e of events) fake.emit(e);
      frames.tick();
    });
  render(
    <StoreContext.Provider value={store}>
      <CompareView />
    </StoreContext.Provider>,
  );
  return { fake, store, emit, frames };
}

async function finishedRun(s: ReturnType<typeof setup>) {
  s.store.getState().setDraft({ prompt: 'first question', targets: ['mock:a', 'mock:b'] });
  await act(async () => fireEvent.click(screen.getByTestId('send-button')));
  s.emit(
    { type: 'run-started', runId: 'r1', columns: [{ columnId: 'a0', index: 0, target: 'mock:a' }, { columnId: 'b0', index: 1, target: 'mock:b' }] },
    { type: 'column-finished', runId: 'r1', column: colA },
    { type: 'column-finished', runId: 'r1', column: colB },
    { type: 'run-finished', runId: 'r1', result: { runId: 'r1', status: 'done', columns: [colA, colB] } },
  );
}

describe('follow-up box', () => {
  it('appears once the run finished and sends to every column, then to one column from its Follow up', async () => {
    const s = setup();
    expect(screen.queryByTestId('follow-up')).toBeNull();
    await finishedRun(s);
    expect(screen.getByTestId('follow-up').textContent).toContain('every column continues its own conversation');

    await act(async () => fireEvent.click(screen.getByTestId('follow-up-send')));
    expect(screen.getByTestId('follow-up-error').textContent).toBe('write a follow-up first');
    expect(s.fake.calls.compare!.followUp).not.toHaveBeenCalled();

    s.fake.calls.compare!.followUp!.mockResolvedValue({ runId: 'r1', turn: 1, columns: [{ columnId: 'a1', index: 0, target: 'mock:a' }], warnings: [] });
    fireEvent.change(screen.getByTestId('follow-up-prompt'), { target: { value: 'and then?' } });
    await act(async () => fireEvent.click(screen.getByTestId('follow-up-send')));
    expect(s.fake.calls.compare!.followUp).toHaveBeenCalledWith({ runId: 'r1', prompt: 'and then?' });
    expect((screen.getByTestId('follow-up-prompt') as HTMLTextAreaElement).value).toBe('');

    // Column 2's own Follow up: the box now goes to that column alone.
    const second = screen.getAllByTestId('column')[1]!;
    fireEvent.click(within(second).getByTestId('column-follow-up'));
    expect(screen.getByTestId('follow-up').textContent).toContain('column 2 only (mock:b)');
    fireEvent.change(screen.getByTestId('follow-up-prompt'), { target: { value: 'just you' } });
    await act(async () => fireEvent.click(screen.getByTestId('follow-up-send')));
    expect(s.fake.calls.compare!.followUp).toHaveBeenLastCalledWith({ runId: 'r1', prompt: 'just you', column: 1 });
  });

  it('a follow-up turn streams into the column in place, the earlier turn collapsed above it', async () => {
    const s = setup();
    await finishedRun(s);
    s.emit({ type: 'run-started', runId: 'r1', turn: 1, columns: [{ columnId: 'a1', index: 0, target: 'mock:a' }] }, delta('a1', 'second answer'));
    // The box waits while the turn streams; the other column is untouched.
    expect(screen.queryByTestId('follow-up')).toBeNull();
    const [first, other] = screen.getAllByTestId('column');
    expect(first!.dataset.columnId).toBe('a1');
    expect(first!.textContent).toContain('second answer');
    expect(within(first!).getByTestId('column-turns').textContent).toContain('1 earlier turn');
    expect(within(first!).getByTestId('column-turn').textContent).toContain('answer A');
    expect(other!.dataset.columnId).toBe('b0');
    expect(within(other!).queryByTestId('column-turns')).toBeNull();

    const latest: ColumnResult = column({ columnId: 'a1', index: 0, target: 'mock:a', status: 'ok', text: 'second answer', costUsd: 0.002 });
    const turns = [{ ...colA, costUsd: 0.001, turn: 0, prompt: 'first question' }, { ...latest, turn: 1, prompt: 'and then?' }];
    const withTurns = { ...latest, turns, totals: { costUsd: 0.003, inputTokens: 30, outputTokens: 12, totalMs: 20 } };
    s.emit(
      { type: 'column-finished', runId: 'r1', column: latest },
      { type: 'run-finished', runId: 'r1', result: { runId: 'r1', status: 'done', columns: [withTurns, colB] } },
    );
    const done = screen.getAllByTestId('column')[0]!;
    expect(within(done).getByTestId('column-turn').textContent).toContain('first question');
    expect(within(done).getByTestId('column-notes').textContent).toContain('conversation: $0.0030');
    expect(screen.getByTestId('follow-up')).toBeTruthy();
  });
});

describe('fork', () => {
  it('pre-fills a new run with the column\'s conversation; the user picks the models and writes the next prompt', async () => {
    const s = setup();
    await finishedRun(s);
    const run: RunResult = { runId: 'r1', status: 'done', request: { ...REQUEST, system: 'be brief' } as RunResult['request'], columns: [colA, colB] };
    s.fake.calls.history!.getRun!.mockResolvedValue(run);
    await act(async () => fireEvent.click(within(screen.getAllByTestId('column')[1]!).getByTestId('column-fork')));
    expect(s.fake.calls.history!.getRun).toHaveBeenCalledWith({ runId: 'r1' });
    expect(screen.getByTestId('fork-note').textContent).toContain('1 answer (column 2 of run r1)');
    const draft = s.store.getState().draft;
    expect(draft).toMatchObject({ prompt: '', targets: [], system: 'be brief', forkedFrom: { runId: 'r1', index: 1 } });

    s.store.getState().setDraft({ prompt: 'next one', targets: ['mock:c', 'mock:d'] });
    const converted = draftToRequest(s.store.getState().draft);
    expect(converted.ok && converted.request).toMatchObject({
      messages: [{ role: 'user', content: 'first question' }, { role: 'assistant', content: 'answer B' }, { role: 'user', content: 'next one' }],
      targets: ['mock:c', 'mock:d'],
      forkedFrom: { runId: 'r1', index: 1 },
    });

    fireEvent.click(screen.getByTestId('fork-clear'));
    expect(screen.queryByTestId('fork-note')).toBeNull();
    const fresh = draftToRequest(s.store.getState().draft);
    expect(fresh.ok && fresh.request.messages).toEqual([{ role: 'user', content: 'next one' }]);
  });
});

describe('per-column parameters', () => {
  it('each picked model has its own panel; what is set reaches the request beside the shared parameters', async () => {
    const s = setup();
    act(() => s.store.getState().setDraft({ prompt: 'q', targets: ['mock:a', 'mock:b'], temperature: '0.7' }));
    expect(screen.queryByTestId('target-params')).toBeTruthy();
    const second = screen.getAllByTestId('target-params-item')[1]!;
    fireEvent.change(within(second).getByTestId('target-param-temperature'), { target: { value: '0' } });
    fireEvent.change(within(second).getByTestId('target-param-thinkingBudget'), { target: { value: '2048' } });
    fireEvent.change(within(second).getByTestId('target-param-reasoningEffort'), { target: { value: 'high' } });
    expect(second.textContent).toContain('3 set');
    await act(async () => fireEvent.click(screen.getByTestId('send-button')));
    expect(s.fake.calls.compare!.startRun!.mock.calls[0]![0]).toMatchObject({
      params: { temperature: 0.7 },
      targetParams: [null, { temperature: 0, thinkingBudget: 2048, reasoningEffort: 'high' }],
    });
  });

  it('a bad value is one line naming the column', () => {
    const base = { ...emptyDraft, prompt: 'q', targets: ['mock:a', 'mock:b'] };
    expect(draftToRequest({ ...base, targetParams: { 'mock:b': { temperature: '3', maxTokens: '', reasoningEffort: '', thinkingBudget: '' } } })).toEqual({
      ok: false,
      error: 'column 2 (mock:b): temperature must be a number from 0 to 2',
    });
    const ok = draftToRequest({ ...base, targetParams: { 'mock:a': { temperature: '', maxTokens: '64', reasoningEffort: '', thinkingBudget: '' } } });
    expect(ok.ok && ok.request.targetParams).toEqual([{ maxTokens: 64 }, null]);
    // A rerun from history brings each column's own values back into its panel.
    expect(requestToDraft({ messages: [{ role: 'user', content: 'q' }], targets: ['mock:a', 'mock:b'], targetParams: [null, { temperature: 0, reasoningEffort: 'low' }] }).targetParams).toEqual({
      'mock:b': { temperature: '0', maxTokens: '', reasoningEffort: 'low', thinkingBudget: '' },
    });
  });
});
