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
import { TOOL_LIMITS, type ToolResult } from '../../shared/tools';

export interface TurnColumn {
  index: number;
  target: string;
  messages: ChatMessage[];
  /** `provider:upstream` that served the column's last answer: tried first. */
  pinned: string | null;
  /** The results given for the column's last tool calls (the others are sent as "no result provided"). */
  toolResults?: ToolResult[];
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
export function planFollowUp(run: RunResult, prompt: string, turn: number, column?: number, results: Readonly<Record<string, string>> = {}, attachments: AttachmentRef[] = []): FollowUpPlan {
  if (!prompt.trim()) throw new UserError('the follow-up prompt is empty');
  if (!run.request) throw new UserError(`run ${quote(run.runId)} has no request recorded; it cannot be continued`);
  const chosen = column === undefined ? run.columns : run.columns.filter((c) => c.index === column);
  if (column !== undefined && chosen.length === 0) throw new UserError(`run ${run.runId} has no column ${column + 1} (it has ${run.columns.length})`, 'not_found');
  const columns: TurnColumn[] = [];
  const skipped: string[] = [];
  const unused = new Set(Object.keys(results));
  for (const c of chosen) {
    const last = turnsOf(run, c).at(-1)!;
    if (!usableTurn(last)) {
      skipped.push(`column ${c.index + 1} (${c.target}) is not continued: ${why(last)}; retry it first`);
      continue;
    }
    const toolResults = (last.toolCalls ?? []).flatMap((call): ToolResult[] => {
      const content = results[call.id];
      if (content === undefined) return [];
      unused.delete(call.id);
      if (content.length > TOOL_LIMITS.resultChars) throw new UserError(`the result for tool call ${quote(call.id)} is ${content.length} characters, over the ${TOOL_LIMITS.resultChars / 1024} KiB limit`);
      return [{ callId: call.id, name: call.name, content }];
    });
    columns.push({
      index: c.index,
      target: c.target,
      messages: messagesForTurn(run, c.index, turn, prompt, toolResults, attachments),
      pinned: last.servedBy ? `${last.servedBy.provider}:${last.servedBy.model}` : null,
      ...(toolResults.length ? { toolResults } : {}),
    });
  }
  if (unused.size > 0) {
    const known = columns.flatMap((c) => turnsOf(run, run.columns.find((x) => x.index === c.index)!).at(-1)!.toolCalls?.map((t) => t.id) ?? []);
    const id = [...unused][0]!;
    throw new UserError(`no tool call ${quote(id)} in the last answers ${column === undefined ? 'of' : `of column ${column + 1} of`} run ${run.runId}${known.length ? ` (calls: ${known.slice(0, 8).join(', ')})` : ' (they made no tool calls)'}`);
  }
  if (columns.length === 0) throw new UserError(skipped.length === 1 ? skipped[0]! : `no column can be continued: ${skipped.join('; ')}`);
  return { turn, columns, skipped };
}

/**
 * A new run continuing one column's conversation with other targets: the same
 * history goes to each. The run's system prompt, shared parameters and routing
 * carry over; per-column parameters and routing belonged to the old columns and do not.
 */
export function forkRequest(run: RunResult, column: number, targets: string[], prompt?: string, results: Readonly<Record<string, string>> = {}): CompareRequestInput {
  if (!run.request) throw new UserError(`run ${quote(run.runId)} has no request recorded; it cannot be forked`);
  const col = run.columns.find((c) => c.index === column);
  if (!col) throw new UserError(`run ${run.runId} has no column ${column + 1} (it has ${run.columns.length})`, 'not_found');
  const calls = turnsOf(run, col).filter(usableTurn).at(-1)?.toolCalls ?? [];
  const unknown = Object.keys(results).find((id) => !calls.some((c) => c.id === id));
  if (unknown !== undefined) throw new UserError(`no tool call ${quote(unknown)} in the last answer of column ${column + 1} of run ${run.runId}${calls.length ? ` (calls: ${calls.map((c) => c.id).join(', ')})` : ' (it made no tool calls)'}`);
  if (Object.keys(results).length && !prompt?.trim()) throw new UserError('tool results go with a new prompt: give the fork a prompt');
  const toolResults = calls.flatMap((c): ToolResult[] => (results[c.id] === undefined ? [] : [{ callId: c.id, name: c.name, content: results[c.id]! }]));
  const messages = forkMessages(run, column, prompt, toolResults.length ? toolResults : undefined);
  if (messages.length === 0) throw new UserError(`column ${column + 1} (${col.target}) has no answer to fork from: ${why(turnsOf(run, col).at(-1)!)}`);
  const { plans: _plans, targetParams: _own, columnRouting: _routing, forkedFrom: _from, ...rest } = run.request;
  return { ...rest, messages, targets, forkedFrom: { runId: run.runId, index: column } };
}
