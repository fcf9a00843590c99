/**
 * One attempt: one HTTP request to one endpoint with one key, under the four
 * timeouts. The adapter maps the wire protocol; this measures it. Timing uses
 * performance.now() and a single watchdog timer per attempt, because resetting
 * a timer on every chunk costs more than the parsing itself at 16 streams.
 */
import { performance } from 'node:perf_hooks';
import type { CompareRequest, ErrorKind, Timeouts } from '../../shared/domain';
import { getAdapter } from './providers';
import type { AdapterOutcome, AttachmentData } from './providers/types';
import type { Candidate } from './resolve';
import { completeToolResults } from '../../shared/tools';

export interface AbortReason {
  kind: ErrorKind;
  message: string;
}

export interface AttemptRun {
  outcome: AdapterOutcome;
  startedAt: number;
  startedHr: number;
  endedHr: number;
  firstTokenHr: number | null;
  ttftMs: number | null;
  totalMs: number;
  text: string;
  reasoning: string;
  /** Number of text deltas received: "interrupted after N tokens" when the provider reports none. */
  deltas: number;
  /** Pieces of tool calls received: output too, though not text. */
  toolDeltas: number;
}

export interface AttemptSinks {
  onText(delta: string): void;
  onReasoning(delta: string): void;
  onFirstToken?(): void;
}

export async function runAttempt(
  c: Candidate,
  apiKey: string | null,
  req: CompareRequest,
  timeouts: Timeouts,
  parent: AbortSignal,
  sinks: AttemptSinks,
  attachments?: ReadonlyMap<string, AttachmentData>,
): Promise<AttemptRun> {
  const ac = new AbortController();
  const onParentAbort = () => ac.abort(parent.reason);
  if (parent.aborted) ac.abort(parent.reason);
  else parent.addEventListener('abort', onParentAbort, { once: true });

  const startedAt = Date.now();
  const startedHr = performance.now();
  let openedHr: number | null = null;
  let firstTokenHr: number | null = null;
  // A reasoning model may think for a long time before its first answer token: that is not a stall.
  let firstOutputHr: number | null = null;
  let lastChunkHr = startedHr;
  const textParts: string[] = [];
  const reasoningParts: string[] = [];
  let deltas = 0;
  let toolDeltas = 0;

  const fail = (kind: ErrorKind, message: string) => {
    if (!ac.signal.aborted) ac.abort({ kind, message } satisfies AbortReason);
  };
  const tick = Math.max(5, Math.min(250, Math.floor(Math.min(timeouts.connectMs, timeouts.firstTokenMs, timeouts.idleMs) / 4)));
  const host = safeHost(c.provider.baseUrl);
  const watchdog = setInterval(() => {
    const now = performance.now();
    if (now - startedHr > timeouts.totalMs) return fail('timeout_total', `timed out after ${timeouts.totalMs} ms in total (${host})`);
    if (openedHr === null) {
      // The first-token clock runs from the send as well: an upstream that never answers must not outwait it.
      if (timeouts.firstTokenMs < timeouts.connectMs && now - startedHr > timeouts.firstTokenMs) {
        fail('timeout_first_token', `no first token from ${host} within ${timeouts.firstTokenMs} ms (no response headers)`);
      } else if (now - startedHr > timeouts.connectMs) fail('timeout_connect', `no response from ${host} within ${timeouts.connectMs} ms`);
      return;
    }
    if (firstOutputHr === null) {
      // Until the first output the first-token timeout governs, even when it is longer than the idle gap.
      if (now - startedHr > timeouts.firstTokenMs) fail('timeout_first_token', `no first token from ${host} within ${timeouts.firstTokenMs} ms`);
      return;
    }
    if (now - lastChunkHr > timeouts.idleMs) fail('timeout_idle', `stream from ${host} stalled for ${timeouts.idleMs} ms`);
  }, tick);
  watchdog.unref?.();

  let outcome: AdapterOutcome;
  try {
    outcome = await getAdapter(c.provider.type).stream(
      {
        baseUrl: c.provider.baseUrl,
        providerId: c.provider.id,
        apiKey,
        model: c.endpoint.upstreamModel,
        system: req.system,
        // Every tool call answered (a placeholder where none was given): the protocols refuse a bare call.
        messages: req.tools || req.messages.some((m) => m.toolCalls?.length) ? completeToolResults(req.messages) : req.messages,
        attachments,
        params: req.params,
        tools: req.tools,
        toolChoice: req.toolChoice,
        responseFormat: req.responseFormat,
        signal: ac.signal,
      },
      {
        onOpen() {
          openedHr = lastChunkHr = performance.now();
        },
        onChunk() {
          lastChunkHr = performance.now();
        },
        onText(delta) {
          if (firstTokenHr === null) {
            firstTokenHr = performance.now();
            firstOutputHr ??= firstTokenHr;
            sinks.onFirstToken?.();
          }
          deltas++;
          textParts.push(delta);
          sinks.onText(delta);
        },
        onReasoning(delta) {
          firstOutputHr ??= performance.now();
          reasoningParts.push(delta);
          sinks.onReasoning(delta);
        },
        onToolCall() {
          // A call is the answer's first token when the model answers with one.
          if (firstTokenHr === null) {
            firstTokenHr = performance.now();
            firstOutputHr ??= firstTokenHr;
            sinks.onFirstToken?.();
          }
          toolDeltas++;
        },
      },
    );
  } finally {
    clearInterval(watchdog);
    parent.removeEventListener('abort', onParentAbort);
  }
  const endedHr = performance.now();
  return {
    outcome,
    startedAt,
    startedHr,
    endedHr,
    firstTokenHr,
    ttftMs: firstTokenHr === null ? null : firstTokenHr - startedHr,
    totalMs: endedHr - startedHr,
    text: textParts.join(''),
    reasoning: reasoningParts.join(''),
    deltas,
    toolDeltas,
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
