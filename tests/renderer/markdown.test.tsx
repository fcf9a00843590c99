import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Markdown } from '../../renderer/components/Markdown';
import { renderMarkdown } from '../../renderer/lib/markdown';
import { hasLinkDefinitions, settledEnd } from '../../renderer/lib/settle';
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

describe('settled boundary', () => {
  it('cuts before a block that follows a blank line', () => {
    const t = 'para one\n\npara two\n\nthird';
    expect(settledEnd(t, 0)).toBe(t.indexOf('third'));
    expect(settledEnd('para one\n\n', 0)).toBe(0);
    expect(settledEnd(t, t.indexOf('para two'))).toBe(t.indexOf('third'));
  });

  it('never cuts inside a code fence, even at its blank lines', () => {
    const t = 'intro\n\n```py\na = 1\n\nb = 2\n';
    expect(settledEnd(t, 0)).toBe(t.indexOf('```'));
    const closed = `${t}\`\`\`\n\nafter`;
    expect(settledEnd(closed, 0)).toBe(closed.indexOf('after'));
    // A shorter or different marker does not close the fence.
    const tilde = 'x\n\n~~~~\n```\n\ny';
    expect(settledEnd(tilde, 0)).toBe(tilde.indexOf('~~~~'));
  });

  it('does not cut before an indented line (a list item may go on)', () => {
    expect(settledEnd('- item\n\n  more of the item\n', 0)).toBe(0);
  });

  it('spots reference-style link definitions', () => {
    expect(hasLinkDefinitions('see [docs][d]\n\n[d]: https://example.com')).toBe(true);
    expect(hasLinkDefinitions('see [docs](https://example.com)')).toBe(false);
  });
});

/** Runs the parse queue's pending task (parses never run inside the commit that asked for them). */
function flush(): void {
  act(() => {
    vi.advanceTimersByTime(0);
  });
}

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
    flush();
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
    flush();
    expect(renderMarkdown).toHaveBeenCalledTimes(2);
    expect(container.querySelector('.md-tail')).toBeNull();
    expect(container.textContent).toContain('w9');
  });

  it('parses a settled paragraph once and keeps its DOM while the reply grows', () => {
    let text = 'First **settled** paragraph.\n\nSecond';
    const { container, rerender } = render(<Markdown text={text} streaming />);
    flush();
    const first = container.querySelector('.md-chunk');
    expect(first?.querySelector('strong')?.textContent).toBe('settled');
    for (let i = 0; i < 5; i++) {
      text += ` more${i}`;
      act(() => {
        rerender(<Markdown text={text} streaming />);
        vi.advanceTimersByTime(60);
      });
      flush();
    }
    expect(container.querySelector('.md-chunk')).toBe(first);
    const settledParses = vi.mocked(renderMarkdown).mock.calls.filter(([src]) => src.startsWith('First'));
    expect(settledParses).toHaveLength(1);
    expect(container.textContent).toContain('more4');
  });

  it('parses fully (code highlighted) once the reply is finished', () => {
    const src = 'Here:\n\n```ts\nconst x: number = 1;\n```\n';
    const { container, rerender } = render(<Markdown text={src.slice(0, 10)} streaming />);
    act(() => {
      rerender(<Markdown text={src} streaming={false} />);
    });
    flush();
    expect(vi.mocked(renderMarkdown).mock.calls.at(-1)?.[1]).toBe('final');
    expect(container.querySelector('code.language-ts .hljs-keyword')?.textContent).toBe('const');
    expect(container.textContent).toContain('Here:');
  });

  it('re-parses the whole reply at the end when reference links span chunks', () => {
    const src = 'See [the docs][d].\n\nMore text.\n\n[d]: https://example.com/docs\n';
    const { container, rerender } = render(<Markdown text={src.slice(0, 30)} streaming />);
    act(() => {
      rerender(<Markdown text={src} streaming={false} />);
    });
    flush();
    expect(container.querySelector('a')?.getAttribute('href')).toBe('https://example.com/docs');
  });
  // Sanitising is checked in Chromium (tests/e2e): happy-dom's HTML parser does not model what DOMPurify relies on.
});

describe('<Markdown paused>', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('does no parsing while off screen and catches up when shown', () => {
    vi.mocked(renderMarkdown).mockClear();
    const { container, rerender } = render(<Markdown text="**x**" streaming paused />);
    rerender(<Markdown text="**x** and more" streaming paused />);
    expect(renderMarkdown).not.toHaveBeenCalled();
    expect(container.textContent).toBe('**x** and more');
    rerender(<Markdown text="**x** and more" streaming paused />);
    flush();
    expect(renderMarkdown).not.toHaveBeenCalled();
    rerender(<Markdown text="**x** and more" streaming paused={false} />);
    flush();
    expect(renderMarkdown).toHaveBeenCalledTimes(1);
    expect(container.querySelector('strong')?.textContent).toBe('x');
  });
});
