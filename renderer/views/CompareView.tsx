import { useCallback, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ColumnStrip } from '../components/ColumnStrip';
import { FollowUpBox, ForkNote } from '../components/Conversation';
import { TargetParams } from '../components/TargetParams';
import type { TargetParamsDraft } from '../store/draft';
import { warmUpMarkdown } from '../components/Markdown';
import { ModelPicker } from '../components/ModelPicker';
import { PREFLIGHT_BLOCK_ID, PreflightContainer } from '../components/PreflightPanel';
import { PromptEditor } from '../components/PromptEditor';
import { Attachments } from '../components/Attachments';
import { columnFacts, summarizeRun, type RunTotals } from '../../shared/run-summary';
import { RunTotalsRow } from '../components/RunTotals';
import { draftFieldErrors } from '../store/draft';
import type { ColumnRouting } from '../../shared/domain';
import { useApp } from '../store';
import { libraryShortcutLabel, sendShortcutLabel } from '../shortcuts';
import { PromptLibrary } from '../components/PromptLibrary';
import { LiveColumn } from './LiveColumn';
import { ModelSets } from './ModelSets';

function ModelPickerContainer() {
  const { targets, options, loading, error, checks, providers, columnRouting } = useApp(
    useShallow((s) => ({
      targets: s.draft.targets,
      options: s.modelOptions,
      loading: s.modelsLoading,
      error: s.modelsError,
      checks: s.targetChecks,
      providers: s.providers,
      columnRouting: s.draft.columnRouting,
    })),
  );
  const searchModels = useApp((s) => s.searchModels);
  const addTarget = useApp((s) => s.addTarget);
  const removeTarget = useApp((s) => s.removeTarget);
  const checkTargets = useApp((s) => s.checkTargets);
  const openProviderFix = useApp((s) => s.openProviderFix);
  const setDraft = useApp((s) => s.setDraft);
  const onSearch = useCallback((q: string) => void searchModels(q), [searchModels]);
  // As each target is added, and again for all of them when a provider is added or changed.
  useEffect(() => void checkTargets(), [targets, providers, checkTargets]);
  const onColumnRouting = useCallback(
    (target: string, r: ColumnRouting | null) => {
      const next = { ...columnRouting };
      if (r) next[target] = r;
      else delete next[target];
      setDraft({ columnRouting: next });
    },
    [columnRouting, setDraft],
  );
  return (
    <ModelPicker
      targets={targets}
      options={options}
      loading={loading}
      error={error}
      onSearch={onSearch}
      onAdd={addTarget}
      onRemove={removeTarget}
      checks={checks}
      onFix={openProviderFix}
      columnRouting={columnRouting}
      onColumnRouting={onColumnRouting}
    />
  );
}

// One element for good: the editor re-renders when sending or running flips (a run's first and
// last frames, already the busiest), and a fresh element would re-render the pre-flight panel too.
const PREFLIGHT = <PreflightContainer />;
const ATTACHMENTS = <AttachmentsContainer />;
const FOLLOW_UP_ATTACHMENTS = <FollowUpAttachmentsContainer />;

function PromptEditorContainer() {
  const s = useApp(
    useShallow((s) => ({
      draft: s.draft,
      systemOpen: s.prefs.systemOpen,
      sending: s.sending,
      // Said once: the pre-flight panel already shows the same draft problem ("write a prompt first").
      sendError: s.sendError !== null && s.sendError === s.preflightError ? null : s.sendError,
      // Any run still streaming: Send waits for it, Stop all stops it.
      running: Object.values(s.live).some((r) => r.status === 'running'),
      blockedReason: s.preflight?.blockedBy ?? null,
      routingOpen: s.prefs.routingOpen,
      setRoutingOpen: s.setRoutingOpen,
      leftOut: s.leftOut,
      checks: s.targetChecks,
      setDraft: s.setDraft,
      setSystemOpen: s.setSystemOpen,
      send: s.send,
      stopAll: s.stopAll,
      attachFiles: s.attachFiles,
      setLibraryOpen: s.setLibraryOpen,
    })),
  );
  const fieldErrors = useMemo(() => draftFieldErrors(s.draft), [s.draft]);
  // Said while it is still so: a target fixed or removed since is no longer "left out".
  const leftOut = s.leftOut.filter((t) => s.draft.targets.includes(t) && s.checks[t]?.ok === false);
  return (
    <PromptEditor
      draft={s.draft}
      systemOpen={s.systemOpen}
      sending={s.sending}
      running={s.running}
      sendError={s.sendError}
      shortcut={sendShortcutLabel()}
      onChange={s.setDraft}
      onToggleSystem={s.setSystemOpen}
      onSend={() => void s.send()}
      onStopAll={() => void s.stopAll()}
      preflight={PREFLIGHT}
      blockedReason={s.blockedReason}
      blockedId={PREFLIGHT_BLOCK_ID}
      fieldErrors={fieldErrors}
      routingOpen={s.routingOpen}
      onToggleRouting={s.setRoutingOpen}
      leftOut={leftOut}
      attachments={ATTACHMENTS}
      onAttachFiles={(files) => void s.attachFiles(files)}
      onOpenLibrary={() => s.setLibraryOpen(true)}
      libraryShortcut={libraryShortcutLabel()}
    />
  );
}

