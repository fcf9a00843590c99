import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ColumnView } from '../../renderer/components/ColumnView';
import { column } from './helpers';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('resizing a column from the keyboard', () => {
  it('applies the new width and then brings the focused handle back into view', () => {
    // Growing the last column pushed its handle past the strip's right edge, out of sight.
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 0, 400, 600));
    let widthWhenScrolled: string | null = null;
    const scroll = vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation(function (this: HTMLElement) {
      widthWhenScrolled = this.closest<HTMLElement>('[data-testid="column"]')!.style.width;
    });
    const onResize = vi.fn();
    render(<ColumnView column={column()} actions={{}} width={400} onResize={onResize} />);

    fireEvent.keyDown(screen.getByTestId('column-resize'), { key: 'ArrowRight' });

    expect(onResize).toHaveBeenCalledWith(424);
    expect(scroll).toHaveBeenCalledWith({ block: 'nearest', inline: 'nearest' });
    expect(scroll.mock.contexts[0]).toBe(screen.getByTestId('column-resize'));
    expect(widthWhenScrolled).toBe('424px');
  });
});
