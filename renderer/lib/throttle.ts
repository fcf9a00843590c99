/**
 * How often a streaming reply's markdown is re-parsed. Parsing is linear in the
 * text, so a long reply is parsed less often: the total work per column stays
 * roughly flat instead of growing quadratically. Between parses the new tail is
 * shown as plain text, so nothing the model sent is hidden.
 */
export function parseIntervalMs(length: number): number {
  if (length < 2_000) return 50;
  if (length < 10_000) return 150;
  return 400;
}

/** Milliseconds to wait before the next parse; 0 means parse now. */
export function nextParseDelay(length: number, parsedLength: number, lastParseAt: number, now: number): number {
  if (length === parsedLength) return Infinity;
  // Shrunk text means a new attempt restarted the answer: show it at once.
  if (length < parsedLength) return 0;
  return Math.max(0, lastParseAt + parseIntervalMs(length) - now);
}

type IdleWindow = typeof globalThis & {
  requestIdleCallback?: (cb: (deadline: { timeRemaining(): number; didTimeout: boolean }) => void, opts?: { timeout: number }) => number;
};

/**
 * Runs `run` in the page's next idle period with at least `minIdleMs` left
 * (after a frame is done, well before the next one is due), or after
 * `timeoutMs` when the page never idles that long, so parses fill the gaps
 * between frames instead of delaying them. Without requestIdleCallback
 * (tests, old engines), a plain next task.
 */
export function whenIdle(run: () => void, timeoutMs: number, minIdleMs = 0): void {
  const ric = (globalThis as IdleWindow).requestIdleCallback;
  if (!ric) {
    setTimeout(run, 0);
    return;
  }
  const latest = performance.now() + timeoutMs;
  const attempt = (deadline: { timeRemaining(): number; didTimeout: boolean }): void => {
    if (deadline.didTimeout || deadline.timeRemaining() >= minIdleMs) run();
    else ric(attempt, { timeout: Math.max(0, latest - performance.now()) });
  };
  ric(attempt, { timeout: timeoutMs });
}

/**
 * Runs `jobs` one per long idle period (at least `minIdleMs` free, which
 * Chromium only grants when no frame is being drawn), so warm-up work never
 * competes with a stream. Does nothing without requestIdleCallback.
 */
export function runWhenReallyIdle(jobs: Array<() => void>, minIdleMs = 40): void {
  const ric = (globalThis as IdleWindow).requestIdleCallback;
  if (!ric) return;
  const queue = [...jobs];
  const step = (deadline: { timeRemaining(): number }): void => {
    if (deadline.timeRemaining() >= minIdleMs) queue.shift()?.();
    if (queue.length > 0) ric(step);
  };
  ric(step);
}
