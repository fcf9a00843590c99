import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStore, StoreContext } from '../../renderer/store';
import { LiveColumn } from '../../renderer/views/LiveColumn';
import { column, delta, fakeClient, manualFrames, started } from './helpers';

/** IntersectionObservers the test drives by hand (happy-dom's never report). */
const observers: Array<{ cb: IntersectionObserverCallback; targets: Element[] }> = [];
beforeEach(() => {
  observers.length = 0;
  vi.stubGlobal(
    'IntersectionObserver',
    class {
      private entry: { cb: IntersectionObserverCallback; targets: Element[] };
      constructor(cb: IntersectionObserverCallback) {
        this.entry = { cb, targets: [] };
        observers.push(this.entry);
      }
      observe(el: Element): void {
        this.entry.targets.push(el);
      }
      disconnect(): void {
        this.entry.targets = [];
      }
    },
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function setup(onCommit?: () => void) {
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
      <Profiler id="column" onRender={() => onCommit?.()}>
        <LiveColumn runId="r1" columnId="c1" />
      </Profiler>
    </StoreContext.Provider>,
  );
  const stream = (text: string): void =>
    act(() => {
      fake.emit(delta('c1', text));
      frames.tick();
    });
  return { fake, frames, stream };
}

/** What the column's IntersectionObserver reports when it scrolls out of or into the strip's view. */
function setSkipped(skipped: boolean): void {
  const el = screen.getByTestId('column');
  act(() => {
    for (const o of observers) if (o.targets.includes(el)) o.cb([{ target: el, isIntersecting: !skipped } as unknown as IntersectionObserverEntry], {} as IntersectionObserver);
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

  it('keeps streaming in view when content inside it changes its own content-visibility state', () => {
    const { stream } = setup();
    stream('first');
    // Markdown chunks are content-visibility: auto as well, and that state event bubbles up to the column.
    const ev = new Event('contentvisibilityautostatechange', { bubbles: true });
    Object.assign(ev, { skipped: true });
    act(() => {
      fireEvent(screen.getByTestId('column-text'), ev);
    });
    stream(' second');
    expect(screen.getByTestId('column-text').textContent).toContain('first second');
  });

  it('does not even re-render while off screen: the store selector returns the frozen column', () => {
    const commits = vi.fn();
    const { stream } = setup(commits);
    stream('seen');
    setSkipped(true);
    commits.mockClear();
    for (let i = 0; i < 5; i++) stream(` more${i}`);
    expect(commits).not.toHaveBeenCalled();
    setSkipped(false);
    expect(commits).toHaveBeenCalled();
    expect(screen.getByTestId('column-text').textContent).toContain('seen more0 more1 more2 more3 more4');
  });
});
