import { memo, useEffect, useState } from 'react';
import { renderMarkdown } from '../lib/markdown';
import { hasLinkDefinitions, settledEnd } from '../lib/settle';
import { nextParseDelay } from '../lib/throttle';
import { parseQueue } from '../lib/workQueue';

/**
 * Rendered state of one reply. Settled chunks are parsed once and their DOM
 * is never touched again; only the unsettled tail is re-parsed, so a parse
 * costs the tail, not the whole reply, and a long answer does not rebuild its
 * whole DOM on every update.
 */
export interface Rendered {
  chunks: string[];
  /** Characters of the text covered by `chunks`. */
  settled: number;
  tailHtml: string;
  /** Characters after `settled` covered by `tailHtml`. */
  tailLength: number;
  at: number;
  final: boolean;
}

const now = (): number => performance.now();
const EMPTY: Rendered = { chunks: [], settled: 0, tailHtml: '', tailLength: 0, at: -Infinity, final: false };

/** One throttled step while streaming: settle what can be settled, re-parse the rest. */
export function streamStep(prev: Rendered, text: string): Rendered {
  const base = text.length < prev.settled + prev.tailLength ? EMPTY : prev;
  const end = settledEnd(text, base.settled);
  const chunks = end > base.settled ? [...base.chunks, renderMarkdown(text.slice(base.settled, end), 'final')] : base.chunks;
  const tail = text.slice(end);
  return { chunks, settled: end, tailHtml: tail ? renderMarkdown(tail, 'streaming') : '', tailLength: tail.length, at: now(), final: false };
}

/** The finished reply: the tail settles too; a full parse only when chunks cannot be trusted. */
export function finalStep(prev: Rendered, text: string): Rendered {
  const reuse = prev.chunks.length > 0 && text.length >= prev.settled && !hasLinkDefinitions(text);
  const chunks = reuse ? [...prev.chunks] : [];
  const from = reuse ? prev.settled : 0;
  if (text.length > from) chunks.push(renderMarkdown(text.slice(from), 'final'));
  return { chunks, settled: text.length, tailHtml: '', tailLength: 0, at: now(), final: true };
}

/**
 * Markdown that re-parses on a throttle while a reply streams (lib/throttle)
 * and shows the not-yet-parsed tail as plain text meanwhile.
 */
export const Markdown = memo(function Markdown({ text, streaming, paused = false }: { text: string; streaming: boolean; paused?: boolean }) {
  const [r, setR] = useState<Rendered>(() => (streaming ? EMPTY : finalStep(EMPTY, text)));
  const [key] = useState(() => ({}));

  useEffect(() => {
    // Nobody sees a paused (off-screen) reply: it catches up in one parse when it is shown again.
    if (paused) return;
    const base = r.final ? EMPTY : r;
    if (!streaming && r.final && r.settled === text.length) return;
    const delay = streaming ? nextParseDelay(text.length, r.final ? -1 : r.settled + r.tailLength, r.at, now()) : 0;
    if (delay === Infinity) return;
    const run = streaming ? () => setR(streamStep(base, text)) : () => setR(finalStep(base, text));
    // Parses go through the shared queue, never straight into this commit: see lib/workQueue.
    const timer = delay > 0 ? setTimeout(() => parseQueue.request(key, run), delay) : null;
    if (!timer) parseQueue.request(key, run);
    return () => {
      if (timer) clearTimeout(timer);
      parseQueue.cancel(key);
    };
  }, [text, streaming, paused, r, key]);

  const covered = r.settled + r.tailLength;
  const plain = text.length > covered ? text.slice(covered) : '';
  return (
    <div className="md" data-testid="column-text">
      {r.chunks.map((html, i) => (
        <div key={i} className="md-chunk" dangerouslySetInnerHTML={{ __html: html }} />
      ))}
      {r.tailHtml && <div className="md-chunk" dangerouslySetInnerHTML={{ __html: r.tailHtml }} />}
      {plain && <span className="md-tail">{plain}</span>}
    </div>
  );
});
