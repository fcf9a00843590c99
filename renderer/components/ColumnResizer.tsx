import { useRef, type RefObject } from 'react';
import { MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH } from '../store/uiSlice';

const STEP = 24;
const clamp = (w: number): number => Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, w));

/**
 * Drag handle on a column's right edge. While dragging it sets the width on the
 * element directly and commits once on release, so a drag does not re-render
 * every column per pointer move. Arrow keys resize too; double-click resets.
 */
export function ColumnResizer({ target, index, width, onResize }: { target: RefObject<HTMLElement | null>; index: number; width: number | null; onResize: (w: number | null) => void }) {
  const drag = useRef<{ x: number; w: number } | null>(null);
  // Measured only on a user action: a layout read during render would cost a layout per frame per column.
  const current = (): number => target.current?.getBoundingClientRect().width ?? MIN_COLUMN_WIDTH;
  const apply = (w: number): void => {
    const el = target.current;
    if (el) {
      el.style.flex = `0 0 ${w}px`;
      el.style.width = `${w}px`;
    }
  };
  return (
    <div
      className="col-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={`resize column ${index + 1}`}
      aria-valuenow={width ?? undefined}
      aria-valuemin={MIN_COLUMN_WIDTH}
      aria-valuemax={MAX_COLUMN_WIDTH}
      tabIndex={0}
      data-testid="column-resize"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { x: e.clientX, w: current() };
      }}
      onPointerMove={(e) => {
        if (drag.current) apply(clamp(drag.current.w + e.clientX - drag.current.x));
      }}
      onPointerUp={(e) => {
        if (!drag.current) return;
        const w = clamp(drag.current.w + e.clientX - drag.current.x);
        drag.current = null;
        onResize(w);
      }}
      onDoubleClick={() => {
        // React only diffs its own style props, so undo what the drag wrote by hand.
        target.current?.style.removeProperty('flex');
        target.current?.style.removeProperty('width');
        onResize(null);
      }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          e.preventDefault();
          const w = clamp(current() + (e.key === 'ArrowRight' ? STEP : -STEP));
          // Written by hand first so the scroll below sees the new width: growing the last column
          // otherwise pushes the focused handle past the strip's right edge, out of sight.
          apply(w);
          e.currentTarget.scrollIntoView({ block: 'nearest', inline: 'nearest' });
          onResize(w);
        }
      }}
    />
  );
}
