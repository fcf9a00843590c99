import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Markdown, placeTail, SLICE_CHARS, tailHost } from '../../renderer/components/Markdown';
import { HIGHLIGHT_SLICE, highlightStep, INLINE_HIGHLIGHT_LIMIT, renderMarkdown } from '../../renderer/lib/markdown';
import { hasLinkDefinitions, settledEnd } from '../../renderer/lib/settle';
import { nextParseDelay, parseIntervalMs, runWhenReallyIdle, whenIdle } from '../../renderer/lib/throttle';

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

describe('deferred highlighting', () => {
  it('highlights a marked block one slice per step, the rest staying escaped text', () => {
    const code = Array.from({ length: 80 }, (_, i) => `let x${i} = "<b>${i}</b>";`).join('\n');
    const host = document.createElement('div');
    host.innerHTML = renderMarkdown(`\`\`\`ts\n${code}\n\`\`\`\n`, 'final');
    document.body.append(host);
    const el = host.querySelector('code') as HTMLElement;
    expect(el.dataset.highlight).toBe('ts');
    let steps = 0;
    let highlighted = 0;
    while (highlightStep(el)) {
      steps++;
      const now = el.querySelectorAll('.hljs-keyword').length;
      expect(now).toBeGreaterThan(highlighted);
      expect(now).toBeLessThan(80);
      highlighted = now;
    }
    expect(steps).toBeGreaterThanOrEqual(Math.floor(code.length / HIGHLIGHT_SLICE));
    expect(el.querySelectorAll('.hljs-keyword')).toHaveLength(80);
    expect(el.textContent).toBe(code);
    expect(el.querySelector('b')).toBeNull();
    host.remove();
  });
});

