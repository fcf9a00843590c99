import { useEffect, useState, type RefObject } from 'react';

/**
 * Whether the browser is rendering an element with `content-visibility: auto`
 * (columns scrolled out of the strip are skipped). Work whose only purpose is
 * what the reader sees (markdown parsing, scroll-follow, which would force a
 * skipped column to lay out) waits until it is on screen again.
 */
export function useOnScreen(ref: RefObject<HTMLElement | null>): boolean {
  const [onScreen, setOnScreen] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onChange = (e: Event): void => setOnScreen(!(e as Event & { skipped?: boolean }).skipped);
    el.addEventListener('contentvisibilityautostatechange', onChange);
    return () => el.removeEventListener('contentvisibilityautostatechange', onChange);
  }, [ref]);
  return onScreen;
}
