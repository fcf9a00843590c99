import { useCallback, useMemo } from 'react';
import { ColumnView } from '../components/ColumnView';
import { copyText } from '../lib/clipboard';
import { useApp } from '../store';

/** One column of the active run; subscribes to that column only, so a delta elsewhere does not re-render it. */
export function LiveColumn({ runId, columnId }: { runId: string; columnId: string }) {
  const column = useApp((s) => s.live[runId]?.columns[columnId]);
  const liveTtftMs = useApp((s) => {
    const clock = s.live[runId]?.clocks[columnId];
    return clock && clock.firstTokenAt !== null ? clock.firstTokenAt - clock.attemptAt : null;
  });
  const width = useApp((s) => (column ? (s.prefs.columnWidths[column.index] ?? null) : null));
  const stopColumn = useApp((s) => s.stopColumn);
  const retryColumn = useApp((s) => s.retryColumn);
  const setColumnWidth = useApp((s) => s.setColumnWidth);
  const setNotice = useApp((s) => s.setNotice);
  const text = column?.text ?? '';
  const index = column?.index ?? 0;

  const actions = useMemo(
    () => ({
      onStop: () => void stopColumn(columnId),
      onRetry: () => void retryColumn(columnId),
      onCopy: () =>
        copyText(text).catch((err: unknown) => {
          setNotice(`copy failed: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }),
    }),
    [columnId, stopColumn, retryColumn, setNotice, text],
  );
  const onResize = useCallback((w: number | null) => setColumnWidth(index, w), [setColumnWidth, index]);

  if (!column) return null;
  return <ColumnView column={column} actions={actions} width={width} onResize={onResize} follow liveTtftMs={liveTtftMs} />;
}
