/**
 * The idle (stall) timeout in the window: a field beside the other parameters
 * whose value reaches the request the engine gets, and a stall that the
 * attempts timeline names as its own kind.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ColumnView } from '../../renderer/components/ColumnView';
import { createAppStore, StoreContext } from '../../renderer/store';
import { draftToRequest, emptyDraft, requestToDraft } from '../../renderer/store/draft';
import { CompareView } from '../../renderer/views/CompareView';
import { attempt, column, fakeClient, manualFrames } from './helpers';

afterEach(cleanup);

function setup() {
  const fake = fakeClient();
  const store = createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  fake.calls.compare!.estimateRun!.mockResolvedValue({ columns: [], totalMinUsd: 0, totalMaxUsd: 0, budgetWarnings: [], blockedBy: null });
  fake.calls.compare!.startRun!.mockResolvedValue({ runId: 'r1', columns: [{ columnId: 'c1', index: 0, target: 'mock:m1' }] });
  return { fake, store };
}

describe('idle timeout', () => {
  it('is a parameter in the window, showing the default, and what is typed reaches the request', async () => {
    const { fake, store } = setup();
    store.getState().setDraft({ prompt: 'Hello', targets: ['mock:m1'] });
    render(
      <StoreContext.Provider value={store}>
        <CompareView />
      </StoreContext.Provider>,
    );
    const field = screen.getByTestId('param-idle-timeout') as HTMLInputElement;
    expect(field.closest('fieldset')!.textContent).toContain('idle timeout (s)');
    expect(field.placeholder).toBe('30');
    fireEvent.change(field, { target: { value: '0.3' } });
    await act(async () => fireEvent.click(screen.getByTestId('send-button')));
    expect(fake.calls.compare!.startRun).toHaveBeenCalledOnce();
    expect(fake.calls.compare!.startRun!.mock.calls[0]![0]).toMatchObject({ targets: ['mock:m1'], timeouts: { idleMs: 300 } });
  });

  it('is left to the engine when blank, refused with one line when not a duration, and restored on rerun', () => {
    const base = { ...emptyDraft, prompt: 'p', targets: ['a:b'] };
    const blank = draftToRequest(base);
    expect(blank.ok && blank.request.timeouts).toBeUndefined();
    expect(draftToRequest({ ...base, idleTimeout: '0' })).toEqual({ ok: false, error: 'idle timeout must be a number of seconds from 0.001 to 3600' });
    expect(draftToRequest({ ...base, idleTimeout: 'soon' })).toEqual({ ok: false, error: 'idle timeout must be a number of seconds from 0.001 to 3600' });
    expect(requestToDraft({ messages: [{ role: 'user', content: 'q' }], targets: ['a:b'], timeouts: { idleMs: 45_000 } }).idleTimeout).toBe('45');
  });

  it('a stall is its own kind in the attempts timeline, with the limit it broke', () => {
    const stalled = column({
      status: 'ok',
      fellBack: true,
      text: 'answer',
      attempts: [
        attempt({ provider: 'slow', model: 'm', status: 'incomplete', errorKind: 'timeout_idle', error: 'stream from 127.0.0.1:1234 stalled for 30000 ms' }),
        attempt({ provider: 'fast', model: 'm', status: 'ok' }),
      ],
    });
    render(<ColumnView column={stalled} actions={{}} width={null} />);
    const [first, second] = screen.getAllByTestId('attempt-row');
    expect(within(first!).getByTestId('attempt-kind').textContent).toBe('stalled 30.0 s');
    expect(within(second!).queryByTestId('attempt-kind')).toBeNull();
  });
});
