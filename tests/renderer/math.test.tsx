import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Markdown } from '../../renderer/components/Markdown';
import { renderMarkdown } from '../../renderer/lib/markdown';
import { loadMath, mathLoaded } from '../../renderer/lib/math';

/** Parsed into a detached element: what the page would hold. (Text first: happy-dom's parser drops the first element of DOMPurify's output.) */
function html(src: string, mode: 'final' | 'streaming' = 'final'): HTMLElement {
  const el = document.createElement('div');
  el.innerHTML = renderMarkdown(src, mode);
  return el;
}
const annotations = (el: HTMLElement): string[] => [...el.querySelectorAll('annotation')].map((a) => a.textContent ?? '');

// Kept in order: the first test runs before KaTeX has loaded in this file's module graph.
describe('math before KaTeX has loaded', () => {
  afterEach(() => {
    act(() => {
      vi.runAllTimers();
    });
    cleanup();
    vi.useRealTimers();
  });

  it('a settled chunk keeps the source in a placeholder, typeset once KaTeX arrives', async () => {
    expect(mathLoaded()).toBe(false);
    vi.useFakeTimers();
    const { container } = render(<Markdown text={'Euler: $e^{i\\pi} = -1$ done.'} streaming={false} />);
    const pending = container.querySelector<HTMLElement>('[data-math]');
    expect(pending?.textContent).toBe('$e^{i\\pi} = -1$');
    expect(container.querySelector('math')).toBeNull();
    await loadMath();
    // The queue runs the step KaTeX's arrival asked for. (The .katex wrapper is the first element of the
    // sanitised output, which happy-dom's parser drops; Chromium keeps it: tests/e2e/render.spec.ts.)
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(container.querySelector('[data-math]')).toBeNull();
    expect(container.querySelector('math annotation')?.textContent).toBe('e^{i\\pi} = -1');
    expect(container.textContent).toContain('done.');
  });
});

describe('math', () => {
  it('typesets $…$ and \\(…\\) inline, $$…$$ and \\[…\\] as display math, as MathML with no inline style', async () => {
    await loadMath();
    const el = html('Inline $a^2$ and \\(b_1\\), display $$\\frac{1}{2}$$ and\n\n\\[\n\\sum_i x_i\n\\]\n\n$$\nc = d\n$$\n');
    expect(annotations(el)).toEqual(['a^2', 'b_1', '\\frac{1}{2}', '\\sum_i x_i', 'c = d']);
    expect([...el.querySelectorAll('math')].map((m) => m.getAttribute('display'))).toEqual([null, null, 'block', 'block', 'block']);
    expect(el.querySelectorAll('.md-math')).toHaveLength(2);
    expect(el.querySelector('[style]')).toBeNull();
  });

  it('leaves prices, escaped dollars and spaced dollars as text (pandoc rule)', async () => {
    await loadMath();
    for (const src of ['It costs $5 and $10 now.', 'From $5-$10.', 'Escaped \\$x\\$ stays.', 'Spaced $ x $ stays.', 'Between $20,000 and $30,000.', 'A lone $ sign.']) {
      const el = html(src);
      expect(el.querySelector('math'), src).toBeNull();
      expect(el.textContent?.trim(), src).toBe(src.replace(/\\\$/g, '$'));
    }
    // The closing $ may be followed by punctuation, not a digit.
    expect(annotations(html('Take $x$, then $y$.'))).toEqual(['x', 'y']);
  });

  it('is not math inside code spans and code blocks', async () => {
    await loadMath();
    const el = html('Code `$x$` and\n\n```\n$$y$$ and $z$\n```\n\n    $$w$$\n');
    expect(el.querySelector('math')).toBeNull();
    expect([...el.querySelectorAll('code')].map((c) => c.textContent)).toEqual(['$x$', '$$y$$ and $z$', '$$w$$']);
  });

  it('while streaming, shows the TeX source: KaTeX runs on settled chunks only', async () => {
    await loadMath();
    const el = html('So $a^2$ and $$b$$', 'streaming');
    expect(el.querySelector('math')).toBeNull();
    expect([...el.querySelectorAll('.md-math-src')].map((s) => s.textContent)).toEqual(['$a^2$', '$$b$$']);
    // `_` inside math is not emphasis, in either mode.
    expect(html('x $a_1 + b_2$ y', 'streaming').querySelector('em')).toBeNull();
  });

  it('shows bad TeX as an error with its source, and bounds macro expansion and sizes', async () => {
    await loadMath();
    const bad = html('Bad $\\frac{1$ here.');
    expect(bad.querySelector('.katex-error')?.textContent).toBe('\\frac{1');
    expect(bad.textContent).toContain('here.');
    const bomb = html('Bomb $\\def\\a{\\a\\a}\\a$ end.');
    expect(bomb.querySelector('.katex-error')).not.toBeNull();
    // \href needs trust: refused, and no link comes out of TeX.
    const link = html('Link $\\href{javascript:alert(1)}{x}$ end.');
    expect(link.querySelector('a')).toBeNull();
  });
});
