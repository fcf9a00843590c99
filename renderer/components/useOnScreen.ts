import { useEffect, useState, type RefObject } from 'react';

/**
 * Whether a column is in the strip's view. Work whose only purpose is what the
 * reader sees (markdown parsing, per-frame text updates) waits until it is on
 * screen again.
 *
 * An IntersectionObserver, not content-visibility's state event: Chromium keeps
 * rendering `content-visibility: auto` columns up to 150% of a viewport away,
 * so seven off-screen columns of sixteen would count as shown; and that event
 * bubbles, so a markdown chunk scrolling out of a column's own view (chunks are
 * `content-visibility: auto` too) would freeze a column that is in plain view.
 */
export function useOnScreen(ref: RefObject<HTMLElement | null>): boolean {
  const [onScreen, setOnScreen] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) setOnScreen(last.isIntersecting);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [ref]);
  return onScreen;
}