describe('idle scheduling', () => {
  afterEach(() => vi.unstubAllGlobals());

  function fakeIdle() {
    const pending: Array<{ cb: (d: { timeRemaining(): number; didTimeout: boolean }) => void; timeout: number | undefined }> = [];
    vi.stubGlobal('requestIdleCallback', (cb: (d: { timeRemaining(): number; didTimeout: boolean }) => void, opts?: { timeout: number }) => {
      pending.push({ cb, timeout: opts?.timeout });
      return pending.length;
    });
    const idle = (remaining: number, didTimeout = false): void => pending.shift()!.cb({ timeRemaining: () => remaining, didTimeout });
    return { pending, idle };
  }

  it('waits for an idle period long enough to do something, or for the timeout', () => {
    const { pending, idle } = fakeIdle();
    const run = vi.fn();
    whenIdle(run, 100, 5);
    expect(pending[0]!.timeout).toBe(100);
    idle(2);
    expect(run).not.toHaveBeenCalled();
    // Asked again, and the timeout still counts from the first request.
    expect(pending).toHaveLength(1);
    expect(pending[0]!.timeout).toBeLessThanOrEqual(100);
    idle(8);
    expect(run).toHaveBeenCalledOnce();
    whenIdle(run, 100, 5);
    idle(0, true);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('runs warm-up jobs one per long idle period only', () => {
    const { pending, idle } = fakeIdle();
    const jobs = [vi.fn(), vi.fn()];
    runWhenReallyIdle(jobs, 40);
    idle(10);
    expect(jobs[0]).not.toHaveBeenCalled();
    idle(45);
    expect(jobs[0]).toHaveBeenCalledOnce();
    expect(jobs[1]).not.toHaveBeenCalled();
    idle(49);
    expect(jobs[1]).toHaveBeenCalledOnce();
    expect(pending).toHaveLength(0);
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

  it('with a limit, stops at the first boundary that far on, so a long text settles in slices', () => {
    const para = (i: number): string => `paragraph ${i} ${'x'.repeat(40)}\n\n`;
    const t = Array.from({ length: 20 }, (_, i) => para(i)).join('') + 'tail';
    const unlimited = settledEnd(t, 0);
    expect(unlimited).toBe(t.indexOf('tail'));
    const first = settledEnd(t, 0, 200);
    expect(first).toBeGreaterThanOrEqual(200);
    expect(first).toBeLessThan(200 + para(0).length);
    expect(t.slice(first).startsWith('paragraph')).toBe(true);
    // A limit beyond the last boundary changes nothing.
    expect(settledEnd(t, first, 100_000)).toBe(unlimited);
  });

  it('does not cut before an indented line (a list item may go on)', () => {
    expect(settledEnd('- item\n\n  more of the item\n', 0)).toBe(0);
  });

  it('spots reference-style link definitions', () => {
    expect(hasLinkDefinitions('see [docs][d]\n\n[d]: https://example.com')).toBe(true);
    expect(hasLinkDefinitions('see [docs](https://example.com)')).toBe(false);
  });
});

/**
 * Runs the parse queue's pending task (parses never run inside the commit that asked for them).
 * 1 ms: fake timers push a 0 ms timer set from inside another timer to 1 ms.
 */
function flush(): void {
  act(() => {
    vi.advanceTimersByTime(1);
  });
}

/** A streaming reply's first parse waits one interval (the column learns meanwhile whether it is on screen). */
function firstParse(): void {
  act(() => {
    vi.advanceTimersByTime(parseIntervalMs(0));
  });
  flush();
}

describe('<Markdown>', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.mocked(renderMarkdown).mockClear();
  });
  afterEach(() => {
    // The parse queue is shared by every column: leave nothing queued on a fake timer for the next test.
    act(() => {
      vi.runAllTimers();
    });
    cleanup();
    vi.useRealTimers();
  });

  it('while streaming, parses at most once per interval and shows the unparsed tail as text', () => {
    const { container, rerender } = render(<Markdown text="**a**" streaming />);
    flush();
    expect(renderMarkdown).not.toHaveBeenCalled();
    firstParse();
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
    // It carries on the parsed paragraph's line (cut mid-line), not on a line of its own.
    expect(container.querySelector('.md-tail')!.classList.contains('md-tail--block')).toBe(false);
    expect(container.querySelector('.md-chunk')?.textContent).toBe('a w0 w1 w2 w3 w4 w5 w6 w7 w8 w9');

    act(() => {
      vi.advanceTimersByTime(20);
    });
    flush();
    expect(renderMarkdown).toHaveBeenCalledTimes(2);
    expect(container.querySelector('.md-tail')).toBeNull();
    expect(container.textContent).toContain('w9');
  });

  it('puts plain text that starts a new block after the parsed tail, without the blank line', () => {
    const { container, rerender } = render(<Markdown text="First para." streaming />);
    firstParse();
    act(() => rerender(<Markdown text={'First para.\n\nSecond'} streaming />));
    const tail = container.querySelector('.md-tail')!;
    expect(tail.classList.contains('md-tail--block')).toBe(true);
    expect(tail.textContent).toBe('Second');
  });

  it('parses a settled paragraph once and keeps its DOM while the reply grows', () => {
    let text = 'First **settled** paragraph.\n\nSecond';
    const { container, rerender } = render(<Markdown text={text} streaming />);
    firstParse();
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
  it('arms one timer per parse, not one per frame of new text', () => {
    let text = 'start';
    const { rerender } = render(<Markdown text={text} streaming />);
    firstParse();
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    for (let i = 0; i < 10; i++) {
      text += ` w${i}`;
      act(() => {
        rerender(<Markdown text={text} streaming />);
        vi.advanceTimersByTime(2);
      });
    }
    // The first frame of new text arms the next parse; the nine after it find it armed.
    expect(setTimer).toHaveBeenCalledTimes(1);
    setTimer.mockRestore();
  });

  it('parses a long finished reply in slices, one small task each', () => {
    const src = Array.from({ length: 60 }, (_, i) => `Paragraph **${i}** ${'word '.repeat(40)}\n`).join('\n');
    const { container } = render(<Markdown text={src} streaming={false} />);
    // The first slice is parsed for the first paint; the rest follows a slice per task.
    const afterMount = vi.mocked(renderMarkdown).mock.calls.length;
    expect(afterMount).toBe(1);
    let tasks = 0;
    while (container.querySelector('.md-tail') && tasks < 50) {
      flush();
      tasks++;
    }
    expect(tasks).toBeGreaterThan(2);
    for (const [part] of vi.mocked(renderMarkdown).mock.calls) expect(part.length).toBeLessThan(SLICE_CHARS + 300);
    expect(container.querySelectorAll('strong')).toHaveLength(60);
    expect(container.textContent).toContain('Paragraph 59');
  });

  it('leaves big and unnamed code blocks out of the parse, then highlights them in later tasks', () => {
    const line = (i: number): string => `const v${i}: string = "<img src=x onerror=alert(${i})>";\n`;
    const code = Array.from({ length: 60 }, (_, i) => line(i)).join('');
    expect(code.length).toBeGreaterThan(INLINE_HIGHLIGHT_LIMIT);
    const src = `Code:\n\n\`\`\`ts\n${code}\`\`\`\n\nAnd:\n\n\`\`\`\ndef f(x):\n    return x + 1\n\`\`\`\n`;
    const { container, rerender } = render(<Markdown text="Code:" streaming />);
    act(() => {
      rerender(<Markdown text={src} streaming={false} />);
    });
    flush();
    // What the parse produced: both blocks as plain, marked text.
    const html = vi.mocked(renderMarkdown).mock.results.map((r) => String(r.value)).join('');
    expect(html).toContain('data-highlight="ts"');
    expect(html).toContain('data-highlight="auto"');
    expect(html).not.toContain('hljs-keyword');
    for (let i = 0; i < 20 && container.querySelector('[data-highlight]'); i++) flush();
    const [ts, py] = [...container.querySelectorAll('pre code')] as HTMLElement[];
    expect(container.querySelector('[data-highlight]')).toBeNull();
    expect(ts!.querySelectorAll('.hljs-keyword')).toHaveLength(60);
    expect(ts!.textContent).toBe(code.replace(/\n$/, ''));
    expect(container.querySelector('img')).toBeNull();
    expect(py!.className).toContain('language-python');
    expect(py!.querySelector('.hljs-keyword')?.textContent).toBe('def');
  });

  // Sanitising is checked in Chromium (tests/e2e): happy-dom's HTML parser does not model what DOMPurify relies on.
});

describe('<Markdown paused>', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    act(() => {
      vi.runAllTimers();
    });
    cleanup();
    vi.useRealTimers();
  });

  it('does no parsing and no DOM updates while off screen, and catches up when shown', () => {
    vi.mocked(renderMarkdown).mockClear();
    const { container, rerender } = render(<Markdown text="**x**" streaming paused />);
    rerender(<Markdown text="**x** and more" streaming paused />);
    expect(renderMarkdown).not.toHaveBeenCalled();
    expect(container.textContent).toBe('**x**');
    rerender(<Markdown text="**x** and more" streaming paused />);
    flush();
    expect(renderMarkdown).not.toHaveBeenCalled();
    rerender(<Markdown text="**x** and more" streaming paused={false} />);
    expect(container.textContent).toBe('**x** and more');
    firstParse();
    expect(renderMarkdown).toHaveBeenCalledTimes(1);
    expect(container.querySelector('strong')?.textContent).toBe('x');
  });

  it('a reply that finishes off screen is not parsed until it is shown, then in slices', () => {
    vi.mocked(renderMarkdown).mockClear();
    const long = Array.from({ length: 40 }, (_, i) => `Para **${i}** ${'word '.repeat(40)}\n`).join('\n');
    const { container, rerender } = render(<Markdown text="Para" streaming paused />);
    rerender(<Markdown text={long} streaming={false} paused />);
    flush();
    expect(renderMarkdown).not.toHaveBeenCalled();
    expect(container.textContent).toBe('Para');
    rerender(<Markdown text={long} streaming={false} paused={false} />);
    for (let i = 0; i < 20 && container.querySelector('.md-tail'); i++) flush();
    expect(vi.mocked(renderMarkdown).mock.calls.length).toBeGreaterThan(1);
    expect(container.querySelectorAll('strong')).toHaveLength(40);
  });
});

