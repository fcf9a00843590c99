/**
 * Which columns a follow-up continues and with what: each column its own
 * conversation (the run's prompts and that column's own answers), on the
 * endpoint that served its last answer first. Decided before anything is
 * recorded or sent, so a refusal leaves the run as it was.
 */
import type { ChatMessage, CompareRequestInput, RunResult } from '../../shared/domain';
import { forkMessages, messagesForTurn, turnsOf, usableTurn } from '../../shared/conversation';
import { quote } from '../../shared/quote';
import type { AttachmentRef } from '../../shared/attachments';
import { UserError } from './errors';

export interface TurnColumn {
  index: number;
  target: string;
  messages: ChatMessage[];
  /** `provider:upstream` that served the column's last answer: tried first. */
  pinned: string | null;
}

export interface FollowUpPlan {
  turn: number;
  columns: TurnColumn[];
  /** Columns left out, one line each: their last answer failed or was empty. */
  skipped: string[];
}

function why(t: { status: string; error: string | null; text: string }): string {
  return t.status === 'ok' ? 'its last answer is empty' : `its last answer is ${t.status}${t.error ? ` (${t.error})` : ''}`;
}

/**
 * A column whose latest answer failed or is empty is not continued: its
 * conversation has no answer to build on (retry it first). Asked for by
 * `column`, that is an error; in a follow-up to every column it is skipped
 * and said, and only when no column can continue is it an error.
 */
export function planFollowUp(run: RunResult, prompt: string, turn: number, column?: number, attachments?: AttachmentRef[]): FollowUpPlan {
  if (!prompt.trim()) throw new UserError('the follow-up prompt is empty');
  if (!run.request) throw new UserError(`run ${quote(run.runId)} has no request recorded; it cannot be continued`);
  const chosen = column === undefined ? run.columns : run.columns.filter((c) => c.index === column);
  if (column !== undefined && chosen.length === 0) throw new UserError(`run ${run.runId} has no column ${column + 1} (it has ${run.columns.length})`, 'not_found');
  const columns: TurnColumn[] = [];
  const skipped: string[] = [];
  for (const c of chosen) {
    const last = turnsOf(run, c).at(-1)!;
    if (!usableTurn(last)) {
      skipped.push(`column ${c.index + 1} (${c.target}) is not continued: ${why(last)}; retry it first`);
      continue;
    }
    columns.push({
      index: c.index,
      target: c.target,
      messages: messagesForTurn(run, c.index, turn, prompt, attachments ?? []),
      pinned: last.servedBy ? `${last.servedBy.provider}:${last.servedBy.model}` : null,
    });
  }
  if (columns.length === 0) throw new UserError(skipped.length === 1 ? skipped[0]! : `no column can be continued: ${skipped.join('; ')}`);
  return { turn, columns, skipped };
}

/**
 * A new run continuing one column's conversation with other targets: the same
 * history goes to each. The run's system prompt, shared parameters and routing
 * carry over; per-column parameters and routing belonged to the old columns and do not.
 */
export function forkRequest(run: RunResult, column: number, targets: string[], prompt?: string): CompareRequestInput {
  if (!run.request) throw new UserError(`run ${quote(run.runId)} has no request recorded; it cannot be forked`);
  const col = run.columns.find((c) => c.index === column);
  if (!col) throw new UserError(`run ${run.runId} has no column ${column + 1} (it has ${run.columns.length})`, 'not_found');
  const messages = forkMessages(run, column, prompt);
  if (messages.length === 0) throw new UserError(`column ${column + 1} (${col.target}) has no answer to fork from: ${why(turnsOf(run, col).at(-1)!)}`);
  const { plans: _plans, targetParams: _own, columnRouting: _routing, forkedFrom: _from, ...rest } = run.request;
  return { ...rest, messages, targets, forkedFrom: { runId: run.runId, index: column } };
}
