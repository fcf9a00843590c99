/**
 * The conversation parts of the compare view: a column's earlier turns
 * (collapsed), its Follow up and Fork actions, the follow-up box under a
 * finished run, and the note a fork's pre-filled history leaves in the form.
 */
import { memo, useId, type ReactNode } from 'react';
import type { ChatMessage, ColumnResult, ColumnTurn } from '../../shared/domain';
import { formatCost } from '../lib/format';
import { ToolCalls } from './ToolCalls';

/** Earlier turns of a column, oldest first, collapsed: the column's own body is its latest answer. */
export const EarlierTurns = memo(function EarlierTurns({ turns }: { turns: ColumnTurn[] }) {
  if (turns.length === 0) return null;
  return (
    <details className="col-turns" data-testid="column-turns">
      <summary>
        {turns.length} earlier turn{turns.length === 1 ? '' : 's'}
      </summary>
      <ol className="col-turns-list">
        {turns.map((t) => (
          <li key={t.columnId} data-testid="column-turn" data-turn={t.turn}>
            {t.prompt && <p className="col-turn-prompt">{t.prompt}</p>}
            {t.toolResults?.length ? <p className="muted col-turn-meta">sent {t.toolResults.length} tool result{t.toolResults.length === 1 ? '' : 's'}</p> : null}
            {(t.text || !t.toolCalls?.length) && <p className="col-turn-answer">{t.text || t.error || `(${t.status})`}</p>}
            {t.toolCalls && <ToolCalls calls={t.toolCalls} />}
            <p className="muted col-turn-meta">
              turn {t.turn + 1} · {t.status} · {formatCost(t.costUsd)}
            </p>
          </li>
        ))}
      </ol>
    </details>
  );
});

/** Cache writes (a part of the input, billed dearer) and a conversation's sums, beside the turn's own figures in the header. */
export function columnNotes(c: ColumnResult): string[] {
  const notes: string[] = [];
  if (c.usage.cacheWriteTokens) {
    notes.push(`${c.usage.cacheWriteTokens.toLocaleString('en-US')} of the input tokens written to the prompt cache${c.cacheWritePriceFallback ? ', priced at 1.25 x input (the catalog has no cache-write price)' : ''}`);
  }
  if (c.turns && c.turns.length > 1 && c.totals) {
    notes.push(`conversation: ${formatCost(c.totals.costUsd)}, ${c.totals.inputTokens ?? '-'}/${c.totals.outputTokens ?? '-'} tokens over ${c.turns.length} turns`);
  }
  return notes;
}

export const ColumnNotes = memo(function ColumnNotes({ notes }: { notes: string[] }) {
  if (!notes.length) return null;
  return (
    <p className="muted col-notes" data-testid="column-notes">
      {notes.join(' · ')}
    </p>
  );
});

export interface ConversationActionsProps {
  index: number;
  onFollowUp: () => void;
  onFork: () => void;
}

/** Shown on a finished column with an answer: continue it alone, or as a new run with other models. */
export const ConversationActions = memo(function ConversationActions({ index, onFollowUp, onFork }: ConversationActionsProps) {
  return (
    <div className="col-convo-actions">
      <button type="button" className="btn btn-small" data-testid="column-follow-up" onClick={onFollowUp} aria-label={`follow up column ${index + 1} only`}>
        Follow up
      </button>
      <button type="button" className="btn btn-small" data-testid="column-fork" onClick={onFork} aria-label={`fork column ${index + 1} to other models`} title="A new run with this conversation: pick the models, write the next prompt">
        Fork
      </button>
    </div>
  );
});

export interface FollowUpBoxProps {
  prompt: string;
  /** 0-based, or null: every column. */
  column: number | null;
  target: string | null;
  error: string | null;
  onChange: (prompt: string) => void;
  onAllColumns: () => void;
  onSend: () => void;
  /** The box's files (picker and chips); dropped or pasted files go to `onAttachFiles`, as in the compose area. */
  attachments?: ReactNode;
  onAttachFiles?: (files: File[]) => void;
}

function filesOf(data: DataTransfer | null): File[] {
  return data ? [...data.files] : [];
}

/** Under a finished run: the next prompt, to every column (each continuing its own conversation) or to one. */
export function FollowUpBox({ prompt, column, target, error, onChange, onAllColumns, onSend, attachments, onAttachFiles }: FollowUpBoxProps) {
  const id = useId();
  return (
    <form
      className="follow-up"
      data-testid="follow-up"
      onSubmit={(e) => {
        e.preventDefault();
        onSend();
      }}
      onDragOver={(e) => {
        if (!onAttachFiles || !e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={(e) => {
        const files = filesOf(e.dataTransfer);
        if (!onAttachFiles || files.length === 0) return;
        e.preventDefault();
        onAttachFiles(files);
      }}
    >
      <label htmlFor={id} className="follow-up-label">
        {column === null ? 'Follow up · every column continues its own conversation' : `Follow up · column ${column + 1} only${target ? ` (${target})` : ''}`}
        {column !== null && (
          <button type="button" className="btn btn-small" data-testid="follow-up-all" onClick={onAllColumns}>
            to every column
          </button>
        )}
      </label>
      <textarea
        id={id}
        data-testid="follow-up-prompt"
        rows={2}
        value={prompt}
        onChange={(e) => onChange(e.target.value)}
        onPaste={(e) => {
          // A pasted screenshot arrives as a file; pasted text stays text.
          const files = filesOf(e.clipboardData);
          if (!onAttachFiles || files.length === 0) return;
          e.preventDefault();
          onAttachFiles(files);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            e.stopPropagation();
            onSend();
          }
        }}
      />
      {attachments}
      <button type="submit" className="btn btn-primary" data-testid="follow-up-send">
        Send follow-up
      </button>
      {error && (
        <p className="field-error" role="alert" data-testid="follow-up-error">
          {error}
        </p>
      )}
    </form>
  );
}

/** In the prompt form after a fork: the conversation the new run will carry before the prompt. */
export function ForkNote({ history, from, onClear }: { history: ChatMessage[]; from: { runId: string; index: number } | null; onClear: () => void }) {
  const answers = history.filter((m) => m.role === 'assistant').length;
  return (
    <div className="fork-note" data-testid="fork-note">
      <span>
        Continues a conversation of {answers} answer{answers === 1 ? '' : 's'}
        {from ? ` (column ${from.index + 1} of run ${from.runId.slice(0, 8)})` : ''}: pick models and write the next prompt.
      </span>
      <button type="button" className="btn btn-small" data-testid="fork-clear" onClick={onClear}>
        start fresh
      </button>
    </div>
  );
}
