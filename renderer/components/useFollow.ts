import { useEffect, type RefObject } from 'react';

/** Within this many pixels of the end counts as "at the end": the reader is following. */
export const FOLLOW_SLACK_PX = 24;

/**
 * Keeps a scroller at its end while its content grows, until the reader
 * scrolls away from the end; scrolling back to the end follows again.
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
    const toEnd = (): void => {
      const end = el.scrollHeight - el.clientHeight;
      if (end <= 0 || Math.abs(el.scrollTop - end) < 1) return;
      ours = end;
      el.scrollTop = end;
    };
    const onScroll = (): void => {
      if (ours >= 0 && Math.abs(el.scrollTop - ours) < 1) {
        ours = -1;
        return;
      }
      ours = -1;
      following = el.scrollHeight - el.clientHeight - el.scrollTop <= FOLLOW_SLACK_PX;
    };
    const ro = new ResizeObserver(() => {
      if (following) toEnd();
    });
    el.addEventListener('scroll', onScroll, { passive: true });
    ro.observe(inner);
    toEnd();
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', onScroll);
    };
  }, [scroller, content, active]);
}
