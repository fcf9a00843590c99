import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Markdown } from '../../renderer/components/Markdown';
import { renderMarkdown } from '../../renderer/lib/markdown';
import { nextParseDelay, parseIntervalMs } from '../../renderer/lib/throttle';

vi.mock('../../renderer/lib/markdown', async (orig) => {
  const real = await orig<typeof import('../../renderer/lib/markdown')>();
  return { ...real, renderMarkdown: vi.fn(real.renderMarkdown) };
});

describe('markdown throttle', () => {
  it('parses less often as the reply grows', () => {
    expect(parseIntervalMs(0)).toBe(50);
    expect(parseIntervalMs(1_999)).toBe(50);
    expect(parseIntervalMs(2_000)).toBe(150);
    expect(parseIntervalMs(9_999)).toBe(150);
    expect(parseIntervalMs(10_000)).toBe(400);
  });

  it('waits out the interval since the last parse', () => {
    expect(nextParseDelay(100, 50, 1_000, 1_010)).toBe(40);
    expect(nextParseDelay(100, 50, 1_000, 1_080)).toBe(0);
    expect(nextParseDelay(5_000, 4_900, 1_000, 1_100)).toBe(50);
    expect(nextParseDelay(100, 100, 0, 9_999)).toBe(Infinity);
    // A restarted answer (shorter text) is shown at once.
    expect(nextParseDelay(10, 500, 1_000, 1_001)).toBe(0);
  });
});

describe('<Markdown>', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.mocked(renderMarkdown).mockClear();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('while streaming, parses at most once per interval and shows the unparsed tail as text', () => {
    const { container, rerender } = render(<Markdown text="**a**" streaming />);
    expect(renderMarkdown).toHaveBeenCalledTimes(1);
    expect(container.querySelector('strong')?.textContent).toBe('a');

    // Ten frames of new text within 50 ms: no parse, but every character is on screen.
    let text = '**a**';
    for (let i = 0; i < 10; i++) {
      text += ` w${i}`;
      act(() => {
        rerender(<Markdown text={text} streaming />);
        vi.advanceTimersByTime(4);
      });
    }
    expect(renderMarkdown).toHaveBeenCalledTimes(1);
    expect(container.querySelector('.md-tail')?.textContent).toBe(' w0 w1 w2 w3 w4 w5 w6 w7 w8 w9');

    act(() => {
      vi.advanceTimersByTime(20);
    });
    expect(renderMarkdown).toHaveBeenCalledTimes(2);
    expect(container.querySelector('.md-tail')).toBeNull();
    expect(container.textContent).toContain('w9');
  });

  it('parses fully (code highlighted) once the reply is finished', () => {
    const src = 'Here:\n\n```ts\nconst x: number = 1;\n```\n';
    const { container, rerender } = render(<Markdown text={src.slice(0, 10)} streaming />);
    act(() => {
      rerender(<Markdown text={src} streaming={false} />);
    });
    expect(vi.mocked(renderMarkdown).mock.calls.at(-1)).toEqual([src, 'final']);
    expect(container.querySelector('code.language-ts .hljs-keyword')?.textContent).toBe('const');
  });
  // Sanitising is checked in Chromium (tests/e2e): happy-dom's HTML parser does not model what DOMPurify relies on.
});
