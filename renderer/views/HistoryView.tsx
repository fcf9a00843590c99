import { useCallback, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ColumnResult, HistoryStats, RunResult } from '../../shared/domain';
import { columnFacts, summarizeRun } from '../../shared/run-summary';
import { ColumnStrip } from '../components/ColumnStrip';
import { ColumnView } from '../components/ColumnView';
import { ColumnNotes, EarlierTurns, columnNotes } from '../components/Conversation';
import { ExportMenu } from '../components/ExportMenu';
import { RunList } from '../components/RunList';
import { HistoryFilterBar } from '../components/HistoryFilterBar';
import { PastAttachments } from '../components/PastAttachments';
import { RunLabels } from '../components/RunLabels';
import { noFilters } from '../../shared/run-labels';
import { RunTotalsRow } from '../components/RunTotals';
import { copyText } from '../lib/clipboard';
import { formatDate } from '../lib/format';
import { useApp } from '../store';

const SEARCH_DEBOUNCE_MS = 200;
// A system prompt longer than about one line of the header opens on demand: a 6,000-character one
// once took the whole height and left the columns none.
const SYSTEM_INLINE_CHARS = 100;

function SystemPrompt({ text }: { text: string }) {
  if (text.length <= SYSTEM_INLINE_CHARS && !text.includes('\n')) {
    return (
      <p className="run-system" data-testid="history-system">
        <span className="field-label">System</span> {text}
      </p>
    );
  }
  return (
    <details className="run-system" data-testid="history-system">
      <summary>
        {/* The count goes before the preview: the summary's one line ends in an ellipsis. */}
        <span className="field-label">System</span> <span className="run-system-count">({text.length.toLocaleString('en-US')} chars)</span> <span className="run-system-preview">{text}</span>
      </summary>
      <div className="run-system-text">{text}</div>
    </details>
  );
}

const sizeOf = (b: number): string => (b < 1024 ** 2 ? `${Math.max(1, Math.round(b / 1024))} KB` : b < 1024 ** 3 ? `${(b / 1024 ** 2).toFixed(0)} MB` : `${(b / 1024 ** 3).toFixed(2)} GB`);

/** How big history has grown: a researcher keeps every run, and the file is theirs to look after. */
function HistoryFooter({ stats }: { stats: HistoryStats }) {
  return (
    <p className="history-footer muted" data-testid="history-footer" title={`database ${sizeOf(stats.dbBytes)}, write-ahead log ${sizeOf(stats.walBytes)}`}>
      {stats.runs.toLocaleString('en-US')} run{stats.runs === 1 ? '' : 's'} ·{' '}
      {stats.columns !== null && `${stats.columns.toLocaleString('en-US')} answer${stats.columns === 1 ? '' : 's'} · `}
      {sizeOf(stats.dbBytes + stats.walBytes)} on disk
    </p>
  );
}

function HistoryColumn({ column }: { column: ColumnResult }) {
  const width = useApp((s) => s.prefs.columnWidths[column.index] ?? null);
  const setColumnWidth = useApp((s) => s.setColumnWidth);
  const setNotice = useApp((s) => s.setNotice);
  const actions = useMemo(
    () => ({
      onCopy: () =>
        copyText(column.text).catch((err: unknown) => {
          setNotice('copy failed: the clipboard is not available');
          throw err;
        }),
    }),
    [column.text, setNotice],
  );
  const onResize = useCallback((w: number | null) => setColumnWidth(column.index, w), [setColumnWidth, column.index]);
  // A conversation: the column shows its latest turn, the ones before collapsed above it.
  const earlier = useMemo(() => {
    const before = column.turns?.filter((t) => t.columnId !== column.columnId) ?? [];
    return before.length ? <EarlierTurns turns={before} /> : null;
  }, [column]);
  const notes = useMemo(() => columnNotes(column), [column]);
  return <ColumnView column={column} actions={actions} width={width} onResize={onResize} earlier={earlier} footer={notes.length ? <ColumnNotes notes={notes} /> : null} />;
}

/** Every file the run's user messages carried, once each (a fork's history repeats earlier ones). */
function attachmentsOf(run: RunResult) {
  const seen = new Set<string>();
  return (run.request?.messages ?? []).flatMap((m) => (m.role === 'user' ? (m.attachments ?? []) : [])).filter((a) => !seen.has(`${a.hash}:${a.name}`) && !!seen.add(`${a.hash}:${a.name}`));
}

