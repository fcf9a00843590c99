import { memo, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { addCopyButtons, onCodeCopyClick } from '../lib/codeBlocks';
import { highlightStep, renderMarkdown, warmUpJobs } from '../lib/markdown';
import { loadMath, mathStep } from '../lib/math';
import { hasLinkDefinitions, settledEnd } from '../lib/settle';
import { nextParseDelay, runWhenReallyIdle, whenIdle } from '../lib/throttle';
import { WorkQueue } from '../lib/workQueue';

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
  /** The text ran ahead of the parses (by more than a slice): parse again at once, not after the throttle. */
  more: boolean;
}

/**
 * At most about this many characters are settled per parse, so a reply that is
 * far ahead of its parses (a finished reply, an off-screen column shown again)
 * catches up in small tasks, not one long one.
 */
export const SLICE_CHARS = 3_000;

const now = (): number => performance.now();
const EMPTY: Rendered = { chunks: [], settled: 0, tailHtml: '', tailLength: 0, at: -Infinity, final: false, more: false };

/** One throttled step while streaming: settle what can be settled, re-parse the rest. */
export function streamStep(prev: Rendered, text: string): Rendered {
  const base = prev.final || text.length < prev.settled + prev.tailLength ? EMPTY : prev;
  const end = settledEnd(text, base.settled, SLICE_CHARS);
  const chunks = end > base.settled ? [...base.chunks, renderMarkdown(text.slice(base.settled, end), 'final')] : base.chunks;
  // Stopped at the slice limit: the rest stays plain text until the next step, which comes at once.
  if (end - base.settled >= SLICE_CHARS) return { chunks, settled: end, tailHtml: '', tailLength: 0, at: now(), final: false, more: true };
  const tail = text.slice(end);
  return { chunks, settled: end, tailHtml: tail ? renderMarkdown(tail, 'streaming') : '', tailLength: tail.length, at: now(), final: false, more: false };
}

/** The finished reply, a slice per step: the tail settles too; a full parse only when chunks cannot be trusted. */
export function finalStep(prev: Rendered, text: string): Rendered {
  if (hasLinkDefinitions(text)) {
    // Reference-style links resolve across the whole text: chunks parsed apart would miss them.
    return { chunks: text ? [renderMarkdown(text, 'final')] : [], settled: text.length, tailHtml: '', tailLength: 0, at: now(), final: true, more: false };
  }
  const base = prev.final || text.length < prev.settled ? EMPTY : prev;
  const end = settledEnd(text, base.settled, SLICE_CHARS);
  if (end - base.settled >= SLICE_CHARS) {
    return { chunks: [...base.chunks, renderMarkdown(text.slice(base.settled, end), 'final')], settled: end, tailHtml: '', tailLength: 0, at: now(), final: false, more: true };
  }
  const chunks = text.length > base.settled ? [...base.chunks, renderMarkdown(text.slice(base.settled), 'final')] : base.chunks;
  return { chunks, settled: text.length, tailHtml: '', tailLength: 0, at: now(), final: true, more: false };
}

/**
 * Parses and deferred highlighting start in an idle period with at least
 * IDLE_MIN_MS left and stop after IDLE_BUDGET_MS, so a batch (and the DOM work
 * it leaves for the next frame) fits beside that frame's own work.
 */
const IDLE_MIN_MS = 5;
const IDLE_BUDGET_MS = 4;
/** A page that never idles (a busy machine) still gets its parses, this late at most. */
const IDLE_TIMEOUT_MS = 120;

/**
 * One queue for every column, run in the idle time between frames: 16 columns
 * wanting a parse (or the burst of columns finishing together) become several
 * small tasks, never one long one. A batch's state updates are committed in
 * the same task (flushSync), so their DOM work also stays inside idle time.
 */
export const markdownQueue = new WorkQueue(IDLE_BUDGET_MS, {
  now,
  schedule: (run) => whenIdle(() => flushSync(run), IDLE_TIMEOUT_MS, IDLE_MIN_MS),
});

let warmedUp = false;
/** Once per page: compiles the markdown pipeline and the code grammars in idle time, before the first run needs them. */
export function warmUpMarkdown(): void {
  if (warmedUp) return;
  warmedUp = true;
  runWhenReallyIdle(warmUpJobs());
}

/**
 * A finished reply mounted at once (history, a column that finished before it
 * was shown) parses its first slice during render while this much time is left
 * in the current burst of mounts, so the first paint is already formatted; the
 * rest, and any further columns, follow in idle time.
 */
