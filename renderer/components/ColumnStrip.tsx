import { useEffect, useRef, type ReactNode } from 'react';

/**
 * Columns side by side; scrolls sideways when they do not fit. A plain mouse
 * wheel over the column headers moves the strip sideways too (over a body it
 * scrolls that answer), so a reader without a trackpad or Shift+wheel can
 * still reach column 16.
 */
export function ColumnStrip({ children, count }: { children: ReactNode; count: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const strip = ref.current;
    if (!strip) return;
    const onWheel = (e: WheelEvent): void => {
      if (e.shiftKey || e.ctrlKey || Math.abs(e.deltaX) >= Math.abs(e.deltaY)) return;
      const target = e.target instanceof Element ? e.target : null;
      if (!target?.closest('.col-head, .attempts > summary')) return;
      // deltaMode 1 is lines (Firefox); about 40 px each.
      strip.scrollLeft += e.deltaMode === 1 ? e.deltaY * 40 : e.deltaY;
    };
    strip.addEventListener('wheel', onWheel, { passive: true });
    return () => strip.removeEventListener('wheel', onWheel);
  }, []);
  return (
    <div className="col-strip" data-testid="columns" data-count={count} ref={ref}>
      {children}
    </div>
  );
}