function RunDetail({ run }: { run: RunResult }) {
  const rerun = useApp((s) => s.rerun);
  const labels = useApp(useShallow((s) => ({ knownTags: s.knownTags, setRunTags: s.setRunTags, saveRunNote: s.saveRunNote, pastAttachments: s.pastAttachments, loadPastAttachment: s.loadPastAttachment })));
  const files = useMemo(() => attachmentsOf(run), [run]);
  const { setRunTags, saveRunNote, loadPastAttachment } = labels;
  const onTags = useCallback((tags: string[]) => setRunTags(run.runId, tags), [setRunTags, run.runId]);
  const onNote = useCallback((note: string) => saveRunNote(run.runId, note), [saveRunNote, run.runId]);
  const load = useCallback((hash: string) => void loadPastAttachment(hash), [loadPastAttachment]);
  const deleteHistoryRun = useApp((s) => s.deleteHistoryRun);
  const [confirming, setConfirming] = useState(false);
  const prompt = run.request ? ([...run.request.messages].reverse().find((m) => m.role === 'user')?.content ?? '') : '';
  const columns = [...run.columns].sort((a, b) => a.index - b.index);
  const totals = summarizeRun(columns.map(columnFacts));

  return (
    <div className="run-detail" data-testid="history-detail" data-run-id={run.runId}>
      <div className="run-detail-head">
        <div className="run-detail-info">
          <div className="run-detail-meta muted">
            {run.createdAt !== undefined && <span>{formatDate(run.createdAt)}</span>}
            <span className="mono" title={run.runId}>
              run {run.runId.slice(0, 8)}
            </span>
            <span>
              {columns.length} column{columns.length === 1 ? '' : 's'}
            </span>
            {run.turns && run.turns.length > 1 && <span data-testid="history-turns">{run.turns.length} turns</span>}
            <span data-testid="history-source">from {run.source ?? 'unknown'}</span>
            <RunTotalsRow totals={totals} />
          </div>
          {run.request?.system && <SystemPrompt text={run.request.system} />}
          <p className="run-detail-prompt" data-testid="history-prompt">
            {prompt || <span className="muted">(prompt not stored)</span>}
          </p>
          <PastAttachments attachments={files} loaded={labels.pastAttachments} load={load} />
          <RunLabels runId={run.runId} tags={run.tags ?? []} note={run.note ?? null} knownTags={labels.knownTags} onTags={onTags} onNote={onNote} />
        </div>
        <div className="run-detail-actions">
          <ExportMenu runIds={[run.runId]} label="Export…" testId="history-export-run" />
          <button type="button" className="btn btn-primary" data-testid="history-rerun" disabled={!run.request} onClick={() => void rerun(run)} title="Load this prompt and these models into Compare and send">
            Rerun
          </button>
          {confirming ? (
            <>
              <button type="button" className="btn btn-danger" data-testid="history-delete-confirm" onClick={() => void deleteHistoryRun(run.runId)}>
                Delete for good
              </button>
              <button type="button" className="btn" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" className="btn" data-testid="history-delete" onClick={() => setConfirming(true)}>
              Delete
            </button>
          )}
        </div>
      </div>
      <ColumnStrip count={columns.length}>
        {columns.map((c) => (
          <HistoryColumn key={c.columnId} column={c} />
        ))}
      </ColumnStrip>
    </div>
  );
}

export function HistoryView() {
  const h = useApp(
    useShallow((s) => ({
      runs: s.runs,
      query: s.historyQuery,
      loading: s.historyLoading,
      error: s.historyError,
      hasMore: s.historyHasMore,
      openRunId: s.openRunId,
      openRun: s.openRun,
      openRunError: s.openRunError,
      search: s.searchHistory,
      loadMore: s.loadMoreHistory,
      open: s.openHistoryRun,
      picks: s.exportPicks,
      togglePick: s.togglePick,
      clearPicks: s.clearPicks,
      stats: s.historyStats,
      filters: s.historyFilters,
      setFilters: s.setHistoryFilters,
      knownTags: s.knownTags,
      loadKnownTags: s.loadKnownTags,
    })),
  );
  const { loadKnownTags } = h;
  useEffect(() => void loadKnownTags(), [loadKnownTags]);
  const picked = useMemo(() => new Set(h.picks), [h.picks]);
  const [query, setQuery] = useState(h.query);
  const { search } = h;

  // Refetch on entry as well as on typing: runs finish while this view is hidden.
  useEffect(() => {
    const t = setTimeout(() => void search(query), query === '' ? 0 : SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [query, search]);

  const onEndReached = useCallback(() => void h.loadMore(), [h]);

  return (
    <div className="history" data-testid="history-view">
      <aside className="history-side">
        <input
          type="search"
          className="input"
          data-testid="history-search"
          aria-label="Search runs"
          placeholder="Search prompts and answers…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <HistoryFilterBar filters={h.filters} knownTags={h.knownTags} onChange={(f) => void h.setFilters(f)} />
        {!noFilters(h.filters) && h.runs.length > 0 && (
          <p className="history-count muted" data-testid="history-count" role="status">
            {h.runs.length.toLocaleString('en-US')}
            {h.hasMore ? '+' : ''} run{h.runs.length === 1 && !h.hasMore ? '' : 's'} match these filters
          </p>
        )}
        {h.error && (
          <p className="field-error" role="alert">
            {h.error}
          </p>
        )}
        <div className="history-picks" data-testid="history-picks">
          <span className="muted">{h.picks.length ? `${h.picks.length} picked` : 'Tick runs to export several (Shift for a range)'}</span>
          {h.picks.length > 0 && (
            <>
              <ExportMenu runIds={h.picks} label="Export…" testId="history-export-picked" />
              <button type="button" className="btn" onClick={h.clearPicks}>
                Clear
              </button>
            </>
          )}
        </div>
        <RunList runs={h.runs} query={h.query} filtered={!noFilters(h.filters)} selectedId={h.openRunId} hasMore={h.hasMore} loading={h.loading} onOpen={(id) => void h.open(id)} onEndReached={onEndReached} picked={picked} onPick={h.togglePick} />
        {h.stats && <HistoryFooter stats={h.stats} />}
      </aside>
      <main className="history-main">
        {h.openRunError && (
          <p className="field-error" role="alert">
            {h.openRunError}
          </p>
        )}
        {h.openRun ? (
          <RunDetail run={h.openRun} />
        ) : (
          !h.openRunError && <div className="empty-state">{h.openRunId ? <p>Loading…</p> : <p>Select a run to see its columns as they were.</p>}</div>
        )}
      </main>
    </div>
  );
}