const NO_TARGET_PARAMS: Record<string, TargetParamsDraft> = {};

function TargetParamsContainer() {
  const { targets, values, setDraft } = useApp(useShallow((s) => ({ targets: s.draft.targets, values: s.draft.targetParams ?? NO_TARGET_PARAMS, setDraft: s.setDraft })));
  const onChange = useCallback((target: string, value: TargetParamsDraft) => setDraft({ targetParams: { ...values, [target]: value } }), [setDraft, values]);
  return <TargetParams targets={targets} values={values} onChange={onChange} />;
}

/** The fork's history in the form, while the draft carries one. */
function ForkNoteContainer() {
  const { history, from, clearHistory } = useApp(useShallow((s) => ({ history: s.draft.history, from: s.draft.forkedFrom ?? null, clearHistory: s.clearHistory })));
  if (!history?.length) return null;
  return <ForkNote history={history} from={from} onClear={clearHistory} />;
}

/** Under a finished run: the next turn, to every column or to the one whose Follow up was pressed. */
function FollowUpContainer() {
  const s = useApp(
    useShallow((s) => {
      const run = s.activeRunId ? s.live[s.activeRunId] : undefined;
      const column = s.followUp.column;
      const target = column === null || !run ? null : (Object.values(run.columns).find((c) => c.index === column)?.target ?? null);
      return { done: run?.status === 'done', prompt: s.followUp.prompt, column, target, error: s.followUp.error, setFollowUp: s.setFollowUp, sendFollowUp: s.sendFollowUp, attachFiles: s.attachFiles };
    }),
  );
  if (!s.done) return null;
  return (
    <FollowUpBox
      prompt={s.prompt}
      column={s.column}
      target={s.target}
      error={s.error}
      onChange={(prompt) => s.setFollowUp({ prompt })}
      onAllColumns={() => s.setFollowUp({ column: null })}
      onSend={() => void s.sendFollowUp()}
      attachments={FOLLOW_UP_ATTACHMENTS}
      onAttachFiles={(files) => void s.attachFiles(files, 'followUp')}
    />
  );
}

/** The follow-up box's files: the same picker and chips as the compose area's, its own list. */
function FollowUpAttachmentsContainer() {
  const s = useApp(
    useShallow((s) => ({
      attachments: s.followUp.attachments,
      previews: s.attachmentPreviews,
      busy: s.followUp.attaching > 0,
      error: s.followUp.attachError,
      attachFiles: s.attachFiles,
      remove: s.removeFollowUpAttachment,
    })),
  );
  return <Attachments attachments={s.attachments} previews={s.previews} busy={s.busy} error={s.error} onAttach={(f) => void s.attachFiles(f, 'followUp')} onRemove={s.remove} />;
}

function AttachmentsContainer() {
  const s = useApp(
    useShallow((s) => ({
      attachments: s.draft.attachments,
      previews: s.attachmentPreviews,
      busy: s.attaching > 0,
      error: s.attachError,
      attachFiles: s.attachFiles,
      removeAttachment: s.removeAttachment,
    })),
  );
  return <Attachments attachments={s.attachments} previews={s.previews} busy={s.busy} error={s.error} onAttach={(f) => void s.attachFiles(f)} onRemove={s.removeAttachment} />;
}

