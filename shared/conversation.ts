/**
 * Conversations: what a column has said so far, as the messages its next
 * request carries. Pure, so the engine (follow-ups, forks) and the window
 * (a fork's pre-filled history) build the same history from the same run.
 */
import type { ChatMessage, ColumnResult, ColumnTurn, GenerationParams, RunResult, Totals } from './domain';
import type { AttachmentRef } from './attachments';

/** The prompt a run's first turn answered: its last user message. */
export function firstPrompt(run: Pick<RunResult, 'request'>): string {
  return run.request?.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

/** Every turn a column answered, oldest first; a column of a single-turn run is its own turn 0. */
export function turnsOf(run: Pick<RunResult, 'request'>, column: ColumnResult): ColumnTurn[] {
  if (column.turns?.length) return column.turns;
  const { turns: _turns, totals: _totals, ...fields } = column;
  return [{ ...fields, turn: 0, prompt: firstPrompt(run) }];
}

/** A turn that can be built on: it finished and said something, or called a tool. */
export function usableTurn(t: Pick<ColumnTurn, 'status' | 'text'> & { toolCalls?: ColumnTurn['toolCalls'] }): boolean {
  return t.status === 'ok' && (t.text.trim() !== '' || Boolean(t.toolCalls?.length));
}

/** A turn's answer as the assistant message it is sent back as: its text and the tool calls it made. */
function answerOf(t: Pick<ColumnTurn, 'text' | 'toolCalls'>): ChatMessage {
  if (!t.toolCalls?.length) return { role: 'assistant', content: t.text };
  return { role: 'assistant', content: t.text, toolCalls: t.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments, ...(c.signature ? { signature: c.signature } : {}), ...(c.thinking?.length ? { thinking: c.thinking } : {}) })) };
}

/** A follow-up's prompt with the tool results it carries (for the calls of the answer before it). */
function promptOf(content: string, toolResults: ColumnTurn['toolResults'], attachments?: AttachmentRef[]): ChatMessage {
  return {
    role: 'user',
    content,
    ...(attachments?.length ? { attachments: attachments.map((a) => ({ ...a })) } : {}),
    ...(toolResults?.length ? { toolResults } : {}),
  };
}

/**
 * The messages one turn of a column was (or is) sent: the run's own messages
 * (a fork's history included) for turn 0; for a later turn, the column's
 * conversation before it and that turn's prompt. A turn that failed is left out
 * with its prompt, so the history a model sees always alternates and holds
 * only answers it really gave.
 * @example messagesForTurn(run, 0, 1, 'And in French?') // [user 'Hi', assistant 'Hello!', user 'And in French?']
 */
export function messagesForTurn(run: RunResult, index: number, turn: number, prompt: string, toolResults?: ColumnTurn['toolResults'], attachments?: AttachmentRef[]): ChatMessage[] {
  const column = run.columns.find((c) => c.index === index);
  if (!run.request) return [];
  if (turn === 0) return [...run.request.messages];
  const out: ChatMessage[] = [];
  const turns = column ? turnsOf(run, column) : [];
  for (const t of turns) {
    if (t.turn >= turn || !usableTurn(t)) continue;
    if (t.turn === 0) out.push(...run.request.messages);
    else out.push(promptOf(t.prompt, t.toolResults, turnAttachments(run, t.turn)));
    out.push(answerOf(t));
  }
  // A retry of a turn sends the results and files that turn was sent; a new one the ones given.
  out.push(promptOf(prompt, toolResults ?? turns.find((t) => t.turn === turn)?.toolResults, attachments ?? turnAttachments(run, turn)));
  return out;
}

/** The files a follow-up turn's prompt carried (none for turn 0, whose are in the request). */
function turnAttachments(run: Pick<RunResult, 'turns'>, turn: number): AttachmentRef[] | undefined {
  return run.turns?.find((t) => t.turn === turn)?.attachments;
}


/**
 * The column's whole conversation so far, ending with its latest usable answer.
 * @example conversationOf(run, 1) // [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }]
 */
export function conversationOf(run: RunResult, index: number): ChatMessage[] {
  const column = run.columns.find((c) => c.index === index);
  const last = column ? turnsOf(run, column).filter(usableTurn).at(-1) : undefined;
  if (!last) return [];
  return [...messagesForTurn(run, index, last.turn, last.prompt), answerOf(last)];
}

/**
 * The history a fork sends: with a new prompt, the whole conversation and that
 * prompt; without one, the conversation up to the column's last prompt, so the
 * new models answer the same question with the same history before it.
 */
export function forkMessages(run: RunResult, index: number, prompt?: string, toolResults?: ColumnTurn['toolResults']): ChatMessage[] {
  const history = conversationOf(run, index);
  if (prompt !== undefined && prompt.trim() !== '') return [...history, promptOf(prompt, toolResults)];
  return history.at(-1)?.role === 'assistant' ? history.slice(0, -1) : history;
}

/** A column's own parameters over the shared ones; a value the column leaves unset keeps the shared one. */
export function paramsFor(shared: GenerationParams, own: GenerationParams | null | undefined): GenerationParams {
  if (!own) return shared;
  const merged: GenerationParams = { ...shared };
  for (const [k, v] of Object.entries(own) as Array<[keyof GenerationParams, unknown]>) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  return merged;
}

function sum(values: Array<number | null | undefined>): number | null {
  const known = values.filter((v): v is number => typeof v === 'number');
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

/** Sums over turns: the cost of a conversation is the cost of every answer in it. */
export function totalsOf(turns: ReadonlyArray<Pick<ColumnTurn, 'costUsd' | 'usage' | 'metrics'>>): Totals {
  const costUsd = sum(turns.map((t) => t.costUsd));
  return {
    // Rounded like computeCost, so a sum of exact figures does not grow float noise.
    costUsd: costUsd === null ? null : Math.round(costUsd * 1e10) / 1e10,
    inputTokens: sum(turns.map((t) => t.usage.inputTokens)),
    outputTokens: sum(turns.map((t) => t.usage.outputTokens)),
    totalMs: sum(turns.map((t) => t.metrics.totalMs)),
  };
}