const MOUNT_BUDGET_MS = 8;
const mountBurst = { start: -Infinity, spent: 0 };
function initialRender(text: string, streaming: boolean, paused: boolean): Rendered {
  // A streaming reply's first parse waits one throttle interval: by then the column knows whether it is on screen.
  if (streaming) return { ...EMPTY, at: now() };
  if (!text || paused) return EMPTY;
  const t0 = now();
  if (t0 - mountBurst.start > 50) Object.assign(mountBurst, { start: t0, spent: 0 });
  if (mountBurst.spent >= MOUNT_BUDGET_MS) return EMPTY;
  const r = finalStep(EMPTY, text);
  mountBurst.spent += now() - t0;
  return r;
}

/**
 * Decides when one reply is parsed next. Called after every commit (every
 * streamed frame) but arms at most one timer per parse, and the parse itself
 * reads the latest text when it runs, so a frame of new text costs a few
 * comparisons, not a timer.
 */
class ParseSchedule {
  text = '';
  streaming = false;
  paused = false;
  r: Rendered = EMPTY;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** When the pending parse is due; Infinity when none is pending. */
  private due = Infinity;

  constructor(private readonly commit: (r: Rendered) => void) {}

  update(text: string, streaming: boolean, paused: boolean, r: Rendered): void {
    this.text = text;
    this.streaming = streaming;
    this.paused = paused;
    this.r = r;
    // Nobody sees a paused (off-screen) reply: it catches up in slices when it is shown again.
    if (paused) return;
    const delay = this.delay();
    if (delay === Infinity || now() + delay >= this.due) return;
    this.clearTimer();
    this.due = now() + delay;
    const enqueue = (): void => {
      this.timer = null;
      markdownQueue.request(this, () => this.run());
    };
    if (delay > 0) this.timer = setTimeout(enqueue, delay);
    else enqueue();
  }

  dispose(): void {
    this.clearTimer();
    this.due = Infinity;
    markdownQueue.cancel(this);
  }

  private delay(): number {
    const { text, r } = this;
    if (!this.streaming) return r.final && r.settled === text.length ? Infinity : 0;
    if (r.final || r.more) return 0;
    return nextParseDelay(text.length, r.settled + r.tailLength, r.at, now());
  }