const MOUNT_BATCH = 1;

/**
 * How many of a new run's columns to mount now: one per frame, so 16 columns
 * do not build, style and lay out in one long task, and each frame of a run's
 * start (which also takes the first tokens of every column) stays light. The
 * columns on screen arrive within the first few frames; the rest are off to
 * the side.
 */
function useProgressiveCount(total: number, key: string | null): number {
  const [state, setState] = useState({ key, count: MOUNT_BATCH });
  const count = state.key === key ? state.count : MOUNT_BATCH;
  useEffect(() => {
    if (count >= total) return;
    const id = requestAnimationFrame(() => setState({ key, count: count + MOUNT_BATCH }));
    return () => cancelAnimationFrame(id);
  }, [count, total, key]);
  return Math.min(count, total);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Green only when every column brought a whole answer; stopped only when nothing else went wrong. */
function runTone(s: RunTotals & { status: string }): string {
  if (s.status === 'running') return 'running';
  if (s.ok === s.columns) return 'ok';
  return s.failed + s.incomplete + s.interrupted > 0 ? 'incomplete' : 'cancelled';
}

function RunColumns() {
  const runId = useApp((s) => s.activeRunId);
  const order = useApp(useShallow((s) => (s.activeRunId ? (s.live[s.activeRunId]?.order ?? []) : [])));
  const summary = useApp(
    useShallow((s) => {
      const run = s.activeRunId ? s.live[s.activeRunId] : undefined;
      if (!run) return null;
      return { status: run.status, ...summarizeRun(Object.values(run.columns).map(columnFacts)) };
    }),
  );
  const mounted = useProgressiveCount(order.length, runId);
  if (!runId || !summary) {
    return (
      <div className="empty-state" data-testid="compare-empty">
        <h2>Compare models side by side</h2>
        <p>Pick models on the left, write a prompt and press {sendShortcutLabel()}. Each answer streams into its own column with what served it, how fast, and what it cost.</p>
      </div>
    );
  }
  return (
    <div className="run-pane">
      <div className="run-bar" data-testid="run-bar">
        <span className="mono muted" title={runId}>
          run {runId.slice(0, 8)}
        </span>
        <span className={`status status-${runTone(summary)}`} data-testid="run-status">
          {summary.status === 'running'
            ? `streaming · ${summary.columns - summary.pending}/${summary.columns} done`
            : `${summary.stopped === summary.columns ? 'stopped' : 'finished'} · ${plural(summary.columns, 'column')}`}
        </span>
        {/* The same summary row as History's: each failure counted as what it is. */}
        <RunTotalsRow totals={summary} />
      </div>
      <ColumnStrip count={order.length}>
        {order.map((id, i) => (i < mounted ? <LiveColumn key={id} runId={runId} columnId={id} /> : <div key={id} className="col col-placeholder" aria-hidden="true" />))}
      </ColumnStrip>
      <FollowUpContainer />
    </div>
  );
}

export function CompareView() {
  useEffect(warmUpMarkdown, []);
  const collapsed = useApp((s) => s.prefs.sideCollapsed);
  const setCollapsed = useApp((s) => s.setSideCollapsed);
  return (
    <div className={`compare${collapsed ? ' side-collapsed' : ''}`} data-testid="compare-view">
      <button
        type="button"
        className="side-toggle"
        data-testid="side-toggle"
        aria-expanded={!collapsed}
        aria-controls="compare-side"
        aria-label={collapsed ? 'Show the models and prompt panel' : 'Hide the models and prompt panel (more columns fit)'}
        title={collapsed ? 'Show the models and prompt panel' : 'Hide the models and prompt panel'}
        onClick={() => setCollapsed(!collapsed)}
      >
        {collapsed ? '»' : '«'}
      </button>
      <aside className="compare-side" id="compare-side" aria-label="Prompt and models" hidden={collapsed}>
        <section className="side-section">
          <h2 className="side-title">Models</h2>
          <ModelPickerContainer />
          <ModelSets />
        </section>
        <section className="side-section">
          <ForkNoteContainer />
          <PromptEditorContainer />
          <TargetParamsContainer />
        </section>
      </aside>
      <main className="compare-main">
        <RunColumns />
      </main>
      <PromptLibrary />
    </div>
  );
}