/**
 * Where the plain tail goes, on markup as the browser builds it (set here by
 * hand: happy-dom's parser drops the first element of DOMPurify's output).
 */
describe('placing the plain tail', () => {
  function chunkOf(html: string): HTMLDivElement {
    const div = document.createElement('div');
    div.innerHTML = html;
    return div;
  }
  const place = (html: string, plain: string, blankLine = false, inFence = false) => {
    const chunk = chunkOf(html);
    const span = document.createElement('span');
    placeTail(chunk, span, plain, blankLine, inFence);
    return { chunk, span };
  };

  it('continues the innermost last paragraph, list item or heading', () => {
    expect(tailHost(chunkOf('<p>one</p><p>two <strong>b</strong></p>'))?.outerHTML).toBe('<p>two <strong>b</strong></p>');
    expect(tailHost(chunkOf('<ul><li>one</li><li>two</li></ul>'))?.outerHTML).toBe('<li>two</li>');
    expect(tailHost(chunkOf('<ol><li><p>loose</p></li></ol>'))?.outerHTML).toBe('<p>loose</p>');
    expect(tailHost(chunkOf('<blockquote><p>quoted</p></blockquote>'))?.outerHTML).toBe('<p>quoted</p>');
    expect(tailHost(chunkOf('<h2>Head</h2>'))?.outerHTML).toBe('<h2>Head</h2>');
    const { span } = place('<ul><li>one</li><li>tw</li></ul>', 'o');
    expect(span.parentElement?.tagName).toBe('LI');
    expect(span.parentElement?.textContent).toBe('two');
    expect(span.className).toBe('md-tail');
  });

  it('continues an open code block inside its code, across new and blank lines', () => {
    const { span } = place('<pre><code class="hljs">const a = 1;\n</code></pre>', '\nconst b = 2;', true, true);
    expect(span.parentElement?.tagName).toBe('CODE');
    expect(span.textContent).toBe('\nconst b = 2;');
  });

  it('starts a block after a blank line, a table, a rule or a closed code block', () => {
    for (const [html, blank, fence] of [
      ['<p>First para.</p>', true, false],
      ['<table><tr><td>1</td></tr></table>', false, false],
      ['<hr>', false, false],
      ['<pre><code>done</code></pre>', false, false],
    ] as const) {
      const { chunk, span } = place(html, '\n\nnext', blank, fence);
      expect(span.parentElement, html).toBe(chunk);
      expect(span.className, html).toBe('md-tail md-tail--block');
      expect(span.textContent, html).toBe('next');
    }
  });

  it('reuses one span from frame to frame, moving it when a parse replaces the markup', () => {
    const chunk = chunkOf('<p>a</p>');
    const span = document.createElement('span');
    placeTail(chunk, span, ' b', false, false);
    placeTail(chunk, span, ' bc', false, false);
    expect(chunk.querySelectorAll('.md-tail')).toHaveLength(1);
    expect(chunk.textContent).toBe('a bc');
    chunk.innerHTML = '<p>a bc</p><p>d</p>';
    placeTail(chunk, span, 'e', false, false);
    expect(chunk.querySelector('p:last-child')?.textContent).toBe('de');
  });
});
