import type { ReactNode } from 'react';

/** Columns side by side; scrolls sideways when they do not fit. */
export function ColumnStrip({ children, count }: { children: ReactNode; count: number }) {
  return (
    <div className="col-strip" data-testid="columns" data-count={count}>
      {children}
    </div>
  );
}
