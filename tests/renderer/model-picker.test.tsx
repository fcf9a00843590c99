import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelOption } from '../../shared/contract';
import { ModelPicker, targetError } from '../../renderer/components/ModelPicker';

const OPTIONS: ModelOption[] = [
  { target: 'mock:gpt-good', label: 'GPT good', provider: 'mock', modelId: 'openai/gpt-good' },
  { target: 'mock:claude-ok', label: 'Claude ok', provider: 'mock', modelId: null },
];

function Harness({ onSearch, initial = [] }: { onSearch: (q: string) => void; initial?: string[] }) {
  const [targets, setTargets] = useState(initial);
  return (
    <>
      <ModelPicker
        targets={targets}
        options={OPTIONS}
        loading={false}
        error={null}
        onSearch={onSearch}
        onAdd={(t) => setTargets((ts) => [...ts, t])}
        onRemove={(t) => setTargets((ts) => ts.filter((x) => x !== t))}
      />
      <output data-testid="targets">{targets.join('|')}</output>
    </>
  );
}

const input = (): HTMLInputElement => screen.getByTestId('model-picker-input');
const chosen = (): string => screen.getByTestId('targets').textContent ?? '';

describe('model picker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('searches the providers after a pause in typing, not per keystroke', () => {
    const onSearch = vi.fn();
    render(<Harness onSearch={onSearch} />);
    act(() => vi.advanceTimersByTime(200));
    onSearch.mockClear();
    fireEvent.change(input(), { target: { value: 'g' } });
    fireEvent.change(input(), { target: { value: 'gp' } });
    fireEvent.change(input(), { target: { value: 'gpt' } });
    act(() => vi.advanceTimersByTime(200));
    expect(onSearch.mock.calls).toEqual([['gpt']]);
  });

  it('adds an option with the keyboard and hides chosen ones from the list', () => {
    render(<Harness onSearch={() => undefined} />);
    fireEvent.focus(input());
    fireEvent.keyDown(input(), { key: 'ArrowDown' });
    fireEvent.keyDown(input(), { key: 'Enter' });
    expect(chosen()).toBe('mock:claude-ok');
    fireEvent.focus(input());
    const listed = screen.getAllByTestId('model-option').map((o) => o.dataset.target);
    expect(listed).toEqual(['mock:gpt-good']);
  });

  it('adds an option by mouse', () => {
    render(<Harness onSearch={() => undefined} />);
    fireEvent.focus(input());
    fireEvent.mouseDown(screen.getAllByTestId('model-option')[0]!);
    expect(chosen()).toBe('mock:gpt-good');
  });

  it('takes free-form targets in every syntax, several at once', () => {
    render(<Harness onSearch={() => undefined} />);
    fireEvent.change(input(), { target: { value: 'openai:gpt-4o-mini anthropic/claude-3-5-haiku@openrouter a/b,c:d' } });
    fireEvent.keyDown(input(), { key: 'Enter' });
    expect(chosen()).toBe('openai:gpt-4o-mini|anthropic/claude-3-5-haiku@openrouter|a/b,c:d');
    expect(input().value).toBe('');
  });

  it('offers a typed target as an entry and explains a malformed one', () => {
    render(<Harness onSearch={() => undefined} />);
    fireEvent.change(input(), { target: { value: 'groq:llama-3' } });
    expect(screen.getAllByTestId('model-option')[0]!.dataset.target).toBe('groq:llama-3');
    fireEvent.change(input(), { target: { value: 'Bad Provider:x' } });
    fireEvent.keyDown(input(), { key: 'Enter' });
    expect(screen.getByTestId('model-picker-error').textContent).toMatch(/malformed target/);
    expect(chosen()).toBe('');
    expect(targetError('a,,b')).toMatch(/empty entry/);
  });

  it('removes with the chip button and with Backspace on an empty box', () => {
    render(<Harness onSearch={() => undefined} initial={['x:a', 'x:b', 'x:c']} />);
    fireEvent.click(screen.getByRole('button', { name: 'remove x:a' }));
    fireEvent.keyDown(input(), { key: 'Backspace' });
    expect(chosen()).toBe('x:b');
  });

  it('Escape closes the list without reaching the window (where it would stop all columns)', () => {
    const onWindowKey = vi.fn();
    window.addEventListener('keydown', onWindowKey);
    render(<Harness onSearch={() => undefined} />);
    fireEvent.focus(input());
    expect(screen.queryByRole('listbox')).not.toBeNull();
    fireEvent.keyDown(input(), { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(onWindowKey).not.toHaveBeenCalled();
    window.removeEventListener('keydown', onWindowKey);
  });
});

describe('model picker ordering', () => {
  afterEach(cleanup);
  it('lists search matches before a bare word taken as typed, and a full target first', () => {
    render(<Harness onSearch={() => undefined} />);
    fireEvent.change(input(), { target: { value: 'good' } });
    expect(screen.getAllByTestId('model-option').map((o) => o.dataset.target)).toEqual(['mock:gpt-good', 'good']);
    fireEvent.change(input(), { target: { value: 'mock:good' } });
    expect(screen.getAllByTestId('model-option')[0]!.dataset.target).toBe('mock:good');
  });
});

describe('model picker searching', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('searches once per query even when the parent re-renders with a new callback (no polling loop)', () => {
    const calls: string[] = [];
    // Like a connected parent: every search flips "loading", which re-renders it with a fresh callback.
    function Parent() {
      const [loading, setLoading] = useState(false);
      return (
        <ModelPicker
          targets={[]}
          options={OPTIONS}
          loading={loading}
          error={null}
          onSearch={(q) => {
            calls.push(q);
            setLoading(true);
            setTimeout(() => setLoading(false), 10);
          }}
          onAdd={() => undefined}
          onRemove={() => undefined}
        />
      );
    }
    // Step the clock so React re-renders between timers, as it would in a browser.
    const wait = (ms: number): void => {
      for (let t = 0; t < ms; t += 50) act(() => vi.advanceTimersByTime(50));
    };
    render(<Parent />);
    wait(2_000);
    expect(calls).toEqual(['']);
    fireEvent.change(input(), { target: { value: 'gpt' } });
    wait(2_000);
    expect(calls).toEqual(['', 'gpt']);
  });
});
