import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore, StoreContext } from '../../renderer/store';
import { LiveColumn } from '../../renderer/views/LiveColumn';
import { column, delta, fakeClient, manualFrames, started } from './helpers';

afterEach(cleanup);

function setup() {
  const fake = fakeClient();
  const frames = manualFrames();
  const store = createAppStore({ client: fake.client, frames }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  store.getState().connectEvents();
  act(() => {
    fake.emit(started());
    frames.tick();
  });
  render(
    <StoreContext.Provider value={store}>
      <LiveColumn runId="r1" columnId="c1" />
    </StoreContext.Provider>,
  );
  const stream = (text: string): void =>
    act(() => {
      fake.emit(delta('c1', text));
      frames.tick();
    });
  return { fake, frames, stream };
}

/** What Chromium dispatches when a content-visibility:auto column leaves or enters the view. */
function setSkipped(skipped: boolean): void {
  const ev = new Event('contentvisibilityautostatechange');
  Object.assign(ev, { skipped });
  act(() => {
    fireEvent(screen.getByTestId('column'), ev);
  });
}

describe('<LiveColumn>', () => {
  it('streams into the column while on screen', () => {
    const { stream } = setup();
    stream('Hello');
    stream(' world');
    expect(screen.getByTestId('column-text').textContent).toContain('Hello world');
  });

  it('off screen, keeps its last frame until it is visible again or its status changes', () => {
    const { fake, frames, stream } = setup();
    stream('seen');
    setSkipped(true);
    stream(' unseen');
    expect(screen.getByTestId('column-text').textContent).not.toContain('unseen');
    setSkipped(false);
    expect(screen.getByTestId('column-text').textContent).toContain('seen unseen');

    setSkipped(true);
    act(() => {
      fake.emit({ type: 'column-finished', runId: 'r1', column: column({ status: 'error', error: '500 from mock: boom', text: 'seen unseen' }) });
      frames.tick();
    });
    expect(screen.getByTestId('column').dataset.status).toBe('error');
    expect(screen.getByTestId('column-error').textContent).toBe('500 from mock: boom');
  });
});
