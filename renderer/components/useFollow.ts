import { useEffect, type RefObject } from 'react';

/** Within this many pixels of the end counts as "at the end": the reader is following. */
export const FOLLOW_SLACK_PX = 24;

/**
 * Keeps a scroller at its end while its content grows, until the reader
 * scrolls away from the end; scrolling back down to the end (wheel, keys,
 * End) follows again.
 *
 * The content stays in normal flow (top origin) and only the scroll offset
 * moves, so the lines already on screen are never laid out or rasterised
 * again: a composited scroll plus the new line. (A `column-reverse` scroller
 * pins itself to the end with no script, but its content grows upwards from
 * the layer's origin, so every visible line is re-rasterised on every frame:
 * twice the frame time at 16 streaming columns.)
 *
 * The ResizeObserver fires after layout and before paint, once per frame for
 * every column that grew; it reads a clean layout and writes only scrollTop.
 */
export function useFollow(scroller: RefObject<HTMLElement | null>, content: RefObject<HTMLElement | null>, active: boolean): void {
  useEffect(() => {
    const el = scroller.current;
    const inner = content.current;
    if (!active || !el || !inner || typeof ResizeObserver === 'undefined') return;
    let following = true;
    // The scroll event our own write causes must not read as the reader leaving the end.
    let ours = -1;
    let last = el.scrollTop;
    const toEnd = (): void => {
      const end = el.scrollHeight - el.clientHeight;
      if (end <= 0 || Math.abs(el.scrollTop - end) < 1) return;
      ours = end;
      el.scrollTop = end;
    };
    const onScroll = (): void => {
      const top = el.scrollTop;
      const down = top > last;
      last = top;
      if (ours >= 0 && Math.abs(top - ours) < 1) {
        ours = -1;
        return;
      }
      ours = -1;
      const fromEnd = el.scrollHeight - el.clientHeight - top;
      // Scrolling up always stops following. Scrolling down resumes it near the end: a fast stream
      // moves the end while a wheel or End key's smooth scroll is still on its way there.
      if (!down) following = fromEnd <= FOLLOW_SLACK_PX;
      else if (fromEnd <= Math.max(FOLLOW_SLACK_PX, el.clientHeight / 2)) following = true;
    };
    const onKey = (e: KeyboardEvent): void => {
      // End (and Ctrl+End) asks for the end outright, wherever the smooth scroll lands.
      if (e.key === 'End' && !e.shiftKey && !e.altKey) following = true;
    };
    const ro = new ResizeObserver(() => {
      if (following) toEnd();
    });
    el.addEventListener('scroll', onScroll, { passive: true });
    el.addEventListener('keydown', onKey);
    ro.observe(inner);
    toEnd();
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', onScroll);
      el.removeEventListener('keydown', onKey);
    };
  }, [scroller, content, active]);
}
