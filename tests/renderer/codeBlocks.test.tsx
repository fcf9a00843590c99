import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Markdown } from '../../renderer/components/Markdown';

const CODE = "const html = '<b>not bold</b>'; // & more\nlet n = 1;";
const ANSWER = `Here:\n\n\`\`\`ts\n${CODE}\n\`\`\`\n\nAnd raw:\n\n\`\`\`\nplain <i>text</i>\n\`\`\`\n`;

describe('copy buttons on code blocks', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    act(() => {
      vi.runAllTimers();
    });
    cleanup();
    vi.useRealTimers();
  });

  it('each settled code block gets one keyboard-reachable button that copies its code as text, and says so', async () => {
    const { container, rerender } = render(<Markdown text={ANSWER} streaming={false} />);
    const buttons = container.querySelectorAll<HTMLButtonElement>('pre > button.md-copy');
    expect(buttons).toHaveLength(2);
    expect(buttons[0]!.type).toBe('button');
    expect(buttons[0]!.getAttribute('aria-label')).toBe('Copy code');
    buttons[0]!.focus();
    expect(document.activeElement).toBe(buttons[0]);
    // Highlighted: the code element holds markup, the copy is its text.
    expect(container.querySelector('pre code .hljs-keyword')).not.toBeNull();

    await act(async () => {
      fireEvent.click(buttons[0]!);
      await Promise.resolve();
    });
    expect(await navigator.clipboard.readText()).toBe(CODE);
    expect(buttons[0]!.textContent).toBe('Copied');
    act(() => {
      vi.advanceTimersByTime(1600);
    });
    expect(buttons[0]!.textContent).toBe('Copy');

    await act(async () => {
      fireEvent.click(buttons[1]!);
      await Promise.resolve();
    });
    expect(await navigator.clipboard.readText()).toBe('plain <i>text</i>');

    // A later render of the same reply adds no second button.
    rerender(<Markdown text={`${ANSWER}\nMore.`} streaming={false} />);
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(container.querySelectorAll('button.md-copy')).toHaveLength(2);
  });

  it('the streaming tail gets none until its block settles; a click elsewhere copies nothing', async () => {
    // No blank line before the fence: one block, so the <pre> is not the first element (happy-dom's parser drops that one).
    const open = 'Intro\n```ts\nconst a = 1;\n';
    const { container } = render(<Markdown text={open} streaming />);
    // The first parse waits one throttle interval, then runs from the parse queue.
    act(() => {
      vi.advanceTimersByTime(100);
    });
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(container.querySelector('pre')).not.toBeNull();
    expect(container.querySelector('button.md-copy')).toBeNull();
    await navigator.clipboard.writeText('before');
    fireEvent.click(container.querySelector('pre code')!);
    expect(await navigator.clipboard.readText()).toBe('before');
  });
});
