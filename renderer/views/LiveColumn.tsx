import { useCallback, useMemo, useRef, useState } from 'react';
import type { ColumnResult } from '../../shared/domain';
import { ColumnView } from '../components/ColumnView';
import { ColumnNotes, ConversationActions, EarlierTurns, columnNotes } from '../components/Conversation';
import { copyText } from '../lib/clipboard';
import { useApp, useAppStore, type AppState } from '../store';

/** One column of the active run; subscribes to that column only, so a delta elsewhere does not re-render it. */
export function LiveColumn({ runId, columnId }: { runId: string; columnId: string }) {
  const [onScreen, setOnScreen] = useState(true);
  // A column scrolled out of view keeps showing its last frame until it is back or its status
  // changes. The selector itself returns the frozen column, so the store's per-frame update
  // does not even re-render 12 of 16 columns.
  const shown = useRef<ColumnResult | undefined>(undefined);
  const column = useApp(
    useCallback(
      (s: AppState) => {
        const latest = s.live[runId]?.columns[columnId];
        const prev = shown.current;
        return !onScreen && latest && prev && prev.columnId === latest.columnId && prev.status === latest.status ? prev : latest;
      },
      [runId, columnId, onScreen],
    ),
  );
  shown.current = column;
  const liveTtftMs = useApp((s) => {
    const clock = s.live[runId]?.clocks[columnId];
    return clock && clock.firstTokenAt !== null ? clock.firstTokenAt - clock.attemptAt : null;
  });
  const width = useApp((s) => (column ? (s.prefs.columnWidths[column.index] ?? null) : null));
  const runActive = useApp((s) => s.live[runId]?.status === 'running');
  const stopColumn = useApp((s) => s.stopColumn);
  const retryColumn = useApp((s) => s.retryColumn);
  const setColumnWidth = useApp((s) => s.setColumnWidth);
  const setNotice = useApp((s) => s.setNotice);
  const setFollowUp = useApp((s) => s.setFollowUp);
  const forkColumn = useApp((s) => s.forkColumn);
  const toolResults = useApp((s) => s.followUp.toolResults);
  const setToolResult = useApp((s) => s.setToolResult);
  const store = useAppStore();
  const index = column?.index ?? 0;

  const actions = useMemo(
    () => ({
      onStop: () => void stopColumn(columnId),
      onRetry: () => void retryColumn(columnId),
      onCopy: () =>
        // Read at click time, so the actions stay the same object while text streams in.
        copyText(store.getState().live[runId]?.columns[columnId]?.text ?? '').catch((err: unknown) => {
          setNotice(`copy failed: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }),
    }),
    [runId, columnId, store, stopColumn, retryColumn, setNotice],
  );
  const onResize = useCallback((w: number | null) => setColumnWidth(index, w), [setColumnWidth, index]);
  const onFollowUp = useCallback(() => setFollowUp({ column: index }), [setFollowUp, index]);
  const onFork = useCallback(() => void forkColumn(columnId), [forkColumn, columnId]);
  const turns = column?.turns;
  const earlier = useMemo(() => {
    const before = turns?.filter((t) => t.columnId !== columnId) ?? [];
    return before.length ? <EarlierTurns turns={before} /> : null;
  }, [turns, columnId]);
  // A conversation continues from an answer: a finished column that has one.
  const canContinue = !runActive && column?.status === 'ok' && (column.text.trim() !== '' || Boolean(column.toolCalls?.length));
  const notes = useMemo(() => (column ? columnNotes(column) : []), [column]);
  const noteKey = notes.join('\n');
  const footer = useMemo(
    () =>
      canContinue || noteKey ? (
        <>
          <ColumnNotes notes={noteKey ? noteKey.split('\n') : []} />
          {canContinue && <ConversationActions index={index} onFollowUp={onFollowUp} onFork={onFork} />}
        </>
      ) : null,
    [canContinue, noteKey, index, onFollowUp, onFork],
  );

  if (!column) return null;
  return <ColumnView column={column} actions={actions} width={width} onResize={onResize} follow liveTtftMs={liveTtftMs} onScreenChange={setOnScreen} runActive={runActive} earlier={earlier} footer={footer} toolResults={toolResults} onToolResult={canContinue ? setToolResult : undefined} />;
}
