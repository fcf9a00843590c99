import type { ReactNode } from 'react';

export function Banner({ kind, children, onDismiss, testId }: { kind: 'warn' | 'error' | 'info'; children: ReactNode; onDismiss?: () => void; testId?: string }) {
  return (
    <div className={`banner banner-${kind}`} role={kind === 'info' ? 'status' : 'alert'} data-testid={testId}>
      <span className="banner-text">{children}</span>
      {onDismiss && (
        <button type="button" className="btn-icon" aria-label="dismiss" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