  private run(): void {
    this.due = Infinity;
    if (this.paused || this.delay() === Infinity) return;
    this.r = this.streaming ? streamStep(this.r, this.text) : finalStep(this.r, this.text);
    this.commit(this.r);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * Markdown that re-parses on a throttle while a reply streams (lib/throttle)
 * and shows the not-yet-parsed tail as plain text meanwhile. Big code blocks
 * and auto-detected ones are highlighted after the parse, a slice per idle
 * task (lib/markdown `highlightStep`).
 *
 * `paused` (the column is out of view): no parsing, and the text on the page
 * stays as it was, so off-screen columns finishing together do not lay out
 * their whole replies in one frame; it catches up once shown.
 */
export const Markdown = memo(function Markdown({ text: latest, streaming, paused = false }: { text: string; streaming: boolean; paused?: boolean }) {
  const shown = useRef(latest);
  if (!paused) shown.current = latest;
  const text = shown.current;
  const [r, setR] = useState<Rendered>(() => initialRender(text, streaming, paused));
  const [schedule] = useState(() => new ParseSchedule(setR));
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => () => schedule.dispose(), [schedule]);
  // After every commit: cheap unless a parse is due.
  useEffect(() => schedule.update(text, streaming, paused, r));

  useEffect(() => {
    const root = ref.current;
    if (paused || !root) return;
    for (const code of root.querySelectorAll<HTMLElement>('.md-chunk code[data-highlight]')) {
      const step = (): void => {
        // Off screen again: it is picked up once shown (this effect runs on `paused`).
        if (!schedule.paused && highlightStep(code)) markdownQueue.request(code, step);
      };
      markdownQueue.request(code, step);
    }
    // Math parsed before KaTeX had loaded: typeset once it has.
    for (const el of root.querySelectorAll<HTMLElement>('.md-chunk [data-math]')) {
      const step = (): void => {
        if (!schedule.paused && !mathStep(el)) void loadMath().then(() => markdownQueue.request(el, step));
      };
      markdownQueue.request(el, step);
    }
    addCopyButtons(root);
  }, [r.chunks, paused, schedule]);

  const covered = r.settled + r.tailLength;
  const plain = text.length > covered ? text.slice(covered) : '';
  const tailRef = useRef<HTMLDivElement>(null);
  const spanRef = useRef<HTMLSpanElement | null>(null);
  // With a parsed tail, the plain text goes inside it (see placeTail), so it reads as the same
  // paragraph, list item or code block until the next parse. Laid out before paint: no frame shows it elsewhere.
  useLayoutEffect(() => {
    const chunk = tailRef.current;
    if (!plain || !chunk) {
      spanRef.current?.remove();
      return;
    }
    spanRef.current ??= document.createElement('span');
    placeTail(chunk, spanRef.current, plain, endsInBlankLine(text, covered, plain), fenceOpen(text, r.settled, covered));
  });
  return (
    <div className="md" data-testid="column-text" ref={ref} onClick={(e) => onCodeCopyClick(e.target)}>
      <Parsed chunks={r.chunks} tailHtml={r.tailHtml} tailRef={tailRef} />
      {/* No parsed tail: the plain text starts a block of its own after the settled ones. */}
      {plain && !r.tailHtml && <span className="md-tail md-tail--block">{plain.replace(/^\s+/, '')}</span>}
    </div>
  );
});

const BLOCKS = new Set(['P', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6']);

/**
 * The element plain text that carries on `chunk`'s last line belongs in: the
 * innermost last paragraph, list item or heading, or the code of an open
 * fence. Null when the chunk ends in something text cannot continue (a
 * table, a rule): the text then goes after it.
 */
export function tailHost(chunk: Element): Element | null {
  let el: Element = chunk;
  for (;;) {
    const last = el.lastElementChild;
    if (last?.tagName === 'PRE') return last.querySelector('code') ?? last;
    if (last && BLOCKS.has(last.tagName)) {
      el = last;
      continue;
    }
    if (last && !isInline(last)) return null;
    // Text and inline elements (strong, a, code) end this block; at the top level too.
    return el === chunk && !chunk.textContent ? null : el;
  }
}

function isInline(el: Element): boolean {
  return !['TABLE', 'HR', 'DIV', 'PRE', 'DETAILS'].includes(el.tagName);
}

/** Whether the text around `covered` holds a blank line: the plain part starts a new block. */
export function endsInBlankLine(text: string, covered: number, plain: string): boolean {
  const trailing = /\s*$/.exec(text.slice(Math.max(0, covered - 16), covered))?.[0] ?? '';
  const leading = /^\s*/.exec(plain)?.[0] ?? '';
  return ((trailing + leading).match(/\n/g)?.length ?? 0) >= 2;
}

/** Whether a code fence opened in text[from, to) is still open at `to` (a blank line inside code is still code). */
export function fenceOpen(text: string, from: number, to: number): boolean {
  let open = false;
  for (const line of text.slice(from, to).split('\n')) if (/^ {0,3}(```|~~~)/.test(line)) open = !open;
  return open;
}

/** Puts the plain tail where it reads right; `span` is reused from frame to frame. */
export function placeTail(chunk: Element, span: HTMLSpanElement, plain: string, blankLine: boolean, inFence: boolean): void {
  const host = tailHost(chunk);
  // Code goes on only while its fence is open; anything else goes on unless a blank line ended it.
  const inCode = host?.tagName === 'CODE' || host?.tagName === 'PRE';
  const inline = host !== null && (inCode ? inFence : !blankLine);
  const target = inline ? host : chunk;
  span.className = inline ? 'md-tail' : 'md-tail md-tail--block';
  const value = inline ? plain : plain.replace(/^\s+/, '');
  if (span.textContent !== value) span.textContent = value;
  if (span.parentNode !== target || span.nextSibling) target.appendChild(span);
}

/**
 * The parsed blocks, apart from the plain tail: a streamed frame only adds to
 * the tail, so this list (dozens of chunks in a long reply) is not even diffed
 * between parses.
 */
const Parsed = memo(function Parsed({ chunks, tailHtml, tailRef }: { chunks: string[]; tailHtml: string; tailRef: RefObject<HTMLDivElement | null> }) {
  return (
    <>
      {chunks.map((html, i) => (
        <div key={i} className="md-chunk" dangerouslySetInnerHTML={{ __html: html }} />
      ))}
      {/* trimEnd: the newline after the last tag would put a space before text that carries on its line. */}
      {tailHtml && <div className="md-chunk md-chunk--tail" ref={tailRef} dangerouslySetInnerHTML={{ __html: tailHtml.trimEnd() }} />}
    </>
  );
});
